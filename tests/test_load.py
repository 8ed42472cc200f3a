import os
import time

from digest.config import Config
from digest.load import load_articles
from digest.model import Article, dump_article


def write(config: Config, slug: str, title: str) -> None:
    config.content_dir.mkdir(exist_ok=True)
    article = Article(slug=slug, title=title, body="Body text.", origin=f"seeds/{slug}.txt")
    (config.content_dir / f"{slug}.md").write_text(dump_article(article), encoding="utf-8")


def test_bad_files_are_reported_and_the_rest_loaded(tmp_path):
    config = Config(root=tmp_path)
    write(config, "good", "A good article")
    (config.content_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (config.content_dir / "latin.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    result = load_articles(config)
    assert [a.slug for a in result.articles] == ["good"]
    assert any(p.startswith("content/broken.md: line") for p in result.problems)
    assert "content/latin.md: not UTF-8 text" in result.problems


def test_two_files_claiming_one_slug_keep_the_first(tmp_path):
    config = Config(root=tmp_path)
    write(config, "alpha", "Alpha")
    (config.content_dir / "beta.md").write_text("---\ntitle: Beta\nslug: alpha\n---\nx\n", encoding="utf-8")
    result = load_articles(config)
    assert [a.title for a in result.articles] == ["Alpha"]
    assert any("already used" in p for p in result.problems)


def test_cache_returns_edits_and_forgets_removed_files(tmp_path):
    config = Config(root=tmp_path)
    write(config, "one", "First title")
    write(config, "two", "Second title")
    assert len(load_articles(config).changed) == 2
    again = load_articles(config)
    assert again.changed == [] and [a.title for a in again.articles] == ["First title", "Second title"]

    time.sleep(0.01)
    write(config, "one", "Edited title")  # same length as before: the stamp still differs
    os.remove(config.content_dir / "two.md")
    edited = load_articles(config)
    assert edited.changed == ["content/one.md"]
    assert [a.title for a in edited.articles] == ["Edited title"]


def test_a_corrupt_cache_is_ignored(tmp_path):
    config = Config(root=tmp_path)
    write(config, "one", "First")
    load_articles(config)
    (config.cache_dir / "load.sqlite").write_bytes(b"not a database")
    assert [a.title for a in load_articles(config).articles] == ["First"]


def test_a_broken_file_keeps_its_last_good_version_only_for_the_caller_that_asks(tmp_path):
    from digest.load import LastGood

    config = Config(root=tmp_path)
    write(config, "one", "First title")
    write(config, "two", "Second title")
    last_good = LastGood()
    assert [a.title for a in load_articles(config, last_good=last_good).articles] == ["First title", "Second title"]
    good = (config.content_dir / "one.md").read_text(encoding="utf-8")
    (config.content_dir / "one.md").write_text(good.replace("title: First title", "title: [First"), encoding="utf-8")

    broken = load_articles(config, last_good=last_good)
    assert [a.title for a in broken.articles] == ["First title", "Second title"]
    assert broken.stand_ins == ["one.md"]
    [problem] = broken.problems
    assert problem.startswith("content/one.md: line") and "last good version" in problem
    # Still broken at the next load: the same stand-in, not forgotten after one use.
    assert [a.title for a in load_articles(config, last_good=last_good).articles] == ["First title", "Second title"]

    plain = load_articles(config)  # `digest build`: what the files say, the broken one left out
    assert [a.title for a in plain.articles] == ["Second title"] and plain.stand_ins == []

    write(config, "one", "Fixed title")
    fixed = load_articles(config, last_good=last_good)
    assert [a.title for a in fixed.articles] == ["Fixed title", "Second title"]
    assert fixed.problems == [] and fixed.stand_ins == []
    assert last_good.articles["one.md"].title == "Fixed title"


def test_an_edit_rewrites_its_own_row_of_the_cache_only(tmp_path):
    """At 100,000 articles the cache is hundreds of MB: an edit must not write it whole."""
    import sqlite3

    from digest.cache import Store, code_fingerprint
    from digest.load import CACHE_NAME

    config = Config(root=tmp_path)
    for slug in ("one", "two", "three"):
        write(config, slug, f"Title {slug}")
    load_articles(config)
    path = config.cache_dir / CACHE_NAME
    with sqlite3.connect(path) as db:  # every row written from now on is logged
        db.execute("CREATE TABLE written (name TEXT)")
        db.execute("CREATE TRIGGER log AFTER INSERT ON records BEGIN INSERT INTO written VALUES (new.name); END")

    time.sleep(0.01)
    write(config, "one", "Edited title")
    os.remove(config.content_dir / "three.md")
    assert load_articles(config).changed == ["content/one.md"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM written").fetchall() == [("one.md",)]
    after = Store().read_records(path, code_fingerprint())
    assert sorted(after) == ["one.md", "two.md"] and after["one.md"][1].title == "Edited title"


def test_the_cache_of_an_older_digest_is_removed_once_the_new_one_is_made(tmp_path):
    config = Config(root=tmp_path)
    write(config, "one", "First")
    config.cache_dir.mkdir()
    old = config.cache_dir / "load.pickle"
    old.write_bytes(b"the whole archive, pickled")
    assert [a.title for a in load_articles(config).articles] == ["First"]
    assert not old.exists()
