"""The command line behaves as well-made Python CLIs do: help and version, global options before or after the
command, unquoted questions, ports checked, the database reached before answering, dates read as the chat reads
them. Each test runs the real `citebot` as a process."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.running import ROOT, citebot, isolated_env

KNOWLEDGE = str(ROOT / "knowledge")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path, CITEBOT_HTTP_HOST="127.0.0.1", CITEBOT_SLACK_HOST="127.0.0.1")


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr, run.stderr
    [line] = run.stderr.strip().splitlines()
    return line


def timeline_rows(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The events listed, one a line: between the header and the blank line before the sources."""
    assert run.returncode == 0, run.stderr
    events, _, _sources = run.stdout.partition("\n\n")
    return events.splitlines()[1:]


@pytest.mark.parametrize("args", [[], ["--debug"]])
def test_citebot_alone_prints_the_help(env, args):
    run = citebot(*args, env=env)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.startswith("usage: citebot")
    for command in ("ask", "chat", "timeline", "serve", "slack", "discord", "kb"):
        assert f"    {command} " in run.stdout
    assert "--version" in run.stdout


def test_version(env):
    run = citebot("--version", env=env)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"citebot \d+\.\d+\.\d+\S*\n", run.stdout), run.stdout


@pytest.mark.parametrize("args", [
    ["--knowledge", "/no/such/dir", "ask", "Who is Jan Leike?"],
    ["ask", "Who is Jan Leike?", "--knowledge", "/no/such/dir"],
    ["--knowledge", KNOWLEDGE, "ask", "Who is Jan Leike?", "--knowledge", "/no/such/dir"],  # the later one wins
    ["--knowledge", "/no/such/dir", "kb", "stats"],
    ["kb", "--knowledge", "/no/such/dir", "stats"],
])
def test_global_options_before_or_after_the_command(env, args):
    run = citebot(*args, env=env)
    assert run.returncode == 1 and run.stdout == ""
    assert "no knowledge folder at /no/such/dir" in one_error_line(run)


def test_a_global_option_given_later_overrides_the_earlier(env):
    run = citebot("--knowledge", "/no/such/dir", "ask", "Who is Jan Leike?", "--knowledge", KNOWLEDGE, env=env)
    assert run.returncode == 0, run.stderr
    assert "Jan Leike" in run.stdout


@pytest.mark.parametrize("args", [["--debug", "kb", "stats"], ["kb", "stats", "--debug"]])
def test_debug_before_or_after_the_command(env, args):
    run = citebot(*args, env=env)
    assert run.returncode == 0, run.stderr
    assert "DEBUG" in run.stderr
    assert "DEBUG" not in citebot("kb", "stats", env=env).stderr


def test_each_command_lists_the_global_options_in_its_help(env):
    for command in (["ask"], ["timeline"], ["serve"], ["kb", "stats"]):
        run = citebot(*command, "--help", env=env)
        assert run.returncode == 0, run.stderr
        assert "--knowledge DIR" in run.stdout and "--debug" in run.stdout


def test_ask_joins_unquoted_words(env):
    quoted = citebot("ask", "When did Jan Leike resign?", env=env)
    unquoted = citebot("ask", "When", "did", "Jan", "Leike", "resign?", env=env)
    assert unquoted.returncode == 0, unquoted.stderr
    assert unquoted.stdout == quoted.stdout and "May 14, 2024" in unquoted.stdout
    as_json = citebot("ask", "--json", "who", "is", "Jan", "Leike", env=env)
    assert as_json.returncode == 0, as_json.stderr
    answer = json.loads(as_json.stdout)
    assert answer["question"] == "who is Jan Leike" and answer["answered"]


def test_ask_dash_still_reads_questions_from_stdin(env):
    run = subprocess.run([sys.executable, "-m", "bot", "ask", "-", "--json"], input="Who is Jan Leike?\n",
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["question"] == "Who is Jan Leike?"


@pytest.mark.parametrize("args", [
    ["slack", "--port", "99999"], ["slack", "--port", "0"], ["serve", "--port", "65536"], ["serve", "--port", "http"],
])
def test_a_port_outside_1_to_65535_is_refused_by_the_parser(env, args):
    run = citebot(*args, env=env)
    assert run.returncode == 2 and run.stdout == ""
    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr
    assert "from 1 to 65535" in run.stderr.strip().splitlines()[-1]


def test_a_port_setting_outside_the_range_is_one_line(env):
    run = citebot("serve", env={**env, "CITEBOT_HTTP_PORT": "70000"})
    assert run.returncode == 1
    assert "http_port" in one_error_line(run)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize(("args", "extra_env"), [
    (["serve", "--port", "{port}"], {}),
    (["serve"], {"CITEBOT_HTTP_PORT": "{port}"}),
    (["slack", "--mode", "http", "--port", "{port}"], {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test"}),
    (["discord"], {"DISCORD_TOKEN": "test", "CITEBOT_HTTP_PORT": "{port}"}),
])
def test_a_busy_port_is_one_line_before_any_work(env, busy_port, args, extra_env):
    args = [arg.format(port=busy_port) for arg in args]
    env = {**env, **{name: value.format(port=busy_port) for name, value in extra_env.items()}}
    run = citebot(*args, env=env, timeout=30)
    assert run.returncode == 1
    line = one_error_line(run)
    assert line.startswith(f"citebot: error: port {busy_port} is in use"), line
    assert not (Path(env["CITEBOT_DATA_DIR"]) / "citebot.db").exists()  # refused before the store was opened


@pytest.mark.parametrize("url", ["mysql://bot@127.0.0.1/citebot", "postgresql://bot@127.0.0.1:{port}/citebot"])
def test_the_database_is_reached_before_an_answer_is_printed(env, url):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = url.format(port=unused.getsockname()[1])  # nothing listens there
        run = citebot("ask", "Who is Jan Leike?", "--database", url, env=env)
    assert run.returncode == 1
    assert run.stdout == ""
    line = one_error_line(run)
    assert line.startswith("citebot: error: ")
    if url.startswith("mysql"):
        assert "unsupported database URL scheme 'mysql'" in line and "sqlite" in line and "postgresql" in line


@pytest.mark.parametrize(("since", "until"), [
    ("May 2024", "May 2024"), ("2024年5月", "2024年5月"), ("May 1, 2024", "31 May 2024"), ("2024-05-01", "may 2024"),
])
def test_date_options_read_dates_as_the_chat_does(env, since, until):
    expected = timeline_rows(citebot("timeline", "--since", "2024-05", "--until", "2024-05", env=env))
    assert expected and all("May" in row and "2024" in row for row in expected)
    assert timeline_rows(citebot("timeline", "--since", since, "--until", until, env=env)) == expected


def test_a_month_in_words_bounds_the_timeline(env):
    rows = timeline_rows(citebot("timeline", "--until", "Nov 2023", env=env))
    assert rows and all(re.search(r"20(1\d|2[0-3])", row) for row in rows)
    assert any("November" in row and "2023" in row for row in rows)


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2024-06", "--until", "2024-01"], "--since 2024-06 is after --until 2024-01"),
    (["--until", "Nov 2023", "--since", "May 2024"], "--since 2024-05 is after --until 2023-11"),
    (["--since", "sometime"], "'sometime' is not a date"),
    (["--since", "5月"], "has no year"),
    (["--until", "2024-05-32"], "day 32 is not in May 2024"),
])
def test_an_unreadable_date_or_an_inverted_range_is_refused(env, args, message):
    run = citebot("timeline", *args, env=env)
    assert run.returncode == 2 and run.stdout == ""
    assert "Traceback" not in run.stderr
    assert message in run.stderr.strip().splitlines()[-1]
