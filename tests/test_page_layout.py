"""Page layout details a reader notices: the archive's headings, a not-found page that stands on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from render_helpers import build_fixture, copy_fixture


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("layout") / "project")
    build_fixture(root, jobs=1)
    return root / "site"


def test_no_archive_heading_repeats_its_only_link(site: Path) -> None:
    page = lxml_html.fromstring((site / "archive" / "index.html").read_bytes())
    sections = page.xpath("//section[@class='archive-year']")
    assert sections
    for section in sections:
        heading = section.xpath(".//h2")[0]
        links = [a.text_content().strip() for a in section.xpath(".//a") if a.getparent() is not heading]
        assert heading.text_content().split()[0] not in links, lxml_html.tostring(section)
    undated = [s for s in sections if "undated" in lxml_html.tostring(s).decode()]
    assert undated and undated[0].xpath(".//h2/a")  # the undated articles' link is the heading itself


def test_the_not_found_page_needs_no_other_file(site: Path) -> None:
    page = lxml_html.fromstring((site / "404.html").read_bytes())
    assert not page.xpath("//link[@rel='stylesheet']")
    assert page.xpath("//link[@rel='icon']/@href") == ["/news/static/favicon.svg"]
    style = page.xpath("//head/style")[0].text_content()
    assert (site / "static" / "style.css").read_text(encoding="utf-8").replace("</", "<\\/") in style
    for link in page.xpath("//main//a"):
        assert link.get("href").startswith("/news/")  # the base path: right at any depth on the host
