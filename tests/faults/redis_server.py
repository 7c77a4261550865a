"""A throwaway redis-server on a free loopback port, for killing mid-run; the shared Redis is never touched.

``start`` runs ``redis-server`` with no persistence (a restart comes back empty, as a lost cache node
does), ``kill`` is SIGKILL to that one process (clients are cut mid-command), ``start`` again reuses
the port. Missing ``redis-server`` skips, unless ``CITEBOT_REQUIRE_REDIS=1`` makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field

from tests.faults.conftest import free_port

START_TIMEOUT = 10.0  # seconds to wait for the server to accept connections


def redis_server_binary() -> str | None:
    return os.environ.get("CITEBOT_REDIS_SERVER") or shutil.which("redis-server")


@dataclass
class ThrowawayRedis:
    binary: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL, as a crashed or lost node: no goodbye to the clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
