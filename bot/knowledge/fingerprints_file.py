"""``knowledge/fingerprints.yaml``: the file ``citebot kb fingerprint`` writes, one entry per source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.files import FileRefused, knowledge_files, read_regular
from bot.knowledge.fingerprint import Print

FILE_NAME = "fingerprints.yaml"
MAX_SOURCE_BYTES = 8 * 1024 * 1024  # the admin's copy of a source
_HEADER = """\
# Fingerprints of the sources whose text is not in this repository, written by
# `citebot kb fingerprint SOURCE FILE` from a copy of the source. Each one verifies the quotes cited
# from its source without holding the source's text (knowledge/README.md, "How quotes are verified").
# Do not edit by hand: run the command again with the new copy.
"""


def read_source_copy(path: Path) -> str:
    """The admin's copy of a source as text, or a one-line KnowledgeError."""
    try:
        return read_regular(path, MAX_SOURCE_BYTES).decode("utf-8")
    except FileRefused as err:
        raise KnowledgeError(f"{path}: {err}") from None
    except UnicodeDecodeError as err:
        raise KnowledgeError(f"{path}: not UTF-8 text (byte {err.start})") from None
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: no such file") from None


def fingerprint_entry(source_id: str, built: Print, today: dt.date) -> dict:
    return {"id": f"{source_id}-fingerprint", "source": source_id, "ngram": built.ngram, "bits": built.bits,
            "chars": built.chars, "sha256": built.sha256, "built": today.isoformat(), "bitset": built.encoded()}


def _raw_entries(directory: Path) -> dict[str, list[dict]]:
    """Each knowledge file's raw entries of one section, read leniently: the folder may not validate."""
    found: dict[str, list[dict]] = {}
    for path in knowledge_files(directory):
        try:
            data = yaml.safe_load(read_regular(path, 2 * 1024 * 1024, within=directory))
        except (FileRefused, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict):
            for section, items in data.items():
                if isinstance(items, list):
                    found.setdefault(f"{path.name}:{section}", []).extend(i for i in items if isinstance(i, dict))
    return found


def source_ids(directory: Path) -> set[str]:
    return {str(e.get("id")) for key, items in _raw_entries(directory).items() if key.endswith(":sources")
            for e in items}


def with_fingerprint(directory: Path, entry: dict) -> bytes:
    """The new text of ``fingerprints.yaml``: its other sources' fingerprints kept, this one's replaced."""
    raw = _raw_entries(directory)
    elsewhere = [key.split(":")[0] for key, items in raw.items()
                 if key.endswith(":fingerprints") and not key.startswith(f"{FILE_NAME}:")
                 and any(e.get("source") == entry["source"] for e in items)]
    if elsewhere:
        raise KnowledgeError(f"{elsewhere[0]} already holds a fingerprint of '{entry['source']}'; "
                             f"remove it there first")
    kept = [e for e in raw.get(f"{FILE_NAME}:fingerprints", []) if e.get("source") != entry["source"]]
    entries = sorted([*kept, entry], key=lambda e: str(e.get("source")))
    return (_HEADER + yaml.dump({"fingerprints": entries}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                width=100)).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    """Block style for the bitset (lines of 76), quoted dates."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)
