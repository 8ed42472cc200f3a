"""The user's own files and site/: static/ is published as it is; a file digest did not make is never lost.

Every case runs both ways a build writes site/ (in place, and a new folder swapped in
whole), because a swap loses what it does not carry over just as surely as a delete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import pytest

import digest.render as render
from digest.build import build
from digest.config import load_config
from digest.model import Article, dump_article

STORIES = [
    ("harbour-strike-ends", "Harbour strike ends after nine days", "Dockers voted to accept the offer."),
    ("library-reopens", "City library reopens after repairs", "The roof was replaced over the winter."),
    ("tram-line-extended", "Tram line extended to the airport", "Trams will run every ten minutes."),
]
NOT_OURS = "not made by digest; kept — put it in static/ to publish it"


def write_story(project: Path, slug: str, title: str, body: str) -> Path:
    article = Article(
        slug=slug,
        title=title,
        body=f"{body}\n\nMore about {title.lower()}.",
        date=dt.date(2025, 3, 4),
        source="Example Wire",
        tags=["city"],
        summary=body,
    )
    path = project / "content" / f"{slug}.md"
    path.write_text(dump_article(article), encoding="utf-8")
    return path


@pytest.fixture(params=["in place", "swapped"])
def project(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if request.param == "swapped":  # every change big enough to make a new folder and swap it in
        monkeypatch.setattr(render, "IN_PLACE_MIN", -1)
        monkeypatch.setattr(render, "IN_PLACE_SHARE", 0)
    (tmp_path / "content").mkdir()
    (tmp_path / "digest.yaml").write_text("title: Harbour News\n", encoding="utf-8")
    for story in STORIES:
        write_story(tmp_path, *story)
    return tmp_path


Lines = list[str]


def run(project: Path) -> tuple[Lines, set[str], int]:
    """(the lines it printed, the stages it ran, its exit code)."""
    lines: Lines = []
    report = build(load_config(project), jobs=1, echo=lines.append)
    return lines, set(report.timings), report.exit_code


def put(root: Path, path: str, data: bytes = b"mine\n") -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


# ---------------------------------------------------------------- static/


def test_static_files_are_copied_into_site_as_they_are(project: Path) -> None:
    put(project, "static/CNAME", b"news.example.org\n")
    put(project, "static/.well-known/security.txt", b"Contact: mailto:desk@example.org\n")
    put(project, "static/docs/annual report.pdf", b"%PDF-1.7 \x00\x01\x02 binary")
    put(project, "static/.nojekyll", b"")
    put(project, "static/.DS_Store", b"desktop clutter")
    put(project, "static/CNAME~", b"an editor's backup")
    lines, _, code = run(project)
    assert (lines, code) == ([], 0)
    site = project / "site"
    assert (site / "CNAME").read_bytes() == b"news.example.org\n"
    assert (site / ".well-known" / "security.txt").read_bytes() == b"Contact: mailto:desk@example.org\n"
    assert (site / "docs" / "annual report.pdf").read_bytes() == b"%PDF-1.7 \x00\x01\x02 binary"
    assert (site / ".nojekyll").is_file()
    assert not (site / ".DS_Store").exists() and not (site / "CNAME~").exists()
    assert (site / "index.html").is_file()


def test_static_edits_additions_and_removals_reach_site_in_incremental_builds(project: Path) -> None:
    put(project, "static/CNAME", b"old.example.org\n")
    put(project, "static/gone.txt")
    run(project)
    assert run(project)[1] == {"ingest", "check"}  # nothing changed: nothing rendered
    put(project, "static/CNAME", b"new.example.org\n")
    _, stages, _ = run(project)
    assert "render" in stages  # the no-op check sees static/
    assert (project / "site" / "CNAME").read_bytes() == b"new.example.org\n"
    (project / "static" / "gone.txt").unlink()
    put(project, "static/img/logo.svg", b"<svg/>")
    lines, _, _ = run(project)
    assert not (project / "site" / "gone.txt").exists()  # digest copied it, digest removes it
    assert (project / "site" / "img" / "logo.svg").read_bytes() == b"<svg/>"
    assert lines == []


def test_a_static_file_at_an_address_the_site_uses_is_named_and_the_page_kept(project: Path) -> None:
    put(project, "static/index.html", b"<p>my own home page</p>")
    put(project, "static/articles", b"a file where the site keeps a folder")
    lines, _, code = run(project)
    assert "static/index.html: not published: the site makes site/index.html itself; rename it" in lines
    assert "static/articles: not published: the site makes site/articles itself; rename it" in lines
    assert code == 1
    assert "Harbour News" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert (project / "site" / "articles" / "library-reopens.html").is_file()
    (project / "static" / "index.html").unlink()
    (project / "static" / "articles").unlink()
    assert run(project)[0] == []  # the lines end with their cause


# ---------------------------------------------------------------- files digest did not make


def test_a_file_placed_in_site_is_kept_and_named_once(project: Path) -> None:
    run(project)
    put(project, "site/hand.txt")
    put(project, "site/photos/beach.jpg", b"\xff\xd8\xff photo")
    lines, _, code = run(project)
    assert lines == [f"site/hand.txt: {NOT_OURS}", f"site/photos/beach.jpg: {NOT_OURS}"]
    assert code == 0  # kept, not a problem
    assert run(project)[0] == []  # said once
    write_story(project, "library-reopens", "City library reopens after long repairs", "The roof was replaced.")
    lines, stages, _ = run(project)  # a rebuild that rewrites pages
    assert "render" in stages and lines == []
    assert (project / "site" / "hand.txt").read_bytes() == b"mine\n"
    assert (project / "site" / "photos" / "beach.jpg").read_bytes() == b"\xff\xd8\xff photo"


def test_a_site_folder_that_was_there_before_the_first_build_keeps_its_files(project: Path) -> None:
    put(project, "site/notes.txt")
    put(project, "site/googleabc123.html", b"google-site-verification: googleabc123.html")
    lines, _, _ = run(project)
    assert lines == [f"site/googleabc123.html: {NOT_OURS}", f"site/notes.txt: {NOT_OURS}"]
    assert (project / "site" / "notes.txt").read_bytes() == b"mine\n"
    assert (project / "site" / "index.html").is_file()


def test_a_file_that_comes_back_is_named_again(project: Path) -> None:
    run(project)
    put(project, "site/hand.txt")
    assert run(project)[0] == [f"site/hand.txt: {NOT_OURS}"]
    (project / "site" / "hand.txt").unlink()
    assert run(project)[0] == []
    put(project, "site/hand.txt")
    assert run(project)[0] == [f"site/hand.txt: {NOT_OURS}"]


def test_a_page_the_user_changed_is_kept_when_its_article_goes(project: Path) -> None:
    run(project)
    edited = project / "site" / "articles" / "library-reopens.html"
    untouched = project / "site" / "articles" / "tram-line-extended.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "<!-- my note -->\n", encoding="utf-8")
    (project / "content" / "library-reopens.md").unlink()
    (project / "content" / "tram-line-extended.md").unlink()
    lines, _, _ = run(project)
    assert not untouched.exists()  # digest's own page of a removed article goes
    assert "<!-- my note -->" in edited.read_text(encoding="utf-8")
    assert lines == [f"site/articles/library-reopens.html: {NOT_OURS}"]


def test_a_file_where_the_site_needs_a_folder_is_moved_aside_not_deleted(project: Path) -> None:
    put(project, "site/tags", b"a file called tags")
    lines, _, _ = run(project)
    assert lines == ["site/tags: not made by digest, and in the way of the new site; moved to site-kept/tags"]
    assert (project / "site-kept" / "tags").read_bytes() == b"a file called tags"
    assert (project / "site" / "tags" / "index.html").is_file()
    (project / "site" / "tags" / "city.html").unlink()
    put(project, "site/tags/city.html/x", b"again")  # inside a folder where the site needs a file
    lines, _, _ = run(project)
    assert lines == [
        "site/tags/city.html/x: not made by digest, and in the way of the new site; "
        "moved to site-kept-2/tags/city.html/x"
    ]  # not over, nor into, what was put aside before
    assert (project / "site-kept-2" / "tags" / "city.html" / "x").read_bytes() == b"again"
    assert (project / "site-kept" / "tags").read_bytes() == b"a file called tags"
    assert (project / "site" / "tags" / "city.html").is_file()


def test_a_link_placed_in_site_stays_a_link(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("media")
    run(project)
    (project / "site" / "media").symlink_to(elsewhere, target_is_directory=True)
    write_story(project, "tram-line-extended", "Tram line extended to the new airport", "Trams every ten minutes.")
    lines, _, _ = run(project)
    assert lines == [f"site/media: {NOT_OURS}"]
    assert (project / "site" / "media").is_symlink() and (project / "site" / "media").resolve() == elsewhere


@pytest.mark.parametrize(
    "remove",
    [lambda p: None, lambda p: (p / ".digest-cache").rename(p / "old-cache")],
    ids=["with its cache", "cache deleted"],
)
def test_nothing_digest_made_is_called_the_users(project: Path, remove: Callable[[Path], None]) -> None:
    run(project)
    remove(project)
    lines, _, _ = run(project)
    assert lines == []


def test_a_file_of_the_users_in_the_search_folder_is_still_the_users(project: Path) -> None:
    run(project)
    years = [p for p in (project / "site" / "pagefind").iterdir() if p.is_dir()]
    assert years  # the index has a shard folder to put a file in
    put(project / "site", f"pagefind/{years[0].name}/notes.txt")
    put(project / "site", "pagefind/index-notes.md")
    lines, _, _ = run(project)
    assert set(lines) == {
        f"site/pagefind/index-notes.md: {NOT_OURS}",
        f"site/pagefind/{years[0].name}/notes.txt: {NOT_OURS}",
    }
