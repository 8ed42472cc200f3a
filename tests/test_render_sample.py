"""The bundled sample seeds, built end to end: every link resolves, every feed is linked and present."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from digest.build import build
from digest.config import load_config

from render_helpers import broken_links


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import SAMPLE_SEEDS

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE_SEEDS, root / "seeds")
    build(load_config(root), jobs=1, echo=lambda line: None)
    return root


def test_sample_site_has_a_page_per_seed_article(sample: Path) -> None:
    seeds = len(list((sample / "seeds").glob("*.txt")))
    articles = list((sample / "site/articles").glob("*.html"))
    assert len(articles) == seeds
    assert list((sample / "site/digests").glob("*.html"))


def test_every_relative_link_resolves(sample: Path) -> None:
    config = load_config(sample)
    assert broken_links(sample / "site", config.base_url) == []


def test_every_advertised_feed_exists(sample: Path) -> None:
    site = sample / "site"
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # links from the base path; broken_links checks those
            continue
        doc = lxml_html.fromstring(page.read_bytes())
        for href in doc.xpath("//link[@rel='alternate']/@href"):
            assert (page.parent / href).resolve().is_file(), (page, href)
    assert (site / "feed.xml").is_file()
