"""``loopback_only``: a fixture that fails a test which connects to, or resolves, a non-loopback host.

Use it with ``pytestmark = pytest.mark.usefixtures("loopback_only")`` after importing it into the test module.
It also clears the proxy variables: slack_sdk reads ``HTTPS_PROXY``/``HTTP_PROXY`` itself and ignores
``NO_PROXY``, so a CI proxy would otherwise carry even 127.0.0.1 calls off the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


class NonLoopbackConnectionError(ConnectionError):
    """Raised in place of a connection (or a name lookup) that would leave the machine."""


def is_loopback(host: Any) -> bool:
    if host is None:  # getaddrinfo(None, port): the local wildcard, used by servers binding
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Records every blocked attempt; the fixture fails the test at teardown if there was any."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def check(self, what: str, host: Any) -> None:
        if not is_loopback(host):
            self.blocked.append(f"{what} {host!r}")
            raise NonLoopbackConnectionError(f"tests may only reach 127.0.0.1, not {what} {host!r}")


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard.check("connect to", address[0])
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard.check("connect to", address[0])
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        guard.check("resolve", host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield guard
    if guard.blocked:
        pytest.fail("non-loopback network access: " + "; ".join(guard.blocked))
