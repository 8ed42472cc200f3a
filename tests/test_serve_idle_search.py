"""`digest serve` remakes the search index once the editor pauses; an edit saved meanwhile
stops it and is shown at once, and the index is remade at the next pause."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_serve import STORIES, ServeProcess, site_project, write_story  # noqa: F401 - site_project is a fixture

from digest import search


def _wait_for_file(path: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def hanging_pagefind(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A Pagefind that is the real one, until the switch file exists: then it says so and never answers."""
    switch, started = tmp_path / "hang", tmp_path / "hanging"
    script = tmp_path / "pagefind"
    script.write_text(
        f'#!/bin/sh\nif [ -e "{switch}" ]; then echo $$ > "{started}.tmp" && mv "{started}.tmp" "{started}"; '
        f'exec sleep 600; fi\nexec "{search._executable()}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    return switch, started


def test_an_edit_saved_while_the_index_is_remade_is_shown_without_waiting_for_it(
    site_project: Path,  # noqa: F811 - the imported fixture
    hanging_pagefind: tuple[Path, Path],
) -> None:
    switch, started = hanging_pagefind
    slug, title, tag, body = STORIES[0]
    server = ServeProcess(site_project)
    try:
        server.wait_for(r"\d+ pages")
        switch.touch()
        write_story(site_project / "content", slug, "First new headline", tag, body)
        server.wait_for(r"^rebuilt in")
        pid = int(_wait_for_file(started))  # the idle build's Pagefind, which would never finish
        switch.unlink()
        write_story(site_project / "content", slug, "Second new headline", tag, body)
        put_off = server.wait_for(r"^search index put off \(an edit came in\)").string
        rebuilt = server.wait_for(r"^rebuilt in", after=server.lines.index(put_off))
        assert "Second new headline" in server.get(f"/articles/{slug}.html")[1]
        server.wait_for(r"^search index updated", after=server.lines.index(rebuilt.string))
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert not [line for line in server.lines if "no search index" in line or "Traceback" in line]
    finally:
        server.stop()
