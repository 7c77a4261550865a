"""One admin write at a time per knowledge folder: an asyncio lock in the process, ``flock`` across processes.

An upload checks the folder as it will be and then writes its file; a rollback rewrites the folder.
Two of them at once could each pass their check and together leave a folder no reload accepts
(the same new id in two files), so both hold this lock from their check to their reload. The lock
file (``.citebot.lock``, hidden, so never read as knowledge) sits in the folder, so two bots or a
bot and ``citebot kb rollback`` on the same folder take turns too. Waiting polls a non-blocking
``flock`` (no thread is parked on it, and a stopping bot can cancel the wait) and gives up after
``timeout`` seconds with a one-line error.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot.errors import KnowledgeError

LOCK_NAME = ".citebot.lock"


class FolderBusy(KnowledgeError):
    """Another process held the folder's lock for longer than we wait."""


class FolderLock:
    def __init__(self, *, timeout: float = 30.0, poll: float = 0.05) -> None:
        self.timeout = timeout
        self.poll = poll
        self._local = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def held(self, directory: Path) -> AsyncIterator[None]:
        async with self._local:
            path = directory / LOCK_NAME
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            except OSError as err:
                raise KnowledgeError(f"cannot lock {path}: {err.strerror or err}") from None
            try:
                await self._acquire(fd, directory)
                yield
            finally:
                os.close(fd)  # releases the flock

    async def _acquire(self, fd: int, directory: Path) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderBusy(f"another change to {directory} has held {LOCK_NAME} for "
                                     f"{self.timeout:.0f} s; try again later") from None
                await asyncio.sleep(self.poll)
