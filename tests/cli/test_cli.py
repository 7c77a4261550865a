"""The command line as a person uses it: real processes, a fresh data directory, one-line errors."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.store import Store
from tests.asking import assert_json_cites_by_source
from tests.cli.running import ROOT, citebot


def test_ask_on_a_fresh_machine_answers_with_sources_and_creates_the_store(env, tmp_path):
    run = citebot("ask", "When did Jan Leike announce his departure?", env=env)
    assert run.returncode == 0, run.stderr
    assert "May 14, 2024" in run.stdout and "Sources:" in run.stdout and "[1]" in run.stdout
    assert (tmp_path / "data" / "citebot.db").is_file()
    stats = citebot("kb", "stats", env=env)
    assert "live version 1" in stats.stdout and "matches the files" in stats.stdout


async def test_questions_are_logged_with_a_hashed_user_id(env, tmp_path):
    assert citebot("ask", "Who is Greg Brockman?", env=env).returncode == 0
    store = await Store.connect(f"sqlite:///{tmp_path / 'data' / 'citebot.db'}")
    try:
        [logged] = await store.recent_questions()
    finally:
        await store.close()
    assert logged.question == "Who is Greg Brockman?" and logged.answered and logged.adapter == "cli"
    assert "greg-brockman" in logged.cited_entry_ids
    assert logged.user_hash and len(logged.user_hash) == 64 and "cli:" not in logged.user_hash


def test_json_lines_contract(env):
    run = citebot("ask", "--json", "-", env=env, stdin="Who is John Schulman?\n\nWhat is the price of Bitcoin today?\n")
    assert run.returncode == 0, run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    for answer in (first, second):
        assert {"question", "language", "intent", "answered", "text", "confidence", "citations",
                "suggestions"} <= answer.keys()
    assert first["answered"] and first["citations"][0].keys() >= {"source_id", "title", "url", "publisher",
                                                                 "published", "quote"}
    assert not second["answered"] and second["suggestions"]


def test_ask_json_lists_each_source_once_and_keeps_the_flat_citations(env):
    run = citebot("ask", "--json", "Why did Jan Leike resign?", env=env)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["answered"]
    assert_json_cites_by_source(answer)


def test_chat_keeps_the_conversation(env):
    run = citebot("chat", env=env, stdin="Who is Jan Leike?\nand when did he leave?\nquit\n")
    assert run.returncode == 0, run.stderr
    assert "May 14, 2024" in run.stdout.split("you>")[2]


def test_timeline_for_a_person_in_chinese(env):
    run = citebot("timeline", "--person", "Sutskver", "--lang", "zh", env=env)
    assert run.returncode == 0, run.stderr
    assert "时间线" in run.stdout and "2024年5月14日" in run.stdout and "来源" in run.stdout


def test_timeline_between_dates(env):
    run = citebot("timeline", "--since", "2024-04", "--until", "2024-04", env=env)
    rows = [line for line in run.stdout.splitlines() if line.startswith("  April 2024")]
    assert len(rows) == 3, run.stdout


def test_kb_check_passes_on_the_curated_files(env):
    run = citebot("kb", "check", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("ok:")


def test_kb_check_fails_with_file_line_and_field(env, tmp_path):
    broken = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", broken)
    events = broken / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace('date: "2024-05-13"', 'date: "2024-05-32"', 1),
                      encoding="utf-8")
    run = citebot("kb", "check", "--knowledge", str(broken), env=env)
    assert run.returncode == 1
    assert "events.yaml:" in run.stdout and ".date: malformed date '2024-05-32'" in run.stdout


def test_kb_sync_makes_a_version_once(env):
    assert "synced: version 1" in citebot("kb", "sync", env=env).stdout
    assert "already current: version 1" in citebot("kb", "sync", env=env).stdout


@pytest.mark.parametrize(("args", "message"), [
    (["ask", "Who?", "--knowledge", "/no/such/dir"], "no knowledge folder at /no/such/dir"),
    (["ask", "Who?", "--database", "postgresql://bot:s3cret@127.0.0.1:1/x"], "cannot reach the database"),
    (["kb", "sync", "--database", "mysql://x/y"], "citebot: error:"),
])
def test_errors_are_one_clear_line_without_a_traceback(env, args, message):
    run = citebot(*args, env=env)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in run.stderr
    assert "s3cret" not in run.stderr


def test_a_broken_knowledge_file_is_one_line_pointing_at_kb_check(env, tmp_path):
    broken = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", broken)
    (broken / "extra.yaml").write_text("events: [\n", encoding="utf-8")
    run = citebot("ask", "Who is Jan Leike?", "--knowledge", str(broken), env=env)
    assert run.returncode == 1
    [line] = run.stderr.strip().splitlines()
    assert "extra.yaml:" in line and "invalid YAML" in line


def test_config_show_masks_secrets(env):
    env = {**env, "CITEBOT_API_TOKEN": "api-s3cret", "DISCORD_TOKEN": "discord-s3cret",
           "CITEBOT_DATABASE_URL": "postgresql://bot:db s3cret@db:5432/citebot", "CITEBOT_HTTP_PORT": "9090",
           "CITEBOT_REDIS_URL": "redis://:redis-s3cret@cache:6379/0"}
    run = citebot("config", "show", env=env)
    assert run.returncode == 0
    assert "http_port = 9090" in run.stdout and "api_token = ********" in run.stdout
    assert "DISCORD_TOKEN = ********" in run.stdout and "postgresql://bot:***@db:5432/citebot" in run.stdout
    assert "redis_url = redis://:***@cache:6379/0" in run.stdout
    assert "s3cret" not in run.stdout


@pytest.mark.parametrize("password", ["pa ss w0rd", "pa#ss w0rd", "p@ss w0rd:x"])
def test_a_database_password_with_a_space_never_reaches_the_error(env, password):
    from tests.faults.conftest import free_port

    env = {**env, "CITEBOT_DATABASE_URL": f"postgresql://bot:{password}@127.0.0.1:{free_port()}/citebot"}
    for args in (("kb", "stats"), ("ask", "Who is Jan Leike?")):
        run = citebot(*args, env=env)
        assert run.returncode == 1
        [line] = run.stderr.strip().splitlines()
        assert line.startswith("citebot: error: ") and "postgresql://bot:***@127.0.0.1:" in line, line
        assert password not in run.stderr and "w0rd" not in run.stderr


def test_json_lines_go_on_past_a_question_no_store_can_keep(env, tmp_path):
    lines = [json.dumps({"question": "Who is Jan Leike?"})] * 100
    lines[50] = '{"question": "Who is Jan Leike \\ud800?"}'
    run = citebot("ask", "--json", "-", env=env, stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == 100 and all(a["answered"] for a in answers)
    assert answers[50]["question"] == "Who is Jan Leike ?"
