"""Which files of a knowledge folder are knowledge, and reading one safely: regular files only, bounded.

The loader, the upload check, the live reload and the versions kept in the store all list files
with ``knowledge_files`` and read them with ``read_regular``, so they agree on what the knowledge is.

- Hidden files are not knowledge: ``.#claims.yaml`` (an editor's lock link), ``.claims.yaml.tmp``
  (a write in progress), ``.citebot.lock``.
- Only regular files are read. The type is checked before opening (a device is never opened) and
  again on the opened descriptor (a file swapped in between is caught); the open does not block
  (``O_NONBLOCK``: a FIFO cannot hang it) and at most ``limit + 1`` bytes are read, whatever size
  the file claims, so ``/dev/zero`` or a file still growing cannot fill the memory.
- A symbolic link in the knowledge folder is followed only to a regular file inside the same
  folder (Kubernetes mounts a ConfigMap as links into a hidden ``..data`` folder beside them); a link
  that leads out of the folder, or to nothing, is refused with an error naming it. Links among the
  source copies (operator-configured folders) are followed, to regular files only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.errors import KnowledgeError

KNOWLEDGE_SUFFIXES = (".yaml", ".yml")
_READ_CHUNK = 1 << 20
_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(KnowledgeError):
    """A file that is not read: its message says why (the caller adds the file's name)."""


def is_knowledge_name(name: str) -> bool:
    return name.endswith(KNOWLEDGE_SUFFIXES) and not name.startswith(".")


def knowledge_files(directory: Path) -> list[Path]:
    """The knowledge files of ``directory`` by name (not their type: ``read_regular`` refuses what is not a file)."""
    with os.scandir(directory) as entries:
        return [directory / name for name in sorted(e.name for e in entries if is_knowledge_name(e.name))]


def read_regular(path: Path, limit: int, *, within: Path | None = None) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``, or FileRefused.

    With ``within``, a link is followed only to a file inside that folder.
    """
    target = _link_target(path, within) if within is not None else path
    try:
        _refuse_special(os.stat(target).st_mode)
    except FileNotFoundError:
        raise FileRefused(_missing(path)) from None
    except FileRefused:
        raise
    except OSError as err:  # a loop of links, a folder we may not enter
        raise FileRefused(f"cannot be read: {err.strerror or err}") from None
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_NOFOLLOW if within is not None else 0)
    try:
        fd = os.open(target, flags)
    except FileNotFoundError:
        raise FileRefused(_missing(path)) from None
    except OSError as err:
        raise FileRefused(f"cannot be read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:  # the size it claims may be wrong (/proc reports 0): say what was seen
        size = f"{info.st_size} bytes" if info.st_size > limit else f"more than {limit} bytes"
        raise FileRefused(f"file is {size}; the limit is {limit}")
    return b"".join(chunks)


def _link_target(path: Path, within: Path) -> Path:
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(within)):
        raise FileRefused(f"is a link to {real}, outside the knowledge folder; only files in the folder are read")
    return real


def _refuse_special(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _NOT_REGULAR if test(mode)), "a special file")
        raise FileRefused(f"is {kind}, not a regular file; only regular files are read")


def _missing(path: Path) -> str:
    if path.is_symlink():
        return f"is a broken link (to {os.readlink(path)}, which does not exist)"
    return "does not exist (removed while it was being read?)"
