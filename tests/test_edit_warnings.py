"""What a build says about content files is true, and stops once its cause is gone: never replayed from a cache."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli

STORY = "Harbour strike ends\n\nDockers in the port voted on Monday to accept a new pay offer, ending {n} days of strikes.\n"


def _build(root: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["build", "-C", str(root), "--no-progress"])
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds" / "strike.txt").write_text(STORY.format(n="nine"), encoding="utf-8")
    (tmp_path / "seeds" / "library.txt").write_text(
        "Library reopens\n\nThe city library reopened on Tuesday after a year of repairs to its roof.\n",
        encoding="utf-8",
    )
    assert _build(tmp_path) == []
    return tmp_path


def _content_of(project: Path, origin: str) -> Path:
    return next(p for p in (project / "content").glob("*.md") if f"origin: {origin}\n" in p.read_text(encoding="utf-8"))


def test_broken_front_matter_is_reported_as_broken_not_as_a_changed_seed(project: Path) -> None:
    path = _content_of(project, "seeds/strike.txt")
    good = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^title: .*$", 'title: "Harbour strike ends', good, count=1, flags=re.MULTILINE), encoding="utf-8"
    )
    # a new seed: the ingest looks at every content file again
    (project / "seeds" / "ferry.txt").write_text(
        "Ferry fares rise\n\nFerry fares across the bay rise by a tenth from Monday, the operator said.\n",
        encoding="utf-8",
    )
    for _ in range(2):  # the second build, with nothing changed, says the same true thing
        lines = _build(project)
        assert not any("changed since" in line for line in lines), lines
        assert len(lines) == 1 and lines[0].startswith(f"content/{path.name}: line "), lines
    path.write_text(good.replace("title: Harbour strike ends", "title: Harbour strike is over"), encoding="utf-8")
    assert _build(project) == []  # fixed: not a word (the seed did not change)


def test_an_edited_file_whose_seed_changed_is_named_until_the_editor_settles_it(project: Path) -> None:
    path = _content_of(project, "seeds/strike.txt")
    path.write_text(path.read_text(encoding="utf-8").replace("Dockers", "Port workers"), encoding="utf-8")
    assert _build(project) == []  # an edit alone is the editor's business
    (project / "seeds" / "strike.txt").write_text(STORY.format(n="ten"), encoding="utf-8")
    expected = [f"content/{path.name}: kept your edits; its seed seeds/strike.txt changed since"]
    assert _build(project) == expected
    assert _build(project) == expected  # still true
    # The editor takes the news into their version and records the seed it now follows.
    new_hash = hashlib.sha256((project / "seeds" / "strike.txt").read_bytes()).hexdigest()[:16]
    text = re.sub(r"^seed_hash: .*$", f"seed_hash: {new_hash}", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(text.replace("nine days", "ten days"), encoding="utf-8")
    assert _build(project) == []
    path.unlink()  # or takes the seed's own version
    assert _build(project) == []
    assert "ending ten days" in path.read_text(encoding="utf-8")


def test_a_seed_removed_is_named_until_its_content_file_goes_too(project: Path) -> None:
    path = _content_of(project, "seeds/library.txt")
    (project / "seeds" / "library.txt").unlink()
    expected = [f"content/{path.name}: kept; its seed seeds/library.txt is gone"]
    assert _build(project) == expected
    assert _build(project) == expected
    path.unlink()
    assert _build(project) == []


def test_a_file_that_says_nothing_of_its_seed_is_not_said_to_have_a_changed_one(project: Path) -> None:
    path = _content_of(project, "seeds/strike.txt")
    text = re.sub(r"^seed_hash: .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(text.replace("Dockers", "Port workers"), encoding="utf-8")
    assert _build(project) == []
