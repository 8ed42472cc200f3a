"""Lines a site's template repeats: seeds of one site share their chrome, never their stories."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from digest.config import Config
from digest.ingest import chrome, ingest_all
from digest.ingest.template import copies, line_key, seed_lines, template_lines
from digest.model import read_article

MASTHEAD = ["Riverside Courier", "Weather: 14C, light rain", "Today's paper | Puzzles | Crosswords"]
FOOTER = ["Riverside Courier, 12 Quay Street", "Masthead and staff list"]
SHARED_SENTENCE = "The council did not respond to a request for comment."
BOILERPLATE = (
    "Readers can reach the newsroom with tips at any hour, and every correction we make is listed on the "
    "corrections page with the date it was made."
)


def story(topic: str, paragraphs: int = 3) -> list[str]:
    return [
        f"The {topic} plan was discussed again on Tuesday evening, when members of the committee "
        f"set out in detail what it would cost the town and who would pay for part {number} of it."
        for number in range(1, paragraphs + 1)
    ]


def page(topic: str, *extra: str) -> str:
    return "\n\n".join([*MASTHEAD, f"{topic.title()} plan returns to committee", *story(topic), *extra, *FOOTER])


def keys(lines: list[str]) -> set[int]:
    return {line_key(line) for line in lines}


# ------------------------------------------------------------------ which lines are the template's


def test_lines_two_pages_of_a_site_share_are_its_template_and_their_stories_are_not() -> None:
    seeds = {"a": seed_lines([page("ferry")]), "b": seed_lines([page("library")])}
    template = template_lines(seeds, ["a", "b"])
    assert keys(MASTHEAD + FOOTER) <= template["a"] == template["b"]
    assert not keys(story("ferry")) & template["a"]
    assert not keys(["Ferry plan returns to committee"]) & template["a"]


def test_a_seed_alone_has_no_template() -> None:
    assert template_lines({"a": seed_lines([page("ferry")])}, ["a"]) == {"a": frozenset()}


def test_copies_of_one_story_share_nothing_of_a_template() -> None:
    """The same wire story saved from two places: their common lines are the story's."""
    wire = "\n\n".join(["Harbour strike ends", *story("harbour"), "Short line of the story"])
    seeds = {"a": seed_lines([wire]), "b": seed_lines([wire + "\n\nAnother outlet's footer"])}
    assert copies(seeds["a"], seeds["b"])
    assert template_lines(seeds, ["a", "b"]) == {"a": frozenset(), "b": frozenset()}


def test_short_copies_of_one_story_are_copies_too() -> None:
    """A brief of three short sentences, saved twice with a word changed: still one story."""
    brief = (
        "Ferry fares rise\n\nThe harbour authority raised ferry fares by 5% on Monday.\n\nCommuters said it was unfair."
    )
    seeds = {"a": seed_lines([brief]), "b": seed_lines([brief.replace("Commuters", "Drivers")])}
    assert template_lines(seeds, ["a"])["a"] == frozenset()


def test_a_paragraph_every_page_of_a_site_carries_does_not_make_its_pages_copies() -> None:
    seeds = {"a": seed_lines([page("ferry", BOILERPLATE)]), "b": seed_lines([page("library", BOILERPLATE)])}
    assert not copies(seeds["a"], seeds["b"])
    assert keys(MASTHEAD) <= template_lines(seeds, ["a"])["a"]


def test_case_and_spacing_do_not_hide_a_repeated_line() -> None:
    assert line_key("Today's  paper |  Puzzles") == line_key("today's paper | puzzles ")


# ------------------------------------------------------------------ ingest


@pytest.fixture
def model_keeps_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that keeps every line: what goes, goes by the rules and the template."""
    keeper = dataclasses.replace(chrome.default_model(), threshold=0.0)
    monkeypatch.setattr(chrome, "default_model", lambda: keeper)


def ingest(root: Path, pages: dict[str, str]) -> dict[str, str]:
    seeds = root / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    for name, text in pages.items():
        (seeds / name).write_text(text, encoding="utf-8")
    ingest_all(Config(root=root))
    return {a.origin: a.body for a in map(read_article, sorted((root / "content").glob("*.md")))}


def test_ingest_drops_what_a_sites_pages_share_and_keeps_every_story_sentence(
    tmp_path: Path, model_keeps_all: None
) -> None:
    bodies = ingest(
        tmp_path,
        {"ferry.txt": page("ferry", SHARED_SENTENCE), "library.txt": page("library", SHARED_SENTENCE)},
    )
    for topic in ("ferry", "library"):
        body = bodies[f"seeds/{topic}.txt"]
        for line in MASTHEAD + FOOTER:
            assert line not in body
        for sentence in story(topic) + [SHARED_SENTENCE]:  # a sentence both stories tell stays in both
            assert sentence in body


def test_a_new_page_of_the_site_cleans_the_pages_before_it_as_a_fresh_build_would(
    tmp_path: Path, model_keeps_all: None
) -> None:
    first = ingest(tmp_path / "step", {"ferry.txt": page("ferry")})
    assert "Weather: 14C, light rain" in first["seeds/ferry.txt"]  # alone, nothing says it is the site's
    stepwise = ingest(tmp_path / "step", {"library.txt": page("library")})
    at_once = ingest(tmp_path / "once", {"ferry.txt": page("ferry"), "library.txt": page("library")})
    assert stepwise == at_once
    assert "Weather: 14C, light rain" not in stepwise["seeds/ferry.txt"]


def test_an_edited_content_file_keeps_its_edits_when_the_sites_template_changes(
    tmp_path: Path, model_keeps_all: None
) -> None:
    ingest(tmp_path, {"ferry.txt": page("ferry")})
    [path] = (tmp_path / "content").glob("*.md")
    edited = path.read_text(encoding="utf-8").replace("Tuesday evening", "Tuesday night")
    path.write_text(edited, encoding="utf-8")
    ingest(tmp_path, {"library.txt": page("library")})
    assert path.read_text(encoding="utf-8") == edited


def test_only_the_seeds_of_the_site_a_new_page_joins_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digest.ingest.seed as ingest_module

    other_site = "\n\n".join(["Valley Post", "Orchard grant approved", *story("orchard")])
    ingest(tmp_path, {"ferry.txt": page("ferry"), "orchard.txt": other_site})
    normalised: list[str] = []
    real = ingest_module._read_seed
    monkeypatch.setattr(ingest_module, "_read_seed", lambda *args: normalised.append(args[1]) or real(*args))
    ingest(tmp_path, {"library.txt": page("library")})
    assert sorted(normalised) == ["seeds/ferry.txt", "seeds/library.txt"]
    normalised.clear()
    (tmp_path / "seeds" / "library.txt").unlink()  # and when it goes, the pages it shared lines with
    ingest(tmp_path, {})
    assert normalised == ["seeds/ferry.txt"]
