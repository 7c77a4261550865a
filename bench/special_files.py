"""What special files, racing uploads and many edits cost: the figures issue 12 asks for (items 4, 6 and 7).

usage: python bench/special_files.py [--edits-small 256] [--edits-large 12]

Each case runs in a fresh child process (its own peak RSS) with its address space capped at 4 GB, on a
copy of the curated knowledge in a temp folder:

1. A FIFO (nobody writing to it) and a link to /dev/zero in the folder: `citebot kb check` (seconds,
   exit code, peak RSS, the error line) and a live reload (seconds, peak RSS, the error, then whether a
   later valid edit goes live).
2. The upload race: two processes, each a bot on the same folder, upload at the same instant two files
   that are each valid and together define one id twice. Printed: each one's answer, what is left on
   disk, whether a reload afterwards is accepted.
3. The parse cache: RSS after a first load, then after N edits of a 46 KB file (and of a 2 MB file),
   each edit checked as a reload checks it; as shipped and with the cache unbounded (as before the fix).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ADDRESS_SPACE = 4 * 1024**3
LATER = """\
events:
  - id: a-clashing-event
    date: "2024-05-28"
    title: {en: An event uploaded twice, zh: 上传两次的事件}
    text: {en: Jan Leike said he was leaving., zh: 扬·莱克说他将离开。}
    people: [jan-leike]
    citations:
      - {source: infoq-2024-05, quote: "Ilya Sutskever 与 Jan Leike 上周二宣布将离开 OpenAI。"}
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_knowledge(into: Path) -> Path:
    folder = into / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("README.md", ".*"))
    return folder


def settings_for(folder: Path, data: Path):  # type: ignore[no-untyped-def]
    from bot.settings import Settings

    return Settings(knowledge_dir=folder, data_dir=data, database_url="")


def child(*args: str, timeout: float = 300) -> dict:
    """Run ``main --child ARGS`` capped; its last stdout line is a JSON result."""
    started = time.monotonic()
    run = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                         timeout=timeout, check=False, cwd=ROOT,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE)))
    try:
        result = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"failed": run.stderr.strip().splitlines()[-1:] or run.returncode}
    return {**result, "wall_s": round(time.monotonic() - started, 2)}


# --- children ------------------------------------------------------------------------------------
def special(kind: str, folder: Path) -> Path:
    path = folder / f"special-{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def child_kb_check(kind: str, work: Path) -> dict:
    folder = copy_knowledge(work)
    special(kind, folder)
    env = {**os.environ, "CITEBOT_KNOWLEDGE_DIR": str(folder), "CITEBOT_DATA_DIR": str(work / "data"),
           "CITEBOT_DATABASE_URL": ""}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", "import resource, sys\nfrom bot.cli.main import main\n"
                          "code = main(['kb', 'check'])\nprint('maxrss', resource.getrusage("
                          "resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    rss = next((int(x.split()[1]) / 1024 for x in run.stderr.splitlines() if x.startswith("maxrss")), None)
    error = next((x for x in run.stdout.splitlines() if "special-" in x), run.stderr.strip()[-200:])
    return {"seconds": round(time.monotonic() - started, 2), "exit": run.returncode,
            "peak_rss_mb": round(rss or -1), "error": error.split("/knowledge/")[-1]}


def child_reload(kind: str, work: Path) -> dict:
    from bot.bootstrap import build_app

    async def run() -> dict:
        folder = copy_knowledge(work)
        app = await build_app(settings_for(folder, work / "data"), author="bench")
        try:
            path = special(kind, folder)
            started = time.monotonic()
            refused = await asyncio.wait_for(app.live.reload("bench"), timeout=60)
            seconds = time.monotonic() - started
            path.unlink()
            (folder / "later.yaml").write_text(LATER.replace("a-clashing-event", "a-later-event"), encoding="utf-8")
            later = await asyncio.wait_for(app.live.reload("bench"), timeout=60)
        finally:
            await app.close()
        error = next(str(p) for p in refused.problems if "special-" in p.file)
        return {"seconds": round(seconds, 3), "peak_rss_mb": round(peak_mb()), "error": error.split("/knowledge/")[-1],
                "later_edit_live": later.changed}

    return asyncio.run(run())


def child_upload(folder: Path, data: Path, name: str, at: float) -> dict:
    from bot.admin import Admin
    from bot.bootstrap import build_app

    async def run() -> dict:
        app = await build_app(settings_for(folder, data), author=name)
        try:
            await asyncio.sleep(max(0.0, at - time.time()))
            started = time.monotonic()
            message = await Admin(app).upload(name, name, LATER.encode())
            first, *more = message.splitlines()
            reason = f" {more[0].split(': ', 1)[-1]}" if more else ""
            return {"message": (first + reason)[:200], "seconds": round(time.monotonic() - started, 2)}
        finally:
            await app.close()

    return asyncio.run(run())


def grown(size: int) -> str:
    """A valid knowledge file of at most ``size`` bytes: copies of the curated events under new ids."""
    events = yaml.safe_load((ROOT / "knowledge" / "events.yaml").read_text(encoding="utf-8"))["events"]
    parts, total, n = ["events:\n"], len("events:\n"), 0
    while True:
        item = yaml.safe_dump([{**events[n % len(events)], "id": f"copy-{n}"}], allow_unicode=True,
                              sort_keys=False, width=1000)
        if total + len(item.encode()) > size:
            return "".join(parts)
        parts.append(item)
        total += len(item.encode())
        n += 1


def child_cache(size: int, edits: int, bounded: bool, work: Path) -> dict:
    import bot.knowledge.loader as loader
    from bot.knowledge.loader import check_knowledge
    from bot.knowledge.parse_cache import ParseCache

    if not bounded:
        loader._FILE_CACHE = ParseCache(budget=1 << 60)  # every version kept, as before the fix
    folder = copy_knowledge(work)
    body = grown(size)
    (folder / "grown.yaml").write_text(body, encoding="utf-8")
    assert check_knowledge(folder).kb is not None
    gc.collect()
    first = rss_mb()
    started = time.monotonic()
    for edit in range(edits):
        (folder / "grown.yaml").write_text(f"# edit {edit}\n{body}", encoding="utf-8")
        report = check_knowledge(folder)
        assert report.kb is not None, [str(p) for p in report.errors[:3]]
        del report
    gc.collect()
    return {"file_kb": round(len(body.encode()) / 1024), "rss_first_mb": round(first), "rss_after_mb": round(rss_mb()),
            "peak_rss_mb": round(peak_mb()), "cache_versions": len(loader._FILE_CACHE),
            "cache_charged_mb": round(loader._FILE_CACHE.used / 2**20, 1),
            "seconds_per_edit": round((time.monotonic() - started) / max(edits, 1), 3)}


def run_child(args: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        case = args[0]
        if case == "kb-check":
            result = child_kb_check(args[1], work)
        elif case == "reload":
            result = child_reload(args[1], work)
        elif case == "upload":
            result = child_upload(Path(args[1]), Path(args[2]), args[3], float(args[4]))
        else:
            result = child_cache(int(args[1]), int(args[2]), args[3] == "bounded", work)
    print(json.dumps(result, ensure_ascii=False))


# --- the parent --------------------------------------------------------------------------------
def upload_race() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = copy_knowledge(work)
        before = sorted(os.listdir(folder))
        at = f"{time.time() + 8:.3f}"  # both start at the same instant, after their start-up
        children = [subprocess.Popen([sys.executable, __file__, "--child", "upload", str(folder), str(work / f"d{n}"),
                                      f"later-{n}.yaml", at], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, cwd=ROOT)
                    for n in (1, 2)]
        results = [json.loads(c.communicate(timeout=120)[0].strip().splitlines()[-1]) for c in children]
        after = sorted(os.listdir(folder))
        check = subprocess.run([sys.executable, "-m", "bot", "kb", "check", "--knowledge", str(folder)],
                               capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
                               env={**os.environ})
        return {"answers": [r["message"] for r in results], "added_on_disk": sorted(set(after) - set(before)),
                "kb_check_after": check.stdout.strip().splitlines()[-1][:80]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits-small", type=int, default=256)
    parser.add_argument("--edits-large", type=int, default=12)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return
    for kind in ("fifo", "zero"):
        print(f"kb check, {kind}:", child("kb-check", kind))
        print(f"reload, {kind}:", child("reload", kind))
    print("upload race:", upload_race())
    for size, edits in ((46 * 1024, args.edits_small), (2 * 1024 * 1024 - 4096, args.edits_large)):
        for mode in ("bounded", "unbounded"):
            result = child("cache", str(size), str(edits), mode, timeout=1800)
            print(f"parse cache, {edits} edits of {size // 1024} KB, {mode}:", result)


if __name__ == "__main__":
    main()
