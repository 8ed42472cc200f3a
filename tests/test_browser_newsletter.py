"""The email edition's HTML part in a real browser (Debian's Chromium): it fits a phone, turns dark in
dark mode, and every link is there; screenshots go to DIGEST_SCREENSHOTS for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_newsletter import _html, _parse, _run, project  # noqa: F401 - project is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _background(page) -> tuple[int, ...]:
    colour = page.evaluate("getComputedStyle(document.querySelector('table')).backgroundColor")
    return tuple(int(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])


@pytest.mark.parametrize("width", [600, 380])
def test_the_html_part_looks_like_an_email_light_and_dark(project: Path, chromium, width: int) -> None:  # noqa: F811
    assert _run(project, "-o", str(project / "out.eml")).exit_code == 0
    html = _html(_parse(project / "out.eml"))
    shots = Path(os.environ.get("DIGEST_SCREENSHOTS") or project / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    seen = {}
    for scheme in ("light", "dark"):
        page = chromium.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            requests: list[str] = []
            page.on("request", lambda request, requests=requests: requests.append(request.url))
            page.set_content(html)
            assert requests == [], "an email loads nothing from anywhere"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.get_by_role("link", name="View in your browser").is_visible()
            assert page.get_by_role("link", name="Council approves the east tram line").is_visible()
            assert page.get_by_role("link", name="Unsubscribe").is_visible()
            seen[scheme] = _background(page)
            page.screenshot(path=str(shots / f"newsletter-{width}-{scheme}.png"), full_page=True)
        finally:
            page.close()
    assert max(seen["light"]) > 200 and max(seen["dark"]) < 64
