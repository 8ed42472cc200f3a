"""Seeds that hold many articles (feeds) under ingest's guarantees: one article per entry, the same entry
seen again updates it (never a second one), hand edits are kept, and what is gone is reported."""

from __future__ import annotations

import os
from pathlib import Path

import digest.ingest.seed as ingest
from digest.config import Config
from digest.ingest import ingest_all
from digest.model import read_article

KINDS = Path(__file__).parent / "data" / "kinds"

STORIES = {
    "g-1": (
        "Harbour wall repairs begin",
        "https://news.example/harbour-wall",
        "Repairs to the harbour wall began on Monday, the council said, and will take eight months to finish.",
    ),
    "g-2": (
        "Ferry fares rise again",
        "https://news.example/ferry-fares",
        "Ferry fares will rise by five per cent from April, the operator said, blaming the price of fuel.",
    ),
    "g-3": (
        "Lifeboat station gets a new boat",
        "https://news.example/lifeboat",
        "The lifeboat station took delivery of a new all-weather boat on Friday after a three-year appeal.",
    ),
}


def rss(*entries: tuple[str, str, str, str], title: str = "Coast News") -> str:
    """A feed of (guid, title, link, text) entries, each with the same long-enough body shape."""
    items = "".join(
        f'<item><title>{headline}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>Mon, 03 Mar 2025 09:00:00 +0000</pubDate><description>{text}</description>"
        f"<content:encoded><![CDATA[<p>{text}</p><p>{text.replace('said', 'told reporters')}</p>]]></content:encoded></item>"
        for guid, headline, link, text in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>https://news.example/</link>{items}</channel></rss>"
    )


def entry(story: str, **changes: str) -> tuple[str, str, str, str]:
    headline, link, text = STORIES[story]
    return (
        changes.get("guid", story),
        changes.get("title", headline),
        changes.get("link", link),
        changes.get("text", text),
    )


def write(root: Path, name: str, text: str, *, age: int = 0) -> Path:
    """A seed written `age` seconds ago (later writes are newer files)."""
    path = root / "seeds" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = 1_750_000_000 - age
    os.utime(path, (stamp, stamp))
    return path


def content(root: Path) -> dict[str, object]:
    """origin → article of every content file."""
    return {a.origin: a for a in (read_article(p) for p in sorted((root / "content").glob("*.md")))}


def build(root: Path):
    return ingest_all(Config(root=root))


def test_a_feed_makes_one_article_per_entry_named_by_its_guid(tmp_path: Path) -> None:
    write(tmp_path, "coast.xml", rss(entry("g-1"), entry("g-2")))
    report = build(tmp_path)
    assert (report.read, report.written, report.rejected) == (1, 2, [])
    made = content(tmp_path)
    assert len(made) == 2 and all(origin.startswith("seeds/coast.xml#") for origin in made)
    assert {a.title for a in made.values()} == {"Harbour wall repairs begin", "Ferry fares rise again"}
    assert {a.extra["url"] for a in made.values()} == {
        "https://news.example/harbour-wall",
        "https://news.example/ferry-fares",
    }


def test_the_next_fetch_of_a_feed_updates_its_entries_and_adds_only_the_new_ones(tmp_path: Path) -> None:
    write(tmp_path, "coast-1.xml", rss(entry("g-1"), entry("g-2")), age=3600)
    build(tmp_path)
    before = {p.name for p in (tmp_path / "content").glob("*.md")}
    changed = "Repairs to the harbour wall began on Monday, the council said, and will now take ten months to finish."
    write(tmp_path, "coast-2.xml", rss(entry("g-1", text=changed), entry("g-2"), entry("g-3")))
    report = build(tmp_path)
    after = content(tmp_path)
    assert len(after) == 3  # g-1 and g-2 once each, g-3 new
    assert {p.name for p in (tmp_path / "content").glob("*.md")} >= before  # same files, same slugs
    wall = next(a for a in after.values() if a.title == "Harbour wall repairs begin")
    assert "ten months" in wall.body and wall.origin.startswith("seeds/coast-2.xml#")
    assert "seeds/coast-1.xml: not used: all it holds is in seeds/coast-2.xml too" in "\n".join(report.messages)


def test_the_same_link_under_another_guid_is_the_same_entry(tmp_path: Path) -> None:
    write(tmp_path, "a.xml", rss(entry("g-1")), age=60)
    write(tmp_path, "b.xml", rss(entry("g-1", guid="https://news.example/?p=9913")))
    build(tmp_path)
    assert len(content(tmp_path)) == 1


def test_an_entry_in_two_feed_files_at_once_is_one_article(tmp_path: Path) -> None:
    write(tmp_path, "coast.xml", rss(entry("g-1"), entry("g-2")))
    write(tmp_path, "aggregator.xml", rss(entry("g-2"), entry("g-3"), title="Everything Coastal"))
    report = build(tmp_path)
    assert len(content(tmp_path)) == 3 and report.rejected == []
    assert not any("not used" in line for line in report.messages)  # each file still gives something of its own


def test_a_hand_edited_entry_is_never_overwritten_and_its_update_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "coast-1.xml", rss(entry("g-1")), age=3600)
    build(tmp_path)
    [path] = (tmp_path / "content").glob("*.md")
    edited = path.read_text(encoding="utf-8").replace(
        "Repairs to the harbour wall", "EDITED: repairs to the harbour wall"
    )
    path.write_text(edited, encoding="utf-8")
    write(
        tmp_path,
        "coast-2.xml",
        rss(entry("g-1", text="Repairs to the harbour wall began on Tuesday instead, the council said today.")),
    )
    report = build(tmp_path)
    assert path.read_text(encoding="utf-8") == edited and len(list((tmp_path / "content").glob("*.md"))) == 1
    assert any(
        line.startswith(f"content/{path.name}: kept your edits; its seed seeds/coast-2.xml#")
        for line in report.messages
    )


def test_an_entry_that_leaves_its_feed_keeps_its_article_quietly(tmp_path: Path) -> None:
    feed = write(tmp_path, "coast.xml", rss(entry("g-1"), entry("g-2")), age=3600)
    build(tmp_path)
    write(tmp_path, feed.name, rss(entry("g-2"), entry("g-3")))  # the feed moved on: g-1 fell off the end
    report = build(tmp_path)
    assert {a.title for a in content(tmp_path).values()} == {
        "Harbour wall repairs begin",
        "Ferry fares rise again",
        "Lifeboat station gets a new boat",
    }
    assert not any("gone" in line for line in report.messages)


def test_articles_of_a_deleted_feed_file_are_kept_and_named(tmp_path: Path) -> None:
    feed = write(tmp_path, "coast.xml", rss(entry("g-1"), entry("g-2")))
    build(tmp_path)
    feed.unlink()
    report = build(tmp_path)
    gone = [line for line in report.messages if line.endswith("its seed seeds/coast.xml is gone")]
    assert len(gone) == 2 and len(content(tmp_path)) == 2


def test_only_a_new_or_changed_feed_file_is_read_again(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, "coast-1.xml", rss(entry("g-1"), entry("g-2")), age=60)
    build(tmp_path)
    calls: list[str] = []
    real = ingest.draft_raw
    monkeypatch.setattr(ingest, "draft_raw", lambda raw, *rest: calls.append(raw.origin) or real(raw, *rest))
    assert build(tmp_path).written == 0 and calls == []  # nothing changed: the last run is replayed
    write(tmp_path, "coast-2.xml", rss(entry("g-3")))
    report = build(tmp_path)
    assert [origin.partition("#")[0] for origin in calls] == ["seeds/coast-2.xml"]
    assert (report.written, report.unchanged) == (1, 2)


def test_a_page_saved_twice_is_one_article_from_the_newer_file(tmp_path: Path) -> None:
    page = (KINDS / "harbour-page.html").read_text(encoding="utf-8")
    write(tmp_path, "harbour.html", page, age=3600)
    build(tmp_path)
    [first] = (tmp_path / "content").glob("*.md")
    write(tmp_path, "harbour-again.html", page.replace("eight months", "nine months"))
    report = build(tmp_path)
    [again] = (tmp_path / "content").glob("*.md")
    article = read_article(again)
    assert again == first and "nine months" in article.body and article.origin == "seeds/harbour-again.html"
    assert "seeds/harbour.html: not used: all it holds is in seeds/harbour-again.html too" in "\n".join(report.messages)


def test_a_note_is_never_taken_for_a_copy_of_the_page_it_links(tmp_path: Path) -> None:
    write(tmp_path, "harbour.html", (KINDS / "harbour-page.html").read_text(encoding="utf-8"))
    write(
        tmp_path,
        "comment.md",
        "---\ntitle: Our view on the wall\nurl: https://courier.example/news/2025/03/04/harbour-wall-repairs\n---\n\nIt is about time.\n",
    )
    build(tmp_path)
    assert set(content(tmp_path)) == {"seeds/harbour.html", "seeds/comment.md"}
