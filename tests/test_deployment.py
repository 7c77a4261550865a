"""The compose file and the env example speak the program's real commands and settings."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from bot.cli.main import build_parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_VARIABLES = {"DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                      "POSTGRES_PASSWORD", "CITEBOT_CONFIG"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def citebot_services() -> dict[str, dict]:
    return {name: s for name, s in compose()["services"].items() if s.get("image") == "citebot:latest"}


@pytest.mark.parametrize("service", sorted(citebot_services()))
def test_every_compose_command_is_a_real_citebot_command(service):
    command = citebot_services()[service]["command"]
    args = build_parser().parse_args(command)  # exits (SystemExit) on an unknown command or option
    assert args.command == command[0]


def test_every_variable_is_a_real_setting_or_platform_secret():
    fields = {f"CITEBOT_{name.upper()}" for name in Settings.model_fields}
    variables = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    for service in citebot_services().values():
        variables |= set(service.get("environment", {}))
    unknown = variables - fields - PLATFORM_VARIABLES
    assert not unknown, f"not settings of the program: {sorted(unknown)}"


def test_knowledge_is_mounted_so_admins_edit_without_rebuilding():
    for name, service in citebot_services().items():
        assert "./knowledge:/app/knowledge" in service["volumes"], name
        assert service["environment"]["CITEBOT_KNOWLEDGE_DIR"] == "/app/knowledge"


def test_the_image_runs_as_a_non_root_user_with_a_cjk_font():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("noto-cjk-sans-otc") for d in dependencies)  # the font comes with pip install
    assert 'ENTRYPOINT ["citebot"]' in dockerfile


def test_the_bots_wait_for_the_migration_and_it_for_postgres():
    services = compose()["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for bot in ("discord", "slack"):
        assert services[bot]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
