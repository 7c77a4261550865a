"""`citebot timeline --png FILE`: the picture written, its numbered citations printed."""

from __future__ import annotations

import functools
import struct

from tests.cli.running import citebot as run_citebot

citebot = functools.partial(run_citebot, timeout=120)  # a picture is drawn after a whole start


def test_timeline_png_writes_the_picture_and_prints_its_citations(env, tmp_path):
    target = tmp_path / "leike.png"
    run = citebot("timeline", "--person", "Leike", "--png", str(target), env=env)
    assert run.returncode == 0, run.stderr
    png = target.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert run.stdout.startswith(f"Timeline picture: {target} ({width}×{height} px, 5 events)")
    assert width == 1400 and 200 <= height <= 800
    sources = run.stdout.split("\nSources:\n")[1].splitlines()
    numbered = [line.split("]")[0] for line in sources if line.startswith("  [")]
    assert numbered == [f"  [{n}" for n in range(1, len(numbered) + 1)]  # each source once, by its number
    assert sum(line.startswith("      “") for line in sources) == 5  # each event's quote, under its source


def test_timeline_png_in_chinese_for_a_period(env, tmp_path):
    target = tmp_path / "april.png"
    run = citebot("timeline", "--since", "2024-04", "--until", "2024-04", "--lang", "zh", "--png", str(target),
                  env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"时间线图片:{target}(1400×") and "3 个事件" in run.stdout and "来源:" in run.stdout
    assert target.read_bytes().startswith(b"\x89PNG")


def test_timeline_png_into_a_missing_folder_is_a_one_line_error(env, tmp_path):
    run = citebot("timeline", "--png", str(tmp_path / "no" / "such" / "dir.png"), env=env)
    assert run.returncode == 1 and run.stderr.startswith("citebot: error: cannot write") and run.stdout == ""
