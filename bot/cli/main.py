"""The `citebot` command: argument parsing and one error handler. Commands import their modules lazily."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.cli.dates import DateRangeEnd, date_option
from bot.cli.ports import port_number
from bot.core.date_text import EXAMPLES

log = logging.getLogger("citebot")


def _common(parser: argparse.ArgumentParser, *, database: bool = True, top: bool = False) -> None:
    """The global options. On the top-level parser they have their defaults; on a command's parser they are
    left out of the result unless given (``SUPPRESS``), so one given after the command overrides one before it."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--knowledge", metavar="DIR", type=Path, default=default,
                        help="knowledge folder (default: knowledge)")
    if database:
        parser.add_argument("--database", metavar="URL", default=default,
                            help="database URL (default: SQLite under the data directory)")
    parser.add_argument("--debug", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="log at DEBUG level and show tracebacks")


def _author(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--author", metavar="NAME",
                        help="record the new version as made by NAME (default: your OS user name, as cli:NAME)")


class _Parser(argparse.ArgumentParser):
    """`citebot` with no command prints the help and exits 0, as `git` and `pip` do."""

    def parse_args(  # type: ignore[override]  # typeshed's overloads; citebot passes no namespace
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        parsed = super().parse_args(args, namespace)
        if parsed.command is None:
            self.print_help()
            self.exit(0)
        return parsed


class _Version(argparse.Action):
    """`--version`: looked up only when asked for (importlib.metadata reads the installed packages)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print citebot's version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"citebot {citebot_version()}")
        parser.exit(0)


def citebot_version() -> str:
    """The installed package's version; from a checkout that is not installed, pyproject.toml's."""
    from importlib import metadata

    try:
        return metadata.version("citebot")
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="citebot",
        description="Answers who / when / why questions about the 2024 breakup of OpenAI's superalignment "
        "team, with citations.",
        epilog="--knowledge, --database and --debug go before or after the command (the later one wins); "
        "'citebot COMMAND --help' shows a command's options.",
    )
    parser.add_argument("--version", action=_Version)
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question (or JSON lines from stdin with --json -)")
    ask.add_argument("question", nargs="+", metavar="QUESTION",
                     help="the question, quoted or not; '-' reads questions from standard input, one a line")
    ask.add_argument("--json", action="store_true", help="print JSON (one object a line) instead of text")
    ask.add_argument("--lang", choices=["en", "zh"], help="language hint when the text does not tell")
    _common(ask)

    chat = commands.add_parser("chat", help="an interactive conversation in the terminal")
    chat.add_argument("--lang", choices=["en", "zh"], help="language hint")
    _common(chat)

    timeline = commands.add_parser("timeline", help="the events in order")
    timeline.add_argument("--person", metavar="NAME", help="only this person's events")
    timeline.add_argument("--since", metavar="DATE", type=date_option, action=DateRangeEnd,
                          help=f"from this date on, written as in a question: {EXAMPLES}")
    timeline.add_argument("--until", metavar="DATE", type=date_option, action=DateRangeEnd,
                          help="up to this date, included")
    timeline.add_argument("--lang", choices=["en", "zh"], default="en")
    timeline.add_argument("--png", metavar="FILE", type=Path,
                          help="draw the timeline as a PNG picture into FILE and list its numbered citations")
    _common(timeline)

    discord = commands.add_parser("discord", help="run the Discord bot (token in DISCORD_TOKEN)")
    _common(discord)
    discord_commands = discord.add_subparsers(dest="discord_command", metavar="DISCORD_COMMAND")
    discord_sync = discord_commands.add_parser("sync", help="register the slash commands with Discord")
    discord_sync.add_argument("--guild", type=int, metavar="ID", help="only in this server (shows at once)")
    _common(discord_sync)

    slack = commands.add_parser("slack", help="run the Slack bot (HTTP mode or Socket Mode)")
    slack.add_argument("--mode", choices=["http", "socket", "auto"], help="default: the slack_mode setting")
    slack.add_argument("--port", type=port_number, help="HTTP mode port, 1-65535 (default: the slack_port setting)")
    _common(slack)

    serve = commands.add_parser("serve", help="only the HTTP side: /healthz, /readyz, /metrics, /api/ask")
    serve.add_argument("--port", type=port_number, help="port, 1-65535 (default: the http_port setting)")
    _common(serve)
    config = commands.add_parser("config", help="the effective settings")
    _common(config)
    config_commands = config.add_subparsers(dest="config_command", required=True, metavar="CONFIG_COMMAND")
    _common(config_commands.add_parser("show", help="print the effective settings, secrets masked"))

    kb = commands.add_parser("kb", help="check, sync or describe the knowledge base")
    _common(kb)
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    _common(kb_commands.add_parser("check", help="validate the knowledge files (exit 1 on any error)"), database=False)
    fingerprint = kb_commands.add_parser(
        "fingerprint", help="let a source's quotes be verified without its text: fingerprint a copy you hold")
    fingerprint.add_argument("source", metavar="SOURCE", help="the source's id (sources.yaml)")
    fingerprint.add_argument("file", metavar="FILE", type=Path, help="a UTF-8 text copy of the source")
    fingerprint.add_argument("--force", action="store_true", help="write it even when some quotes do not verify")
    _common(fingerprint, database=False)
    sync = kb_commands.add_parser("sync", help="load the validated files into the store as a new version")
    _author(sync)
    _common(sync)
    _common(kb_commands.add_parser("stats", help="counts and the live version"))
    _common(kb_commands.add_parser("status", help="the live version, who loaded it, the last failed reload"))
    _common(kb_commands.add_parser("history", help="recent versions with their changes"))
    _common(kb_commands.add_parser("gaps", help="declined questions and 👎 answers: what to curate next"))
    rollback = kb_commands.add_parser("rollback", help="bring back an earlier version (its files too); works when "
                                      "the files do not validate")
    rollback.add_argument("version", type=int)
    rollback.add_argument("--dry-run", action="store_true", help="print what it would write and delete; change nothing")
    rollback.add_argument("--yes", action="store_true",
                          help="delete files the version did not have without asking (for scripts)")
    _author(rollback)
    _common(rollback)
    return parser


async def _run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings(knowledge_dir=args.knowledge, database_url=args.database,
                             http_port=args.port if args.command == "serve" else None)
    if args.command in ("discord", "slack", "serve"):  # long-running: the configured level and format
        from bot.logs import configure_logging

        configure_logging("DEBUG" if args.debug else settings.log_level, settings.log_format)
    if args.command == "ask":
        from bot.cli import ask

        if args.question == ["-"]:
            return await ask.ask_json_lines(settings, sys.stdin, args.lang)
        return await ask.ask_once(settings, " ".join(args.question), args.lang, args.json)
    if args.command == "chat":
        from bot.cli import chat

        return await chat.chat(settings, args.lang)
    if args.command == "discord":
        from bot.cli import platforms

        return await platforms.discord(settings, getattr(args, "discord_command", None), getattr(args, "guild", None))
    if args.command == "config":
        for name, value in settings.shown().items():
            print(f"{name} = {value}")
        return 0
    if args.command == "serve":
        from bot.cli import platforms

        return await platforms.serve_http(settings)
    if args.command == "slack":
        from bot.cli import platforms

        return await platforms.slack(settings, args.mode or settings.slack_mode, args.port or settings.slack_port)
    from bot.cli import kb

    if args.command == "timeline":
        since, until = (date.iso() if date else None for date in (args.since, args.until))
        return await kb.timeline(settings, args.person, since, until, args.lang, args.png)
    if args.kb_command == "fingerprint":
        from bot.cli.fingerprint import fingerprint

        return await fingerprint(settings, args.source, args.file, args.force)
    if args.kb_command in ("status", "history", "gaps", "rollback"):
        return await kb.admin(settings, args.kb_command, getattr(args, "version", None), getattr(args, "author", None),
                              dry_run=getattr(args, "dry_run", False), yes=getattr(args, "yes", False))
    if args.kb_command == "sync":
        return await kb.sync(settings, args.author)
    handler = {"check": kb.check, "stats": kb.stats}[args.kb_command]
    return await handler(settings)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bot.logs import configure_command_logging

    configure_command_logging(args.debug)  # warnings only; discord, slack and serve then log at log_level
    from bot.errors import CitebotError

    try:
        return asyncio.run(_run(args))
    except CitebotError as err:
        print(f"citebot: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `citebot ... | head`: the reader left; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:
        if args.debug:
            raise
        from bot.store.engine import mask_url  # an unforeseen error may quote a database or Redis URL

        print(f"citebot: unexpected error: {type(err).__name__}: {mask_url(str(err))} (run with --debug for details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
