"""Incremental rendering is computed, not guessed: every edit re-renders exactly the pages it changes.

Each case edits one thing a page can show (an article's title, date, source,
tags, summary or body; a digest's name, membership or overview; an article's
neighbours or related stories), rebuilds, and checks that
  * the site equals a build from scratch of the edited project (nothing stale survives), and
  * the pages rendered are exactly the pages given other data to show, found by
    making every page's full context before and after (nothing needless is rendered).

Then the in-place update is interrupted, before and after its commit point: site/
holds whole files only (each as before or as after), and the next build repairs it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import pytest
import yaml

import digest.render as render
import digest.render.output as output
from digest.render.pages import plan_pages

from render_helpers import build_fixture, copy_fixture, fixture_site, is_search_bundle, site_files

ARTICLE = "port-strike-enters-second-week"  # in a digest, between two neighbours, on several lists


def _edit(root: Path, slug: str, change: Callable[[str], str]) -> None:
    path = root / "content" / f"{slug}.md"
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit changed nothing"
    path.write_text(after, encoding="utf-8")


def _field(slug: str, name: str, value: str) -> Callable[[Path], None]:
    pattern = re.compile(rf"^{name}: .*$", re.MULTILINE)
    return lambda root: _edit(root, slug, lambda text: pattern.sub(f"{name}: {value}", text, count=1))


def _digests(change: Callable[[list[dict]], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / "digests.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    return apply


def _move_article(data: list[dict]) -> None:
    data[0]["articles"].remove("shipping-lines-reroute-cargo-to-antwerp")
    data[0]["overview"] = [p for p in data[0]["overview"] if p["article"] != "shipping-lines-reroute-cargo-to-antwerp"]
    data[1]["articles"].append("shipping-lines-reroute-cargo-to-antwerp")


EDITS: dict[str, Callable[[Path], None]] = {
    "title": _field(ARTICLE, "title", "Port strike enters a second week as talks collapse"),
    "date, moving it in every list": _field(ARTICLE, "date", "2025-02-20T08:15:00+01:00"),
    "date, same day other hour": _field(ARTICLE, "date", "2025-03-03T09:40:00+01:00"),
    "source": _field(ARTICLE, "source", "Delta Observer"),
    "tags": _field(ARTICLE, "tags", "[labour, Rotterdam, automation]"),
    "summary": _field(ARTICLE, "summary", "No talks are scheduled as the walkout continues."),
    "body": lambda root: _edit(root, ARTICLE, lambda text: text.replace("800 jobs", "850 jobs")),
    "estimated date": lambda root: _edit(
        root, ARTICLE, lambda text: text.replace("\nsource:", "\ndate_inferred: true\nsource:", 1)
    ),
    "a neighbour's title": _field(
        "union-and-operators-agree-to-mediation", "title", "Union and operators accept a mediator"
    ),
    "an undigested article's title": _field(
        "cafe-owners-we-are-not-giving-up", "title", "Café owners say they will stay open"
    ),
    "digest name": _digests(lambda data: data[0].update(name="Rotterdam dock strike")),
    "digest membership": _digests(_move_article),
    "digest overview": _digests(
        lambda data: data[1]["overview"][0].update(text="The council approved the line by 27 votes to 12.")
    ),
    "a related article's title": _field("council-approves-new-tram-line", "title", "Council backs the east tram line"),
    "related stories": _digests(lambda data: data[1]["related"].update({"council-approves-new-tram-line": [ARTICLE]})),
    "article removed": lambda root: (root / "content" / f"{ARTICLE}.md").unlink(),
    "article added": lambda root: (root / "content" / "ferry-service-resumes.md").write_text(
        "---\ntitle: Ferry service resumes\ndate: 2025-03-06\nsource: Harbour Gazette\ntags: [shipping]\n"
        "summary: The ferry runs again.\n---\n\nThe ferry to the islands runs again from Thursday.\n",
        encoding="utf-8",
    ),
}


def _shown(root: Path) -> dict[str, object]:
    """What every page is given to show, made without the keys under test: path → (template, context, body)."""
    from digest.feeds import feed_specs, spec_paths

    site = fixture_site(root)
    feed_paths = frozenset(path for spec in feed_specs(site) for path in spec_paths(site, spec))
    return {page.path: (page.template, page.make(), page.body) for page in plan_pages(site, feed_paths)}


def _fresh_build(root: Path) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as other:
        clean = Path(other) / "project"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".digest-cache"))
        build_fixture(clean, jobs=1)
        return site_files(clean / "site")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "project")
    assert build_fixture(root, jobs=1).problems == []
    return root


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_rerenders_exactly_the_pages_it_changes(built: Path, edit: str) -> None:
    before = site_files(built / "site")
    shown_before = _shown(built)
    EDITS[edit](built)
    shown_after = _shown(built)
    result = build_fixture(built, jobs=1)
    after = site_files(built / "site")
    assert after == _fresh_build(built), "a page the edit changes was not rendered again"
    changed = {path for path in after if path.endswith(".html") and before.get(path) != after[path]}
    assert changed, "the edit shows nowhere: not a useful case"
    # rendered again: exactly the pages given other data to show (a template may leave some of it unshown)
    given_other = {path for path, shown in shown_after.items() if shown_before.get(path) != shown}
    assert set(result.rendered_paths) == given_other
    assert changed <= given_other
    # (the search index's shards: tests/test_search_index.py)
    assert {p for p in result.written if not is_search_bundle(p)} == {
        path for path in after if before.get(path) != after[path]
    }
    assert {p for p in result.removed if not is_search_bundle(p)} == set(before) - set(after)


def test_a_body_edit_renders_the_article_page_only(built: Path) -> None:
    EDITS["body"](built)
    result = build_fixture(built, jobs=1)
    assert result.rendered_paths == [f"articles/{ARTICLE}.html"]


def test_an_edit_renders_the_lists_that_show_it_and_no_other(built: Path) -> None:
    EDITS["title"](built)
    result = build_fixture(built, jobs=1)
    shown = {
        path
        for path, data in site_files(built / "site").items()
        if path.endswith(".html") and b"as talks collapse" in data
    }
    assert {"tags/rotterdam.html", "sources/harbour-gazette.html", "archive/2025-03.html"} <= shown
    assert shown <= set(result.rendered_paths)
    assert "articles/tram-budget-questioned-by-auditors.html" not in result.rendered_paths


# ---------------------------------------------------------------- interrupted in-place updates


class Interrupted(BaseException):
    """Stands for the process being killed: nothing after it runs."""


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, steps: int) -> None:
    done = []
    real = output._rename

    def rename(source, target):
        if len(done) == steps:
            raise Interrupted
        done.append(target)
        real(source, target)

    monkeypatch.setattr(output, "_rename", rename)


def _assert_whole(site: dict[str, bytes], before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for path, data in site.items():
        assert data in (before.get(path), after.get(path)), f"{path} is neither the old file nor the new one"
    assert set(before) & set(after) <= set(site), "a file both sites have went missing"


@pytest.mark.parametrize("steps", [0, 1, 3])
def test_an_update_interrupted_after_its_commit_point_is_finished_by_the_next_build(
    built: Path, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    before = site_files(built / "site")
    EDITS["title"](built)
    EDITS["article added"](built)
    expected = _fresh_build(built)
    _interrupt_after(monkeypatch, steps)
    with pytest.raises(Interrupted):
        build_fixture(built, jobs=1)
    assert list(built.glob(".site.stage-*")), "the journal must survive the interruption"
    _assert_whole(site_files(built / "site"), before, expected)
    monkeypatch.undo()
    result = build_fixture(built, jobs=1)
    assert site_files(built / "site") == expected
    assert result.rendered == 0  # the journal finished the update: nothing left to render
    assert not list(built.glob(".site.*"))


def test_an_update_interrupted_before_its_commit_point_leaves_the_old_site(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = site_files(built / "site")
    EDITS["title"](built)

    def killed(*args, **kwargs):
        raise Interrupted

    monkeypatch.setattr(output, "_write_file", killed)  # the journal is never written
    with pytest.raises(Interrupted):
        build_fixture(built, jobs=1)
    assert site_files(built / "site") == before
    monkeypatch.undo()
    build_fixture(built, jobs=1)
    assert site_files(built / "site") == _fresh_build(built)
    assert not list(built.glob(".site.*"))


def test_small_updates_go_in_place_and_big_ones_are_swapped_in_whole(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = []
    for kind in ("InPlaceOutput", "SwapOutput"):
        real = getattr(render, kind)
        monkeypatch.setattr(render, kind, lambda *args, real=real, kind=kind: used.append(kind) or real(*args))
    EDITS["title"](built)
    build_fixture(built, jobs=1)
    monkeypatch.setattr(render, "IN_PLACE_MIN", 0)
    monkeypatch.setattr(render, "IN_PLACE_SHARE", 0.0)
    EDITS["summary"](built)
    build_fixture(built, jobs=1)
    assert used == ["InPlaceOutput", "SwapOutput"]
    assert site_files(built / "site") == _fresh_build(built)
