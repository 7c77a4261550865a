"""What `kb check` does with files that are not plain knowledge files: FIFOs, devices, links, folders, hidden files.

Each is named in a one-line problem, at once: nothing blocks, nothing is read without a bound, and
nothing outside the knowledge folder is loaded through a link.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from bot.knowledge.files import FileRefused, read_regular
from bot.knowledge.loader import CheckReport, check_knowledge
from tests.knowledge.samples import GOOD_EVENT, write

T = TypeVar("T")


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``'s result, or a failure if it has not returned after ``seconds`` (a daemon thread is left behind)."""
    done: list[T] = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"still running after {seconds} s"
    return done[0]


def check(folder: Path) -> CheckReport:
    return within(10, lambda: check_knowledge(folder))


def errors_about(report: CheckReport, name: str) -> list[str]:
    return [str(p) for p in report.errors if Path(p.file).name == name]


def test_a_fifo_is_refused_at_once_and_named(folder: Path):
    os.mkfifo(folder / "pipe.yaml")  # nobody ever writes to it: a blocking open would wait for ever
    report = check(folder)
    assert report.kb is None
    [line] = errors_about(report, "pipe.yaml")
    assert "knowledge/pipe.yaml: is a FIFO (named pipe), not a regular file" in line and "\n" not in line


def test_a_link_to_dev_zero_is_refused_without_reading_it(folder: Path):
    (folder / "zero.yaml").symlink_to("/dev/zero")
    [line] = errors_about(check(folder), "zero.yaml")
    assert "knowledge/zero.yaml: is a link to /dev/zero, outside the knowledge folder" in line


def test_a_link_out_of_the_folder_is_refused_not_loaded(folder: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.yaml"
    write(tmp_path, "elsewhere.yaml", GOOD_EVENT)  # valid knowledge, but not in the folder
    (folder / "events.yaml").symlink_to(outside)
    report = check(folder)
    assert report.kb is None
    [line] = errors_about(report, "events.yaml")
    assert f"is a link to {outside}, outside the knowledge folder" in line


def test_a_link_to_a_file_inside_the_folder_is_followed(folder: Path):
    """How Kubernetes mounts a ConfigMap: each file is a link into a hidden folder beside it."""
    data = folder / "..2024_05_01" / "events.yaml"
    data.parent.mkdir()
    write(data.parent, "events.yaml", GOOD_EVENT)
    (folder / "..data").symlink_to(data.parent.name)
    (folder / "events.yaml").symlink_to("..data/events.yaml")
    report = check(folder)
    assert report.kb is not None, [str(p) for p in report.problems]
    assert [e.title.en for e in report.kb.events] == ["The launch"]


def test_a_broken_link_and_a_folder_named_yaml_are_one_line_errors(folder: Path):
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "dir.yaml").mkdir()
    report = check(folder)
    [gone] = errors_about(report, "gone.yaml")
    [directory] = errors_about(report, "dir.yaml")
    assert "knowledge/gone.yaml: is a broken link (to nowhere.yaml, which does not exist)" in gone
    assert "knowledge/dir.yaml: is a folder, not a regular file" in directory


def test_a_loop_of_links_is_a_one_line_error(folder: Path):
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    report = check(folder)
    for name in ("a.yaml", "b.yaml"):
        [line] = errors_about(report, name)
        assert "cannot be read: Too many levels of symbolic links" in line


def test_hidden_files_are_not_knowledge(folder: Path):
    """An editor's lock link (``.#events.yaml`` -> ``user@host.1234``) and a hidden copy with the same ids."""
    write(folder, "events.yaml", GOOD_EVENT)
    (folder / ".#events.yaml").symlink_to("alice@laptop.4242:1715700000")
    write(folder, ".events.yaml", GOOD_EVENT)  # would be a duplicate id if it were read
    report = check(folder)
    assert report.kb is not None and not report.errors, [str(p) for p in report.problems]
    assert report.kb.counts["events"] == 1


def test_no_more_than_the_limit_is_read_whatever_size_the_file_claims():
    """/proc files say they are 0 bytes long; the read stops at the limit anyway."""
    assert os.stat("/proc/self/maps").st_size == 0
    with pytest.raises(FileRefused, match="more than 64 bytes; the limit is 64"):
        read_regular(Path("/proc/self/maps"), 64)


def test_an_oversized_file_is_refused_after_reading_no_more_than_the_limit(tmp_path: Path, monkeypatch):
    import bot.knowledge.files as files

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (8 * 1024 * 1024))
    read: list[int] = []
    real = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: read.append(n) or real(fd, n))
    with pytest.raises(FileRefused, match=f"file is {8 * 1024 * 1024} bytes; the limit is 1000"):
        read_regular(big, 1000, within=tmp_path)
    assert sum(read) <= 1001


def test_a_special_file_given_to_fingerprint_is_an_error_not_a_hang(tmp_path: Path):
    """`citebot kb fingerprint SOURCE FILE` reads the admin's copy as the loader reads knowledge files."""
    from bot.errors import KnowledgeError
    from bot.knowledge.fingerprints_file import read_source_copy

    def attempt() -> str:
        try:
            read_source_copy(tmp_path / "copy.txt")
        except KnowledgeError as err:
            return str(err)
        return "read"

    os.mkfifo(tmp_path / "copy.txt")
    assert "is a FIFO (named pipe), not a regular file" in within(10, attempt)
