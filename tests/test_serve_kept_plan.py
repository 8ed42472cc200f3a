"""`serve`'s memory of the last render plan (render/kept.py): an edit's rebuild keys again only the
page groups the edit affects, and the site it leaves is the one a full build makes from the same
digests — whatever the edit: a body, a title other pages show on their cards, a tag, an article
moved to another digest, a file deleted or added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest import serve
from digest.build import build
from digest.cache import Store
from digest.config import load_config
from digest.render import pages, render_site
from digest.render.kept import KeptPlan

from render_helpers import build_fixture, copy_fixture, fixture_site, site_files

EDITED = "port-strike-enters-second-week"
KEPT_CACHES = ("grouping.pickle", "first-seen.pickle")  # the digests and article times the served build used


class Served:
    """serve's session, rebuilt as serve rebuilds after the watcher reports a batch."""

    def __init__(self, root: Path) -> None:
        self.session = serve.Session(config=load_config(root), jobs=1)
        self.config, self.plan = self.session.config, self.session.kept_plan

    def rebuild(self, changed: set[Path]) -> None:
        self.session.known.changed = changed
        report, failure = serve._build(self.session)  # the search index made too, as a full build makes it
        assert failure is None and report is not None and report.problems == []
        self.session.store.save_deferred()


@pytest.fixture
def served(tmp_path: Path) -> Served:
    session = Served(copy_fixture(tmp_path / "served"))
    session.rebuild(set())
    assert session.plan.taken_over == 0  # nothing to take over yet
    return session


def _full_build(tmp_path: Path, root: Path) -> dict[str, bytes]:
    """The site a build without any memory of serve's makes from the same files and digests."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    shutil.copy(root / "digest.yaml", fresh / "digest.yaml")
    (fresh / ".digest-cache").mkdir()
    for name in KEPT_CACHES:
        if (root / ".digest-cache" / name).exists():
            shutil.copy(root / ".digest-cache" / name, fresh / ".digest-cache" / name)
    build(load_config(fresh), jobs=1, echo=lambda line: None)
    return site_files(fresh / "site")


def _rewrite(root: Path, slug: str, old: str, new: str) -> Path:
    path = root / "content" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _shown(site: dict[str, bytes], text: str) -> set[str]:
    return {path for path, data in site.items() if path.endswith(".html") and text.encode() in data}


def test_a_body_edit_keys_again_only_what_shows_the_article(served: Served, tmp_path: Path) -> None:
    root = served.config.root
    served.rebuild({_rewrite(root, EDITED, "the strike begins", "the walkout begins")})
    assert served.plan.taken_over > 0  # the lists that show only its card were not keyed again
    site = site_files(root / "site")
    assert _shown(site, "the walkout begins") == {f"articles/{EDITED}.html"}
    assert site == _full_build(tmp_path, root)


def test_a_new_title_shows_on_every_card_of_the_article(served: Served, tmp_path: Path) -> None:
    root = served.config.root
    before = _shown(site_files(root / "site"), "Port strike enters second week as talks stall")
    served.rebuild({_rewrite(root, EDITED, "title: Port strike enters", "title: Dock strike enters")})
    assert served.plan.taken_over > 0
    site = site_files(root / "site")
    after = _shown(site, "Dock strike enters second week as talks stall")
    assert len(before) > 3 and after == before  # its page, the home page, its tags', source's and month's lists…
    assert site == _full_build(tmp_path, root)


def test_an_edit_takes_the_manifest_the_last_build_wrote_from_memory(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digest.render

    read: list[Path] = []
    load = digest.render.load_manifest
    monkeypatch.setattr(digest.render, "load_manifest", lambda path: read.append(path) or load(path))
    root = served.config.root
    served.rebuild({_rewrite(root, EDITED, "the strike begins", "the walkout begins")})
    assert read == []
    served.rebuild({_rewrite(root, EDITED, "the walkout begins", "the strike starts")})
    assert read == []
    (root / ".digest-cache" / digest.render.MANIFEST).unlink()  # a manifest not as this session wrote it is read
    served.rebuild({_rewrite(root, EDITED, "the strike starts", "the walkout starts")})
    assert read == [root / ".digest-cache" / digest.render.MANIFEST]
    assert site_files(root / "site") == _full_build(tmp_path, root)


@pytest.mark.parametrize(
    "old, new",
    [("title: Port strike enters", "title: Dock strike enters"), ("the strike begins", "the walkout begins")],
)
def test_edits_with_every_list_and_digest_in_parts_of_one_page_stay_a_full_builds_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    # an edited article's neighbours in time link to it from parts of their own (pages.py, _Story.around)
    monkeypatch.setattr(pages, "PAGES_AT_ONCE", 1)
    monkeypatch.setattr(pages, "ARTICLES_AT_ONCE", 1)
    served = Served(copy_fixture(tmp_path / "served"))
    served.rebuild(set())
    root = served.config.root
    served.rebuild({_rewrite(root, EDITED, old, new)})
    assert served.plan.taken_over > 0
    assert site_files(root / "site") == _full_build(tmp_path, root)


def test_several_edits_in_a_row_stay_a_full_builds_site(served: Served, tmp_path: Path) -> None:
    root = served.config.root
    served.rebuild({_rewrite(root, EDITED, "the strike begins", "the walkout begins")})
    served.rebuild({_rewrite(root, "council-approves-new-tram-line", 'title: "City council', 'title: "Town council')})
    served.rebuild({_rewrite(root, EDITED, "the walkout begins", "the strike starts")})
    assert served.plan.taken_over > 0
    assert site_files(root / "site") == _full_build(tmp_path, root)


@pytest.mark.parametrize(
    "old, new",
    [
        ("tags: [labour, shipping, Rotterdam]", "tags: [labour, ports, Rotterdam]"),  # its lists change
        ("date: 2025-03-03T08:15:00+01:00", "date: 2025-01-03T08:15:00+01:00"),  # its month and place change
    ],
)
def test_an_edit_that_moves_the_article_between_lists_plans_the_whole_site(
    served: Served, tmp_path: Path, old: str, new: str
) -> None:
    root = served.config.root
    served.rebuild({_rewrite(root, EDITED, old, new)})
    assert served.plan.taken_over == 0
    assert site_files(root / "site") == _full_build(tmp_path, root)


def test_an_article_moved_to_another_digest(served: Served, tmp_path: Path) -> None:
    root = served.config.root
    other = "digests/tram-line-and-budget.html"
    assert f"{EDITED}.html" not in site_files(root / "site")[other].decode()
    served.rebuild(
        {_rewrite(root, EDITED, "author: Marta de Vries", "author: Marta de Vries\ndigest: Tram line and budget")}
    )
    site = site_files(root / "site")
    assert f"{EDITED}.html" in site[other].decode()
    assert site == _full_build(tmp_path, root)


def test_a_deleted_and_a_new_file(served: Served, tmp_path: Path) -> None:
    root = served.config.root
    gone = root / "content" / "tram-budget-questioned-by-auditors.md"
    gone.unlink()
    served.rebuild({gone})
    assert "articles/tram-budget-questioned-by-auditors.html" not in site_files(root / "site")
    assert site_files(root / "site") == _full_build(tmp_path, root)
    new = root / "content" / "ferry-timetable-changes.md"
    text = (root / "content" / f"{EDITED}.md").read_text(encoding="utf-8")
    new.write_text(
        text.replace(f"slug: {EDITED}", "slug: ferry-timetable-changes").replace(
            "title: Port strike enters second week as talks stall", "title: Ferry timetable changes for the summer"
        ),
        encoding="utf-8",
    )
    served.rebuild({new})
    assert "articles/ferry-timetable-changes.html" in site_files(root / "site")
    shutil.rmtree(tmp_path / "fresh")
    assert site_files(root / "site") == _full_build(tmp_path, root)


def test_a_new_title_shows_in_the_related_stories_of_another_digests_article(tmp_path: Path) -> None:
    """Rendered from the fixture's own digests (digests.yaml), whose related stories cross digests."""
    root = copy_fixture(tmp_path / "served")
    store, kept = Store(in_memory=True), KeptPlan()
    render_site(fixture_site(root, store), jobs=1, kept=kept)
    related = "City council approves new tram line"  # listed on the port strike's page, in another digest
    assert "articles/port-strike-enters-second-week.html" in _shown(site_files(root / "site"), related)
    _rewrite(root, "council-approves-new-tram-line", 'title: "City council', 'title: "Town council')
    render_site(fixture_site(root, store), jobs=1, kept=kept)
    assert kept.taken_over > 0
    fresh = copy_fixture(tmp_path / "fresh")
    shutil.copy(root / "content" / "council-approves-new-tram-line.md", fresh / "content")
    build_fixture(fresh, jobs=1)
    assert site_files(root / "site") == site_files(fresh / "site")
