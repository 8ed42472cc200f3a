"""The benchmarks' own machinery: the corpus generator (deterministic, shaped like scraped news) and the serve benchmark."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from generate_corpus import generate_one, write_content, write_seeds  # noqa: E402

from digest.model import read_article  # noqa: E402


def test_same_seed_same_bytes_and_article_i_independent_of_corpus_size(tmp_path):
    write_seeds(tmp_path / "a", 30, seed=3)
    write_seeds(tmp_path / "b", 60, seed=3)
    first = {p.name: p.read_bytes() for p in (tmp_path / "a" / "seeds").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b" / "seeds").iterdir()}
    assert len(first) == 30 and all(second[name] == data for name, data in first.items())
    assert generate_one(4, 0).raw != generate_one(3, 0).raw


def test_raw_articles_vary_like_scraped_news():
    items = [generate_one(7, i) for i in range(300)]
    words = [len(item.raw.decode("utf-8", "replace").split()) for item in items]
    assert min(words) >= 300 and max(words) <= 1700 and max(words) - min(words) > 600
    texts = [item.raw.decode("utf-8", "replace") for item in items]
    assert any(text.startswith(" date ") for text in texts)
    assert any("Published: " in text for text in texts)
    assert any(" GMT\n" in text for text in texts)
    assert any("\u00a9 " in text for text in texts)
    assert any("See also  " in text for text in texts)
    assert any(item.date is None for item in items) and any(item.date is not None for item in items)
    assert len({item.source for item in items}) > 20
    assert len({tag for item in items for tag in item.tags}) > 100


def test_content_mode_writes_files_digest_reads_back(tmp_path):
    write_content(tmp_path, 40, seed=7)
    files = sorted((tmp_path / "content").glob("*.md"))
    articles = [read_article(path) for path in files]
    assert len(articles) == 40 and len({a.slug for a in articles}) == 40
    assert all(a.title and a.source and a.tags and a.summary for a in articles)
    assert all(a.slug == path.stem for a, path in zip(articles, files))


def test_other_generators_get_the_same_fields(tmp_path):
    import yaml
    from competitors import hugo_markdown, pelican_markdown

    write_content(tmp_path, 5, seed=7)
    article = replace(
        read_article(sorted((tmp_path / "content").glob("*.md"))[0]), title='He said: "yes" # not a comment'
    )
    front = yaml.safe_load(hugo_markdown(article).split("---\n")[1])
    assert front["title"] == article.title and front["tags"] == article.tags
    assert front["sources"] == [article.source] and front["months"] == [f"{article.date:%Y-%m}"]
    meta = dict(line.split(": ", 1) for line in pelican_markdown(article).split("\n\n")[0].splitlines())
    assert meta["Title"] == article.title and meta["Category"] == article.source and meta["Slug"] == article.slug
    assert meta["Tags"].split(", ") == article.tags


def test_measure_reports_a_childs_peak_memory_and_failure(tmp_path):
    from measure import measure

    grow = "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    run = measure([sys.executable, "-c", grow], tmp_path, tmp_path / "log", nice=0)
    assert run.ok and run.peak_mb >= 150 and run.seconds > 0
    failed = measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, tmp_path / "log", nice=0)
    assert not failed.ok and failed.note == "exit 3"


def test_measure_reports_the_largest_process_apart_from_the_tree(tmp_path):
    from measure import measure

    grow = "b = bytearray(120 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    child = f"{grow}; import time; time.sleep(1.5)"
    parent = f"{grow}; import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"  # both at once
    run = measure([sys.executable, "-c", parent], tmp_path, tmp_path / "log", nice=0)
    assert run.ok and run.largest_mb >= 120 and run.peak_mb >= 230 and run.largest_mb < run.peak_mb


def test_build_speed_times_each_stage_and_a_dask_build_makes_the_same_site(tmp_path, capsys):
    pytest.importorskip("distributed")
    import build_speed

    assert (
        build_speed.main(
            [
                "--sizes",
                "40",
                "--skip-hugo",
                "--skip-pelican",
                "--skip-seeds",
                "--jobs",
                "2",
                "--dask",
                "--keep",
                str(tmp_path),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    table = printed.split("# stages")[1].split("\n\n")[0]
    stages = [line.split() for line in table.splitlines()[3:]]  # after its title, header and rule
    assert [(row[1], row[2]) for row in stages] == [
        (where, stage) for where in ("local", "Dask") for stage in ("ingest", "check", "load", "group", "render")
    ]
    assert all(float(row[4]) > 20 for row in stages)  # a Python process, at the least
    assert "against the local build: identical" in printed
    row = next(line for line in printed.splitlines() if line.startswith("full build from content/"))
    _, n, seconds, tree, largest = row.split("  ")[0], *row.split("content/")[1].split()[:4]
    assert n == "40" and float(seconds) > 0 and float(tree) >= float(largest) > 20


@pytest.mark.browser
@pytest.mark.slow
def test_the_serve_benchmark_times_every_edit_in_a_real_browser(chromium_path):
    """A small run of benchmarks/serve_latency.py: every edit rebuilt and seen painted in the page,
    the broken front matter's by its error overlay, the fix's by its title."""
    import serve_latency

    rows = serve_latency.measure(30, 4, serve_latency.PAUSE_BETWEEN_EDITS, True, False)
    assert set(rows) == {"front matter broken", "broken one fixed"}
    for figures in rows.values():
        assert figures["edits"] == 2
        # Once each; on a loaded machine the idle check for what the watcher missed may find an edit
        # before the watcher reports it, and that edit is then built twice (seen in CI beside a benchmark).
        assert 4 <= figures["rebuilds"] <= 5
        # in-page stamps after the write, and before the benchmark's own poll noticed them
        assert 0 < figures["median"] <= figures["worst"] < 60
        assert figures["median"] <= figures["polled median"] + 0.05
        assert figures["peak MB"] > 0


def test_title_benchmark_reads_pages_as_a_scraper_would_and_spots_fragments():
    from title_quality import is_fragment, page_text

    html = (
        b"<html><head><title>Storm hits coast | Example</title><script>var a=1;</script></head><body>"
        b"<nav><ul><li>Home</li><li>News</li></ul></nav><article><h1>Storm hits coast</h1>"
        b"<p>Rain fell <a href='/x'>all night</a> on the coast.</p></article></body></html>"
    )
    text, headlines = page_text(html, "article")
    assert text.split("\n") == ["Storm hits coast", "Rain fell all night on the coast."]
    assert headlines == ["Storm hits coast", "Storm hits coast | Example"]
    assert "Home" in page_text(html, "body")[0] and "var a" not in page_text(html, "body")[0]
    assert is_fragment("Russia is disputing a White House account that") and is_fragment("Talks between the")
    assert is_fragment("Awards, USA Track & Field's") and not is_fragment("Storm hits coast")
