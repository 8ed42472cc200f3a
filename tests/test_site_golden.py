"""The golden site: the fixture project's whole output, byte for byte, as checked in.

A change to templates, pages or feeds shows up here as a diff to review. Static
files are copied as they are, so they are compared with the package's, not stored.
When the change is intended, regenerate the expected files and commit them:

    DIGEST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_site_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import digest.render

from render_helpers import GOLDEN, build_fixture, copy_fixture, site_files

EXPECTED = GOLDEN / "expected"
STATIC = Path(digest.render.__file__).parent.parent / "static"


def test_fixture_site_matches_the_golden_files(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    result = build_fixture(root, jobs=1)
    assert result.problems == []
    actual = site_files(root / "site")
    static = {path: actual.pop(path) for path in list(actual) if path.startswith("static/")}
    assert static == {f"static/{p.name}": p.read_bytes() for p in sorted(STATIC.iterdir())}
    if os.environ.get("DIGEST_UPDATE_GOLDEN") == "1":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, data in actual.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(data)
    expected = site_files(EXPECTED)
    assert sorted(actual) == sorted(expected), "files added or missing; see DIGEST_UPDATE_GOLDEN in this file"
    for path in sorted(expected):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode("utf-8", "replace").splitlines(),
                actual[path].decode("utf-8", "replace").splitlines(),
                f"expected/{path}",
                f"built/{path}",
                lineterm="",
                n=1,
            )
            raise AssertionError("\n".join(list(diff)[:60]))
