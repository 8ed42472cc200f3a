"""Under `serve`, an article added to (or removed from) a large archive is on screen at once, in the
digests as they were; the regroup follows once the editor pauses, and leaves the site a build that
regrouped at once would have made."""

from __future__ import annotations

import contextlib
import shutil
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

import digest.group as group
from digest import serve
from digest.build import build
from digest.config import load_config
from digest.livereload import LiveState
from digest.watch import ChangeQueue

from render_helpers import InterruptedOnceRunning, copy_fixture, site_files

EDITED = "port-strike-enters-second-week"
NEW = "ferry-timetable-changes"
GONE = "tram-budget-questioned-by-auditors"


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> serve.Session:
    monkeypatch.setattr(group, "PROVISIONAL_FROM", 1)  # the fixture's few articles stand for a large archive
    session = serve.Session(config=load_config(copy_fixture(tmp_path / "served")), jobs=1)
    _rebuild(session, set(), deferring=False)
    return session


def _rebuild(session: serve.Session, changed: set[Path], deferring: bool = True) -> serve.BuildReport:
    session.known.changed = changed
    report, failure = serve._build(session, deferring, deferring)
    assert failure is None and report is not None and report.problems == []
    session.store.save_deferred()
    return report


def _add(root: Path) -> Path:
    text = (root / "content" / f"{EDITED}.md").read_text(encoding="utf-8")
    new = root / "content" / f"{NEW}.md"
    new.write_text(
        text.replace(f"slug: {EDITED}", f"slug: {NEW}").replace(
            "title: Port strike enters second week as talks stall", "title: Ferry timetable changes for the summer"
        ),
        encoding="utf-8",
    )
    return new


def _regrouped_at_once(tmp_path: Path, root: Path, grouping_before: bytes) -> dict[str, bytes]:
    """The site of a build that regroups the same files from the grouping serve had before the edit."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    shutil.copy(root / "digest.yaml", fresh / "digest.yaml")
    (fresh / ".digest-cache").mkdir()
    (fresh / ".digest-cache" / "grouping.pickle").write_bytes(grouping_before)
    if (root / ".digest-cache" / "first-seen.pickle").exists():  # when articles were first seen: their `added`
        shutil.copy(root / ".digest-cache" / "first-seen.pickle", fresh / ".digest-cache" / "first-seen.pickle")
    report = build(load_config(fresh), jobs=1, echo=lambda line: None)
    assert report.problems == []
    return site_files(fresh / "site")


def _digests_json(root: Path) -> str:
    return (root / "site" / "digests.json").read_text(encoding="utf-8")


def test_an_added_article_is_shown_at_once_and_grouped_when_the_editor_pauses(
    session: serve.Session, tmp_path: Path
) -> None:
    root = session.config.root
    grouping_before = (root / ".digest-cache" / "grouping.pickle").read_bytes()
    digests_before = _digests_json(root)
    report = _rebuild(session, {_add(root)})
    assert report.group_stale and session.group_stale
    assert serve._idle(session, put_off=0) == serve.SEARCH_AFTER  # the loop comes back once the editor pauses
    site = site_files(root / "site")
    listed = {path for path, data in site.items() if path.endswith(".html") and f"{NEW}.html".encode() in data}
    assert f"articles/{NEW}.html" in site and {"sources/harbour-gazette.html", "tags/rotterdam.html"} <= listed
    assert _digests_json(root) == digests_before  # the digests as they were, for the moment

    report = _rebuild(session, set(), deferring=False)  # what the loop runs when idle
    assert not report.group_stale and not session.group_stale
    assert NEW in _digests_json(root)
    assert site_files(root / "site") == _regrouped_at_once(tmp_path, root, grouping_before)


def test_a_removed_article_leaves_the_digests_at_once(session: serve.Session, tmp_path: Path) -> None:
    root = session.config.root
    grouping_before = (root / ".digest-cache" / "grouping.pickle").read_bytes()
    assert GONE in _digests_json(root)
    gone = root / "content" / f"{GONE}.md"
    gone.unlink()
    report = _rebuild(session, {gone})
    assert report.group_stale
    site = site_files(root / "site")
    assert f"articles/{GONE}.html" not in site
    assert not [path for path, data in site.items() if path.endswith(".html") and GONE.encode() in data]
    assert GONE not in _digests_json(root)
    _rebuild(session, set(), deferring=False)
    assert site_files(root / "site") == _regrouped_at_once(tmp_path, root, grouping_before)


def test_the_next_digest_build_regroups_what_serve_put_off(session: serve.Session, tmp_path: Path) -> None:
    root = session.config.root
    grouping_before = (root / ".digest-cache" / "grouping.pickle").read_bytes()
    assert _rebuild(session, {_add(root)}).group_stale
    report = build(load_config(root), jobs=1, echo=lambda line: None)  # the editor stops serve and builds
    assert not report.group_stale and "render" in report.timings  # not skipped as already built
    assert NEW in _digests_json(root)
    assert site_files(root / "site") == _regrouped_at_once(tmp_path, root, grouping_before)


def test_a_regroup_an_edit_interrupts_leaves_the_site_as_it_was_until_the_next_pause(
    session: serve.Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The idle regroup runs in a process of its own (the fixture stands for an archive that large):
    an edit saved meanwhile kills it and stops the idle build, so the edit is built without waiting."""
    monkeypatch.setattr(group, "APART_FROM", 1)
    root = session.config.root
    grouping_before = (root / ".digest-cache" / "grouping.pickle").read_bytes()
    assert _rebuild(session, {_add(root)}).group_stale
    site_before, known_before = site_files(root / "site"), dict(session.known.content)
    interrupt = InterruptedOnceRunning()  # as the change queue's, set by an edit once the regroup runs
    monkeypatch.setattr(ChangeQueue, "interrupting", lambda queue: contextlib.nullcontext(interrupt))
    state = LiveState(site_dir=lambda: session.config.site_dir)
    assert serve._catch_up(session, state, ChangeQueue(), put_off=0)  # idle, and an edit comes in
    apart = [process for process in interrupt.killed if isinstance(process, BaseProcess)]
    assert apart and all(process.exitcode not in (None, 0) for process in apart)
    assert "regroup put off (an edit came in)" in capsys.readouterr().err
    assert session.group_stale and session.search_stale  # both done at the next pause
    assert site_files(root / "site") == site_before
    assert (root / ".digest-cache" / "grouping.pickle").read_bytes() == grouping_before
    assert session.known.content == known_before  # the next edit's rebuild need not walk content/

    report = _rebuild(session, set(), deferring=False)  # the next pause
    assert not report.group_stale and NEW in _digests_json(root)
    assert site_files(root / "site") == _regrouped_at_once(tmp_path, root, grouping_before)
