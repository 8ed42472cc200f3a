"""The build cache, and how `serve` keeps it in memory between rebuilds."""

from __future__ import annotations

import pickle
from pathlib import Path

from digest import cache
from digest.cache import kept_in_memory, read_entry, save_deferred, write_entry


def test_an_entry_is_read_under_its_key_only(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    write_entry(path, "key-1", {"a": 1})
    assert read_entry(path, "key-1") == {"a": 1}
    assert read_entry(path, "key-2") is None
    path.write_bytes(b"not a pickle")
    assert read_entry(path, "key-1") is None


def test_in_memory_a_write_waits_for_save_deferred(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    write_entry(path, "key", "old")
    with kept_in_memory():
        write_entry(path, "key", "new")
        assert read_entry(path, "key") == "new"
        assert pickle.loads(path.read_bytes()) == ("key", "old")  # the editor's page comes first
        save_deferred()
        assert pickle.loads(path.read_bytes()) == ("key", "new")
    assert read_entry(path, "key") == "new"


def test_in_memory_an_entry_is_unpickled_once(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    write_entry(path, "key", ["a large", "archive"])
    with kept_in_memory():
        first = read_entry(path, "key")
        assert read_entry(path, "key") is first


def test_in_memory_a_cache_written_by_another_build_wins(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    write_entry(path, "key", "ours, read")
    with kept_in_memory():
        assert read_entry(path, "key") == "ours, read"
        write_entry(path, "key", "ours, unsaved")
        # `digest build` in another terminal, between two rebuilds of `serve`
        path.with_suffix(".tmp").write_bytes(pickle.dumps(("key", "theirs")))
        path.with_suffix(".tmp").replace(path)
        assert read_entry(path, "key") == "theirs"
        save_deferred()
        assert pickle.loads(path.read_bytes()) == ("key", "theirs")


def test_leaving_memory_forgets_what_was_never_saved(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    with kept_in_memory():
        write_entry(path, "key", "unsaved")
    assert not path.exists()
    assert read_entry(path, "key") is None
    assert cache._memory is None
