"""The escaping points themselves: Slack's outgoing ``defuse`` and Discord's ``safe``, on chosen and arbitrary
text (hypothesis): nothing they return pings or links but to an allowed URL, and text already safe is kept."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.defuse import break_links
from bot.adapters.discord.render import SafeEmbed, safe
from bot.adapters.slack.blocks import escape, link
from bot.adapters.slack.outgoing import defuse, defuse_text

SOURCE = "https://www.vox.com/a?b=1&c=2"
LINKS = frozenset({SOURCE, SOURCE.replace("&", "&amp;")})
ZWSP = "\u200b"

# Text made of the pieces that matter: control characters, mention and link syntax, a source URL.
pieces = st.sampled_from(["<", ">", "|", "!", "@", "#", "&", "^", "[", "]", "(", ")", ":", "/", ".", " ", "\n",
                          "channel", "here", "everyone", "U999", "123", "https://", "http:", "//", "www.", "evil",
                          "example", SOURCE, "subteam", "mailto:", "&lt;", "&gt;", "&amp;", ZWSP])
hostile = st.lists(pieces, max_size=30).map("".join)


def slack_problems(text: str) -> list[str]:
    found = [m.group(0) for m in re.finditer(r"<([^<>]*)>", text) if m.group(1).partition("|")[0] not in LINKS]
    found += re.findall(r"<[!@#]|(?i:@(?:everyone|here|channel))", text)
    bare = re.sub(r"<[^<>]*>", "", text)  # what is outside the kept links
    found += [m for m in re.findall(r"(?i)[a-z][a-z0-9+.\-]*://\S*|www\.\S*", bare) if not m.startswith(SOURCE)]
    return found


@given(hostile)
def test_slack_defused_text_pings_no_one_and_links_only_to_sources(text):
    assert slack_problems(defuse_text(text, LINKS)) == []
    assert slack_problems(escape(text)) == [] and "<" not in escape(text)


@given(hostile)
def test_slack_defusing_escaped_text_changes_nothing(text):
    shown = escape(text)
    assert defuse_text(shown, LINKS) == shown
    assert defuse_text(defuse_text(text, LINKS), LINKS) == defuse_text(text, LINKS)


@given(hostile)
def test_discord_safe_text_pings_no_one_and_links_only_to_sources(text):
    out = safe(text, LINKS)
    assert not re.search(r"(?i)@(everyone|here)|<@[!&]?\d+>|<#\d+>", out)
    assert all(m.startswith(SOURCE) for m in re.findall(r"(?i)[a-z][a-z0-9+.\-]*://\S*|www\.\S*", out))
    assert safe(out, LINKS) == out


def test_a_source_link_is_kept_and_a_lookalike_is_not():
    kept = link(SOURCE, "Vox")
    assert defuse_text(f"see {kept}", LINKS) == f"see {kept}"
    assert break_links(f"{SOURCE} and {SOURCE}.evil.example/x", LINKS) == (
        f"{SOURCE} and https:{ZWSP}//www{ZWSP}.vox.com/a?b=1&c=2.evil.example/x")
    assert defuse_text("<https://www.vox.com.evil.example|Vox>", LINKS) == (
        f"&lt;https:{ZWSP}//www{ZWSP}.vox.com.evil.example|Vox&gt;")


def test_a_whole_slack_payload_is_defused_but_its_ids_and_values_are_not():
    payload = {
        "channel": "C1", "text": "<!channel> hi", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "<@U999>"}},
            {"type": "actions", "block_id": "share", "elements": [
                {"type": "button", "action_id": "share", "value": "<!here>",
                 "text": {"type": "plain_text", "text": "@here"}}]}],
        "files": json.dumps([{"id": "F1", "title": "<!everyone>"}]),  # as slack_sdk sends it in a query
    }
    out = defuse(payload, LINKS)
    assert out["text"] == "&lt;!channel&gt; hi" and out["channel"] == "C1"
    assert out["blocks"][0]["text"] == {"type": "mrkdwn", "text": "&lt;@U999&gt;", "verbatim": True}
    button = out["blocks"][1]["elements"][0]
    assert button["value"] == "<!here>" and button["text"]["text"] == f"@{ZWSP}here"  # a value is data, never shown
    assert json.loads(out["files"]) == [{"id": "F1", "title": "&lt;!everyone&gt;"}]


def test_a_typed_mention_in_an_attachment_field_is_defused_but_button_and_option_values_are_not():
    """A legacy attachment's ``fields[].value`` is shown in the channel; only buttons' and options' values are data."""
    typed = "<!channel> <https://evil.example|Click me> @here"
    attachment = {
        "fallback": typed, "fields": [{"title": typed, "value": typed, "short": False}],
        "actions": [{"type": "button", "name": "share", "text": typed, "value": typed},
                    {"type": "select", "name": "pick", "text": typed, "options": [{"text": typed, "value": typed}],
                     "selected_options": [{"text": typed, "value": typed}]}],
    }
    blocks = [{"type": "actions", "elements": [
        {"type": "button", "action_id": "share", "value": typed, "text": {"type": "plain_text", "text": typed}},
        {"type": "static_select", "action_id": "pick", "placeholder": {"type": "plain_text", "text": typed},
         "options": [{"text": {"type": "plain_text", "text": typed}, "value": typed}],
         "initial_option": {"text": {"type": "plain_text", "text": typed}, "value": typed}}]}]
    for out in (defuse({"attachments": [attachment], "blocks": blocks}, LINKS),
                {k: json.loads(v) for k, v in defuse({"attachments": json.dumps([attachment]),  # as in a form
                                                       "blocks": json.dumps(blocks)}, LINKS).items()}):
        [sent] = out["attachments"]
        assert sent["fields"] == [{"title": defuse_text(typed, LINKS), "value": defuse_text(typed, LINKS),
                                   "short": False}]
        assert slack_problems(sent["fields"][0]["value"]) == [] and slack_problems(sent["fallback"]) == []
        button, select = sent["actions"]
        assert button["value"] == typed and slack_problems(button["text"]) == []
        assert select["options"] == [{"text": defuse_text(typed, LINKS), "value": typed}]
        assert select["selected_options"] == select["options"]
        block_button, block_select = out["blocks"][0]["elements"]
        assert block_button["value"] == typed and slack_problems(block_button["text"]["text"]) == []
        assert [o["value"] for o in (*block_select["options"], block_select["initial_option"])] == [typed, typed]
        assert slack_problems(block_select["options"][0]["text"]["text"]) == []


def test_every_text_of_a_discord_embed_is_safe_whichever_field_it_is_in():
    embed = SafeEmbed(title="@everyone", description="[x](https://evil.example)", links={SOURCE})
    embed.add_field(name="<@123>", value=f"[Vox]({SOURCE})")
    embed.set_footer(text="<#789> www.evil.example")
    embed.set_author(name="@here", url="https://example.org/author")
    sent = embed.copy().to_dict()  # as discord.py copies and serialises it
    assert sent["title"] == f"@{ZWSP}everyone" and sent["description"] == f"[x](https:{ZWSP}//evil.example)"
    assert sent["fields"] == [{"name": f"<@{ZWSP}123>", "value": f"[Vox]({SOURCE})", "inline": True}]
    assert sent["footer"]["text"] == f"<#{ZWSP}789> www{ZWSP}.evil.example"
    assert sent["author"] == {"name": f"@{ZWSP}here", "url": "https://example.org/author"}
