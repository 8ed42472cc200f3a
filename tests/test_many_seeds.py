"""Ten thousand tiny seeds, one of them empty, through the real `digest build` (a hostile input of issue 7).

In a file of its own so a parallel test run can start it beside the rest of the hostile corpus:
it is the longest single test of the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_checks import run_digest

# A hang guard, not a time limit: on two cores shared with a parallel test run this build takes minutes.
HANG = 840


@pytest.mark.slow
@pytest.mark.timeout(HANG + 60)
def test_ten_thousand_tiny_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (tmp_path / "content").mkdir()
    for number in range(10_000):
        (seeds / f"{number:05d}.txt").write_text(f"Item {number} closes\nShop number {number} closed on Monday.\n")
    (seeds / "99999.txt").write_bytes(b"")  # one bad seed among them
    done = run_digest("build", "-C", str(tmp_path), timeout=HANG)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["seeds/99999.txt: rejected: empty file"]
    assert "10001 seeds read" in done.stdout and "10000 articles" in done.stdout
    assert len(list((tmp_path / "content").glob("*.md"))) == 10_000
    assert len(list((tmp_path / "site" / "articles").glob("*.html"))) == 10_000
