"""The build cache, and how `serve` keeps it in memory between rebuilds."""

from __future__ import annotations

import pickle
from pathlib import Path

from digest.cache import Store
from digest.model import atomic_write


def test_an_entry_is_read_under_its_key_only(tmp_path: Path) -> None:
    path, store = tmp_path / "entry.pickle", Store()
    store.write(path, "key-1", {"a": 1})
    assert store.read(path, "key-1") == {"a": 1}
    assert store.read(path, "key-2") is None
    path.write_bytes(b"not a pickle")
    assert store.read(path, "key-1") is None


def test_in_memory_a_write_waits_for_save_deferred(tmp_path: Path) -> None:
    path, memory = tmp_path / "entry.pickle", Store(in_memory=True)
    Store().write(path, "key", "old")
    memory.write(path, "key", "new")
    assert memory.read(path, "key") == "new"
    assert pickle.loads(path.read_bytes()) == ("key", "old")  # the editor's page comes first
    memory.save_deferred()
    assert pickle.loads(path.read_bytes()) == ("key", "new")
    assert Store().read(path, "key") == "new"


def test_in_memory_an_entry_is_unpickled_once(tmp_path: Path) -> None:
    path, memory = tmp_path / "entry.pickle", Store(in_memory=True)
    Store().write(path, "key", ["a large", "archive"])
    first = memory.read(path, "key")
    assert memory.read(path, "key") is first
    assert Store().read(path, "key") is not first  # a plain store reads the file each time


def test_in_memory_a_cache_written_by_another_build_wins(tmp_path: Path) -> None:
    path, memory = tmp_path / "entry.pickle", Store(in_memory=True)
    Store().write(path, "key", "ours, read")
    assert memory.read(path, "key") == "ours, read"
    memory.write(path, "key", "ours, unsaved")
    # `digest build` in another terminal, between two rebuilds of `serve`
    path.with_suffix(".tmp").write_bytes(pickle.dumps(("key", "theirs")))
    path.with_suffix(".tmp").replace(path)
    assert memory.read(path, "key") == "theirs"
    memory.save_deferred()
    assert pickle.loads(path.read_bytes()) == ("key", "theirs")


def test_two_stores_share_nothing_but_the_files(tmp_path: Path) -> None:
    """No state of the module's own: what one store (one `serve`) holds unsaved, another never sees."""
    path, memory = tmp_path / "entry.pickle", Store(in_memory=True)
    memory.write(path, "key", "unsaved")
    assert not path.exists()
    assert Store().read(path, "key") is None
    assert Store(in_memory=True).read(path, "key") is None


def test_one_code_fingerprint_made_once_from_the_package(tmp_path: Path) -> None:
    from digest import cache

    assert cache.code_fingerprint() == cache.code_fingerprint()
    assert cache.code_fingerprint.cache_info().misses == 1


def test_a_large_entry_is_pickled_into_its_file_not_held_whole_first(tmp_path: Path) -> None:
    import tracemalloc

    value = [f"body {n} " * 20 for n in range(50_000)]  # about 9 MB pickled
    path = tmp_path / "large.pickle"
    tracemalloc.start()
    try:
        Store().write(path, "key", value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert path.stat().st_size > 8_000_000 and peak < path.stat().st_size / 4
    assert Store().read(path, "key") == value


def test_a_write_that_fails_half_way_leaves_the_last_entry_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    Store().write(path, "key", "old")

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("cannot pickle this")

    try:
        Store().write(path, "key", ["a" * 100_000, Unpicklable()])
    except RuntimeError:
        pass
    assert Store().read(path, "key") == "old" and [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]


def test_a_remembered_value_is_recalled_only_while_its_file_is_the_one_it_was_kept_for(tmp_path: Path) -> None:
    path, memory = tmp_path / "manifest.pickle", Store(in_memory=True)
    atomic_write(path, b"as written")
    memory.remember(path, "as written")
    assert memory.recall(path) == "as written"
    assert memory.read(path, "as written") is None  # not a cache entry under any key
    atomic_write(path, b"written by another build")
    assert memory.recall(path) is None
    memory.remember(path, "seen")
    memory.save_deferred()
    assert path.read_bytes() == b"written by another build"  # the store never writes what it was told of
    plain = Store()
    plain.remember(path, "seen")
    assert plain.recall(path) is None  # `digest build` keeps nothing between builds


# Tables of records (records.py): the load cache, a row per content file


def _set_row_behind_the_stores_back(path: Path, name: str, value: object) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET value = ? WHERE name = ?", (pickle.dumps(value), name))


def test_records_are_read_under_their_key_only(tmp_path: Path) -> None:
    path, store = tmp_path / "records.sqlite", Store()
    assert store.read_records(path, "key-1") is None and not path.exists()  # reading makes no file
    store.write_records(path, "key-1", {"a": 1, "b": [2]}, {"a", "b"})
    assert store.read_records(path, "key-1") == {"a": 1, "b": [2]}
    assert store.read_records(path, "key-2") is None
    path.write_bytes(b"not a database")
    assert store.read_records(path, "key-1") is None


def test_only_the_records_named_changed_are_written(tmp_path: Path) -> None:
    path, store = tmp_path / "records.sqlite", Store()
    store.write_records(path, "key", {"a": 1, "b": 2, "c": 3}, {"a", "b", "c"})
    _set_row_behind_the_stores_back(path, "b", "left as it was")
    store.write_records(path, "key", {"a": 10, "b": 2, "c": 3, "d": 4}, {"a", "d"})
    assert store.read_records(path, "key") == {"a": 10, "b": "left as it was", "c": 3, "d": 4}
    store.write_records(path, "key", {"a": 10, "d": 4}, {"b", "c"})  # named changed, gone from the records
    assert store.read_records(path, "key") == {"a": 10, "d": 4}


def test_records_under_a_new_key_are_all_written(tmp_path: Path) -> None:
    """A new version of digest: every row is made again, whatever the caller names."""
    path, store = tmp_path / "records.sqlite", Store()
    store.write_records(path, "old", {"a": 1, "b": 2}, {"a", "b"})
    store.write_records(path, "new", {"a": 1, "c": 3}, set())
    assert store.read_records(path, "new") == {"a": 1, "c": 3} and store.read_records(path, "old") is None


def test_records_that_cannot_be_unpickled_are_no_records(tmp_path: Path) -> None:
    import sqlite3

    path, store = tmp_path / "records.sqlite", Store()
    store.write_records(path, "key", {"a": 1, "b": 2}, {"a", "b"})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET value = ? WHERE name = 'b'", (b"not a pickle",))
    assert store.read_records(path, "key") is None
    store.write_records(path, "key", {"a": 1, "b": 2}, {"a", "b"})  # what a load that read nothing writes
    assert store.read_records(path, "key") == {"a": 1, "b": 2}


def test_a_records_write_that_fails_half_way_leaves_the_last_records(tmp_path: Path) -> None:
    path, store = tmp_path / "records.sqlite", Store()
    store.write_records(path, "key", {"a": "old", "b": "old"}, {"a", "b"})

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("cannot pickle this")

    try:
        store.write_records(path, "key", {"a": "new", "b": Unpicklable()}, {"a", "b"})
    except RuntimeError:
        pass
    assert store.read_records(path, "key") == {"a": "old", "b": "old"}


def test_in_memory_records_are_written_at_save_deferred_with_every_change_since(tmp_path: Path) -> None:
    path, memory = tmp_path / "records.sqlite", Store(in_memory=True)
    Store().write_records(path, "key", {"a": 1, "b": 2, "c": 3}, {"a", "b", "c"})
    first = memory.read_records(path, "key")
    assert memory.read_records(path, "key") is first  # unpickled once
    memory.write_records(path, "key", {"a": 10, "b": 2, "c": 3}, {"a"})
    memory.write_records(path, "key", {"a": 10, "b": 2}, {"c"})
    assert memory.read_records(path, "key") == {"a": 10, "b": 2}
    assert Store().read_records(path, "key") == {"a": 1, "b": 2, "c": 3}  # the editor's page comes first
    memory.save_deferred()
    assert Store().read_records(path, "key") == {"a": 10, "b": 2}
    memory.write_records(path, "key", {"a": 11, "b": 2}, {"a"})  # after a save, still kept in memory
    memory.save_deferred()
    assert Store().read_records(path, "key") == {"a": 11, "b": 2}


def test_in_memory_records_written_by_another_build_win(tmp_path: Path) -> None:
    path, memory = tmp_path / "records.sqlite", Store(in_memory=True)
    Store().write_records(path, "key", {"a": "ours, read"}, {"a"})
    assert memory.read_records(path, "key") == {"a": "ours, read"}
    memory.write_records(path, "key", {"a": "ours, unsaved"}, {"a"})
    Store().write_records(path, "key", {"a": "theirs"}, {"a"})  # `digest build` in another terminal
    assert memory.read_records(path, "key") == {"a": "theirs"}
    memory.write_records(path, "key", {"a": "ours again"}, {"a"})
    Store().write_records(path, "key", {"a": "theirs again"}, {"a"})
    memory.save_deferred()
    assert Store().read_records(path, "key") == {"a": "theirs again"}


def test_what_a_build_reads_joins_what_it_set_aside_from_the_collector(tmp_path: Path) -> None:
    """Unpickled entries live as long as the build: the collector's passes are not to scan them again and again."""
    import gc

    path, store = tmp_path / "entry.pickle", Store()
    store.write(path, "key", [[n] for n in range(1000)])
    rows = tmp_path / "records.sqlite"
    store.write_records(rows, "key", {str(n): [n] for n in range(1000)}, {str(n) for n in range(1000)})
    gc.unfreeze()
    assert store.read(path, "key") and store.read_records(rows, "key")
    assert gc.get_freeze_count() == 0  # nothing was set aside: nothing is
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        entry = store.read(path, "key")  # held: an object freed leaves the count
        assert gc.get_freeze_count() >= before + 1000
        before = gc.get_freeze_count()
        records = store.read_records(rows, "key")
        assert gc.get_freeze_count() >= before + 1000 and entry and records
    finally:
        gc.unfreeze()


def test_records_in_a_file_damaged_past_its_header_are_made_anew(tmp_path: Path) -> None:
    """Damage found only when the rows are read (a disk fault, a copy cut short) must not leave
    every later build without a cache: the file is made anew at the next write."""
    path, store = tmp_path / "records.sqlite", Store()
    records = {str(n): "body " * 200 for n in range(200)}  # some pages of rows past the first
    store.write_records(path, "key", records, set(records))
    data = bytearray(path.read_bytes())
    assert len(data) > 16 * 4096
    data[8 * 4096 : 12 * 4096] = b"\xff" * (4 * 4096)
    path.write_bytes(bytes(data))
    assert store.read_records(path, "key") is None
    store.write_records(path, "key", records, set(records))
    assert store.read_records(path, "key") == records
