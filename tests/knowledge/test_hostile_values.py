"""Values a hostile or careless file holds: each is refused with file, line and field, never a crash or a surprise."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.dates import PartialDate
from bot.knowledge.loader import check_knowledge
from bot.knowledge.models import TEXT_MAX_CHARS, Source
from tests.knowledge.samples import GOOD_EVENT, write


def lines(folder: Path) -> list[str]:
    return [str(p) for p in check_knowledge(folder).errors]


@pytest.mark.parametrize("style", ["block", "flow"])
def test_deep_nesting_is_refused_with_its_line(folder: Path, style: str):
    """libyaml accepts up to 1,000 levels; a walk that recursed that deep met Python's recursion limit."""
    depth = 995
    body = {"block": "\n" + "".join(" " * (4 + i) + "a:\n" for i in range(depth)) + " " * (4 + depth) + "x\n",
            "flow": " " + "[" * depth + "]" * depth + "\n"}[style]
    (folder / "deep.yaml").write_text("events:\n  - id: deep\n    title:" + body, encoding="utf-8")
    [line] = lines(folder)
    assert "deep.yaml:" in line and "nested more than 32 levels deep" in line
    assert line.split("deep.yaml:")[1].split(":")[0].isdigit()  # file:line


def test_running_out_of_memory_on_a_file_is_a_problem_for_that_file(folder: Path, monkeypatch):
    import bot.knowledge.loader as loader

    def exhausted(_text: str) -> None:
        raise MemoryError  # what CPython raises, with an empty message

    write(folder, "events.yaml", GOOD_EVENT)
    monkeypatch.setattr(loader, "parse_yaml", exhausted)
    got = lines(folder)
    assert any(line.endswith("events.yaml: file is too large or too deeply nested to read") for line in got), got


def test_a_text_field_has_a_length_limit(folder: Path):
    """A 1.9 MB ``text`` was once sent as 464 chat messages."""
    huge = "Something launched in May. " * 70_000
    write(folder, "events.yaml", GOOD_EVENT.replace("Something launched in May.", huge))
    got = lines(folder)
    assert any(f"events.yaml:5: events[0].text.en: String should have at most {TEXT_MAX_CHARS} characters" in line
               for line in got), got


def test_a_title_is_one_line_not_a_text(folder: Path):
    write(folder, "events.yaml", GOOD_EVENT.replace("The launch", "A long title " * 20))
    assert any("events[0].title.en: String should have at most 200 characters" in line for line in lines(folder))


@pytest.mark.parametrize("url", [
    "https://example.com/a)[x](https://evil.example",  # a second Markdown link
    "https://example.com/a>|<https://evil.example|Click",  # a second Slack link
    "https://example.com/a b",
    "https://bank.example@evil.example/",
    "javascript:alert(1)",
    "https://exa mple.com",
    "https://example.com/\u200b",
    "https://example.com/" + "a" * 2000,
])
def test_a_source_url_that_could_break_a_link_is_refused(url: str):
    with pytest.raises(ValueError, match="url"):
        Source(id="src-a", title="A", publisher="P", language="en", url=url)


@pytest.mark.parametrize("url", [
    "https://www.vox.com/future-perfect/2024/5/17/24158403/openai-resignations-ai-safety",
    "http://example.com",
    "https://example.com:8443/a?b=c&d=%28e%29#f",
    "https://x.com/janleike/status/1791498174659715494",
])
def test_plain_urls_are_accepted(url: str):
    assert Source(id="src-a", title="A", publisher="P", language="en", url=url).url == url


@pytest.mark.parametrize("text", ["٢٠٢٤-٠٥-١٤", "２０２４", "2024-０5", "۲۰۲۴"])
def test_dates_are_ascii_digits_only(text: str):
    with pytest.raises(ValueError, match="malformed date"):
        PartialDate.parse(text)


def test_a_date_in_arabic_indic_digits_is_a_file_error(folder: Path):
    write(folder, "events.yaml", GOOD_EVENT.replace('"2024-05"', '"٢٠٢٤-٠٥"'))
    assert any("events.yaml:3: events[0].date: malformed date" in line for line in lines(folder))
