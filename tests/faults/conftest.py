"""A throwaway PostgreSQL cluster the fault tests stop and restart; the shared test server is never touched.

``throwaway_postgres`` (module scope) runs ``initdb`` into a fresh folder under the temp dir and starts the
cluster with ``pg_ctl`` on a free loopback port (its Unix socket in that folder too). Tests stop it
(``stop("immediate")`` is a crash: no checkpoint, clients cut mid-transaction) and start it again on the
same port; teardown stops it and removes the folder. Each test gets a database of its own (``pg_database``).

initdb refuses to run as root: as root, the binaries run as the ``postgres`` user (or ``nobody``) through
``runuser``. Missing binaries skip the module, unless ``CITEBOT_REQUIRE_POSTGRES=1`` makes that a failure.
``CITEBOT_PG_BIN`` names the folder holding initdb and pg_ctl when they are not on the PATH.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_START_TIMEOUT = 30  # seconds pg_ctl waits for the server (-t)
UNPRIVILEGED_USERS = ("postgres", "nobody")


def _require_or_skip(reason: str) -> None:
    if os.environ.get("CITEBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}; CITEBOT_REQUIRE_POSTGRES=1 requires a PostgreSQL cluster for the fault tests",
                    pytrace=False)
    pytest.skip(f"{reason}; the database fault tests need PostgreSQL's initdb and pg_ctl")


def _find_binaries() -> tuple[str, str] | None:
    folders = [os.environ.get("CITEBOT_PG_BIN"), None, *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in folders:
        if folder == "":
            continue
        initdb = shutil.which("initdb", path=folder)
        pg_ctl = shutil.which("pg_ctl", path=folder)
        if initdb and pg_ctl:
            return initdb, pg_ctl
    return None


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs the server binaries unprivileged, and that user (None: ourselves)."""
    if os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser")
    if runuser is None:
        _require_or_skip("running as root without runuser, so initdb cannot run unprivileged")
    for name in UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(name)
            return [runuser, "-u", name, "--"], user
    _require_or_skip(f"running as root and none of the users {UNPRIVILEGED_USERS} exists to run initdb")
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ThrowawayPostgres:
    """One PostgreSQL cluster in ``folder``: ``start``, ``stop(mode)``, ``start`` again on the same ``port``."""

    folder: Path
    port: int
    initdb: str
    pg_ctl: str
    prefix: list[str]  # runuser -u postgres -- (as root), or nothing

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def logfile(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        user = f"postgres:{password}" if password else "postgres"
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        run = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=timeout, check=False)
        if run.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed ({run.returncode}): {run.stderr.strip() or run.stdout}\n"
                               f"server log:\n{self.log_tail()}")
        return run

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def init(self) -> None:
        # --no-sync and fsync=off: nothing here must survive a power cut, only a crash of the server
        # (stop -m immediate), which the written WAL in the OS page cache does survive.
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c max_connections=50")
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.logfile), "-o", options,
                  "-w", "-t", str(PG_START_TIMEOUT), "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean shutdown (clients disconnected, checkpoint); ``immediate``: a crash."""
        assert mode in ("smart", "fast", "immediate"), mode
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "-t", str(PG_START_TIMEOUT), "stop")

    @property
    def running(self) -> bool:
        run = subprocess.run([*self.prefix, self.pg_ctl, "-D", str(self.data), "status"],
                             capture_output=True, text=True, timeout=30, check=False)
        return run.returncode == 0

    def ensure_running(self) -> None:
        if not self.running:
            self.start()

    async def astart(self) -> None:
        await asyncio.to_thread(self.start)

    async def astop(self, mode: str = "fast") -> None:
        await asyncio.to_thread(self.stop, mode)

    async def execute(self, sql: str, database: str = "postgres") -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url(database), timeout=10)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def fetch(self, sql: str, database: str) -> list[tuple]:
        """Rows from a fresh connection (not the bot's pool): what really is in the database."""
        import asyncpg

        conn = await asyncpg.connect(self.url(database), timeout=10)
        try:
            return [tuple(row) for row in await conn.fetch(sql)]
        finally:
            await conn.close()


@pytest.fixture(scope="module")
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A fresh cluster for this module, started; stopped and deleted afterwards."""
    with throwaway_cluster() as cluster:
        yield cluster


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[ThrowawayPostgres]:
    """A fresh cluster, started; stopped and deleted afterwards (the fixture above, and bench/faults.py)."""
    binaries = _find_binaries()
    if binaries is None:
        _require_or_skip("initdb and pg_ctl were not found (PATH, /usr/lib/postgresql/*/bin, CITEBOT_PG_BIN)")
    assert binaries is not None
    prefix, user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="citebot-pg-"))
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    # The Unix socket path must stay under 107 bytes; mkdtemp under a long TMPDIR could exceed it.
    assert len(str(folder / ".s.PGSQL.65535")) < 100, f"temp dir {folder} too long for a Unix socket"
    cluster = ThrowawayPostgres(folder, free_port(), binaries[0], binaries[1], prefix)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            if cluster.running:
                cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def pg(throwaway_postgres: ThrowawayPostgres) -> AsyncIterator[ThrowawayPostgres]:
    """The cluster, running (a test that failed while it was stopped does not break the next test)."""
    await asyncio.to_thread(throwaway_postgres.ensure_running)
    yield throwaway_postgres


@pytest.fixture
async def pg_database(pg: ThrowawayPostgres) -> AsyncIterator[str]:
    """The name of a new, empty database on the throwaway cluster; dropped afterwards."""
    name = f"citebot_fault_{secrets.token_hex(4)}"
    await pg.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        await asyncio.to_thread(pg.ensure_running)
        with contextlib.suppress(Exception):
            await pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
