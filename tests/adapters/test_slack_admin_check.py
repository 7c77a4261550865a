"""Who may have the bot token (Slack's file hosts only) and how long the admin group's membership is kept."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.slack.admin_check import AdminCheck, AdminCheckFailed
from bot.adapters.slack.files import is_slack_file_host


@pytest.mark.parametrize(("url", "trusted"), [
    ("https://files.slack.com/files-pri/T1-F1/download/a.yaml", True),
    ("https://files.slack-gov.com/files-pri/T1-F1/a.yaml", True),
    ("http://files.slack.com/files-pri/T1-F1/a.yaml", False),  # not over TLS
    ("https://files.slack.com.evil.example/a.yaml", False),
    ("https://evilslack.com/a.yaml", False),
    ("https://evil.example/?files.slack.com", False),
    ("http://127.0.0.1:8080/files-pri/F1/a.yaml", True),  # the configured Web API's host
    ("http://127.0.0.1:8081/files-pri/F1/a.yaml", False),
])
def test_slack_file_hosts(url, trusted):
    assert is_slack_file_host(url, "http://127.0.0.1:8080/api/") is trusted


class Settings:
    slack_admin_user_ids = ("UADMIN",)
    slack_admin_usergroup = "SADMINS"


class Client:
    def __init__(self) -> None:
        self.members = ["U1"]
        self.calls = 0
        self.fail = False

    async def usergroups_users_list(self, usergroup: str) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            raise OSError("network down")
        return {"ok": True, "users": list(self.members)}


async def test_membership_is_kept_a_minute_then_read_again():
    now = [0.0]
    check, client = AdminCheck(Settings(), clock=lambda: now[0]), Client()
    assert await check.is_admin(client, "U1")
    client.members = []  # removed from the group
    now[0] = 59.0
    assert await check.is_admin(client, "U1") and client.calls == 1
    now[0] = 61.0
    assert not await check.is_admin(client, "U1") and client.calls == 2
    now[0] = 200.0
    client.fail = True
    with pytest.raises(AdminCheckFailed):
        await check.is_admin(client, "U1")
