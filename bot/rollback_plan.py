"""What a rollback does to the knowledge folder: the files it overwrites, creates and deletes.

The plan compares the folder as it is with the files stored with the version; a rollback shows it
before writing (``citebot kb rollback N --dry-run`` shows only it) and reports it after.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RollbackPlan:
    version_id: int
    overwrite: tuple[str, ...]  # in the folder with other text
    create: tuple[str, ...]  # the version had them, the folder does not
    delete: tuple[str, ...]  # knowledge files in the folder the version did not have
    unchanged: int
    has_files: bool  # the version was stored with its files (not every version is)
    live_version_id: int | None  # the live version, when its knowledge is the version's (a rollback changes no entry)

    @property
    def changes_files(self) -> bool:
        return bool(self.overwrite or self.create or self.delete)

    @property
    def nothing_to_do(self) -> bool:
        return self.live_version_id is not None and not self.changes_files

    def nothing_to_do_message(self) -> str:
        if self.live_version_id == self.version_id:
            return f"version {self.version_id} is already live and matches the files; nothing to do"
        return (f"version {self.version_id}'s knowledge is already live (as version {self.live_version_id}) "
                "and matches the files; nothing to do")

    def listing(self) -> str:
        """Before: one line a file written or deleted (the dry run's output)."""
        if self.nothing_to_do:
            return self.nothing_to_do_message()
        if not self.has_files:
            return f"version {self.version_id} has no stored files: the folder is left as it is"
        if not self.changes_files:
            return f"rollback to version {self.version_id} leaves the files as they are ({self.unchanged} unchanged)"
        lines = [f"rollback to version {self.version_id} will:"]
        lines += [f"  overwrite {name}" for name in self.overwrite]
        lines += [f"  create    {name}" for name in self.create]
        lines += [f"  delete    {name} (version {self.version_id} did not have it)" for name in self.delete]
        if self.unchanged:
            lines.append(f"  ({self.unchanged} file(s) unchanged)")
        return "\n".join(lines)

    def done(self) -> str:
        """After: what was written and deleted, in one line."""
        if not self.changes_files:
            return "Files unchanged."
        parts = [f"{verb} {', '.join(names)}" for verb, names in
                 (("overwrote", self.overwrite), ("created", self.create), ("deleted", self.delete)) if names]
        return f"Files: {'; '.join(parts)}."


def plan_rollback(version_id: int, stored: Mapping[str, str], present: Collection[str],
                  current: Mapping[str, str], *, live_version_id: int | None) -> RollbackPlan:
    """The plan for bringing back ``stored`` (the version's files by name) over the folder, whose knowledge
    files are ``present`` (names) and ``current`` (the text of those that can be read). With no stored
    files nothing is written or deleted."""
    if not stored:
        return RollbackPlan(version_id, (), (), (), 0, False, live_version_id)
    overwrite = tuple(sorted(n for n in stored if n in present and current.get(n) != stored[n]))
    create = tuple(sorted(n for n in stored if n not in present))
    delete = tuple(sorted(n for n in present if n not in stored))
    unchanged = sum(1 for n in stored if n in present and current.get(n) == stored[n])
    return RollbackPlan(version_id, overwrite, create, delete, unchanged, True, live_version_id)
