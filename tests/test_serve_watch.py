"""Watching inputs: what counts as a change, and bursts of changes becoming one rebuild."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from digest.config import Config
from digest.interrupt import Interrupt
from digest.watch import ChangeQueue, Debouncer, Watcher, is_relevant, is_scratch


def test_a_burst_is_one_batch_after_a_quiet_spell() -> None:
    debouncer = Debouncer(quiet=0.1, max_wait=1.0)
    assert not debouncer.due(0.0) and debouncer.deadline() is None
    for i in range(10):  # ten files saved 20 ms apart
        debouncer.add(Path(f"content/{i}.md"), now=i * 0.02)
        assert not debouncer.due(i * 0.02 + 0.05)
    assert not debouncer.due(0.18 + 0.099)
    assert debouncer.due(0.18 + 0.1)
    assert debouncer.take() == {Path(f"content/{i}.md") for i in range(10)}
    assert debouncer.deadline() is None and not debouncer.due(5.0)


def test_a_never_ending_stream_still_rebuilds_at_max_wait() -> None:
    debouncer = Debouncer(quiet=0.1, max_wait=0.5)
    now = 0.0
    while not debouncer.due(now):
        debouncer.add(Path(f"seeds/{now:.2f}.txt"), now)
        now += 0.05  # never quiet for 0.1 s
    assert now == pytest.approx(0.55, abs=0.051)
    assert len(debouncer.take()) >= 10


def test_the_same_file_saved_twice_is_one_path() -> None:
    debouncer = Debouncer()
    debouncer.add(Path("content/a.md"), 0.0)
    debouncer.add(Path("content/a.md"), 0.01)
    assert debouncer.take() == {Path("content/a.md")}


def test_change_queue_hands_a_burst_from_another_thread_over_once() -> None:
    changes = ChangeQueue(quiet=0.2, max_wait=5.0)

    def burst() -> None:
        for i in range(20):
            changes.put(Path(f"content/{i}.md"))
            time.sleep(0.005)

    threading.Thread(target=burst).start()
    assert changes.next_batch() == {Path(f"content/{i}.md") for i in range(20)}
    threading.Timer(0.1, changes.close).start()
    assert changes.next_batch() is None


def test_change_queue_says_when_all_is_quiet_and_a_change_comes_first() -> None:
    """`serve` does its chores (saving the cache) once nothing has moved for a while, never before a change."""
    changes = ChangeQueue(quiet=0.05, max_wait=5.0)
    assert changes.next_batch(idle=0.1) == set()
    threading.Timer(0.05, changes.put, args=(Path("content/a.md"),)).start()
    assert changes.next_batch(idle=0.5) == {Path("content/a.md")}
    changes.close()
    assert changes.next_batch(idle=0.1) is None


def test_a_change_interrupts_the_idle_work_under_way_and_nothing_after_it() -> None:
    """`serve`'s idle build (the search index) stops for an edit saved meanwhile, or for the server stopping."""
    changes = ChangeQueue(quiet=0.05, max_wait=5.0)
    with changes.interrupting() as interrupt:
        assert not interrupt.is_set()
        threading.Thread(target=changes.put, args=(Path("content/a.md"),)).start()
        assert changes.next_batch() == {Path("content/a.md")}
        assert interrupt.is_set()
    with changes.interrupting() as closing:
        changes.close()
        assert closing.is_set()
    later = ChangeQueue()
    with later.interrupting() as finished:
        pass
    later.put(Path("content/b.md"))
    assert not finished.is_set()


def test_an_interrupt_kills_the_processes_it_watches_even_those_started_after_it_was_set() -> None:
    interrupt = Interrupt()
    first = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with interrupt.watching(first):
        interrupt.set()
        assert first.wait(timeout=60) != 0
    second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with interrupt.watching(second):
        assert second.wait(timeout=60) != 0
    interrupt.set()  # again, with nothing watched: nothing to do


@pytest.mark.parametrize(
    "name, scratch",
    [
        ("a.md", False),
        ("digest.yaml", False),
        ("base.html", False),
        (".tmp-abc123", True),
        (".a.md.swp", True),
        ("a.md.swp", True),
        ("a.md~", True),
        ("4913", True),
        ("#a.md#", True),
        (".DS_Store", True),
    ],
)
def test_scratch_files(name: str, scratch: bool) -> None:
    assert is_scratch(name) is scratch


def test_only_inputs_are_relevant(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    relevant = [
        "digest.yaml",
        "content/a.md",
        "seeds/x.txt",
        "templates/base.html",
        "templates/partials/nav.html",
        "templates",
    ]
    ignored = [
        "site/index.html",
        "site/articles/a.html",
        ".digest-cache/load.json",
        ".tmp-site-1234/index.html",
        "content/.tmp-xyz",
        "content/.a.md.swp",
        "content/a.md~",
        "templates/.cache/x.html",
        "README.md",
        "other.yaml",
    ]
    for name in relevant:
        assert is_relevant(tmp_path / name, config), name
    for name in ignored:
        assert not is_relevant(tmp_path / name, config), name


def test_output_is_never_an_input_even_with_content_at_the_root(tmp_path: Path) -> None:
    config = Config(root=tmp_path, paths={"content": "."})
    assert is_relevant(tmp_path / "story.md", config)
    assert not is_relevant(tmp_path / "site" / "articles" / "story.html", config)
    assert not is_relevant(tmp_path / ".digest-cache" / "manifest.json", config)


# ---------------------------------------------------------------- the real watcher


@pytest.fixture(params=[False, True], ids=["native", "poll"])
def watching(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, ChangeQueue]]:
    for folder in ("seeds", "content", "site"):
        (tmp_path / folder).mkdir()
    changes = ChangeQueue(quiet=0.6 if request.param else 0.3, max_wait=10.0)
    watcher = Watcher(Config(root=tmp_path), changes, poll=request.param)
    watcher.start()
    try:
        yield tmp_path, changes
    finally:
        watcher.stop()
        changes.close()


def _next_batch(changes: ChangeQueue, timeout: float = 10.0) -> set[Path]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(changes.next_batch()), daemon=True)
    thread.start()
    thread.join(timeout)
    assert result, "no change was reported"
    return result[0]


def test_watcher_reports_a_multi_file_save_as_one_batch(watching: tuple[Path, ChangeQueue]) -> None:
    root, changes = watching
    time.sleep(0.2)  # a polling observer's first snapshot
    (root / "site" / "index.html").write_text("output, not input")
    (root / "content" / ".tmp-123").write_text("scratch")
    for i in range(5):
        (root / "content" / f"story-{i}.md").write_text(f"---\ntitle: Story {i}\n---\n")
    (root / "digest.yaml").write_text("title: Changed\n")
    batch = _next_batch(changes)
    expected = {root / "content" / f"story-{i}.md" for i in range(5)} | {root / "digest.yaml"}
    assert expected <= batch
    assert not any("site" in p.parts or p.name.startswith(".") for p in batch)


def test_watcher_follows_a_folder_created_after_start(watching: tuple[Path, ChangeQueue]) -> None:
    root, changes = watching
    time.sleep(0.2)
    (root / "templates").mkdir()
    assert root / "templates" in _next_batch(changes)
    time.sleep(0.3)  # the new folder is being added to the watch
    (root / "templates" / "article.html").write_text("{{ article.title }}")
    assert root / "templates" / "article.html" in _next_batch(changes)


def test_static_inputs_include_hidden_files_but_not_scratch(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    static = tmp_path / "static"
    assert is_relevant(static / ".well-known" / "security.txt", config)  # hosts look for these
    assert is_relevant(static / ".nojekyll", config)
    assert is_relevant(static / "docs" / "report.pdf", config)
    assert not is_relevant(static / "CNAME~", config)
    assert not is_relevant(static / ".git" / "index", config)
    assert not is_relevant(tmp_path / "content" / ".hidden.md", config)
