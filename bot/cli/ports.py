"""Ports on the command line: `--port N` read by argparse, and a busy or forbidden port found before any work."""

from __future__ import annotations

import argparse
import asyncio
import errno

from bot.errors import CitebotError

HIGHEST_PORT = 65535


def port_number(text: str) -> int:
    """An argparse ``type``: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a whole number from 1 to {HIGHEST_PORT}")
    return port


async def ensure_free(host: str, port: int, setting: str) -> None:
    """Listen on ``host:port`` and let go at once, as aiohttp will bind it later: a busy port, one that needs
    privileges or a host that is not this machine's is one line before the bot loads anything.
    ``setting`` names where the port comes from, for the hint ("--port or http_port")."""
    loop = asyncio.get_running_loop()
    try:
        server = await loop.create_server(asyncio.Protocol, host, port)
    except OSError as err:
        raise CitebotError(_cannot_listen(host, port, setting, err)) from None
    server.close()
    await server.wait_closed()


def _cannot_listen(host: str, port: int, setting: str, err: OSError) -> str:
    where = f"{host}:{port}"
    if err.errno == errno.EADDRINUSE:
        return f"port {port} is in use (another program listens on {where}); choose another with {setting}"
    if err.errno == errno.EACCES:
        return f"port {port} needs privileges to listen on ({where}: permission denied); choose one above 1023"
    if err.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: {host} is not an address of this machine"
    return f"cannot listen on {where}: {err.strerror or err}"
