"""Files made while planning: small ones in memory, the search index's spilled to disk and read
back one at a time, and the site built the same either way."""

from __future__ import annotations

from pathlib import Path

from digest.render.made import MadeFiles

from render_helpers import build_fixture, copy_fixture, site_files


def test_spilled_files_read_back_as_written_and_memory_holds_only_the_rest(tmp_path: Path) -> None:
    with MadeFiles(tmp_path) as made:
        made["feed.xml"] = b"<rss/>"
        made.spill({"pagefind/2025/a": b"first", "pagefind/2025/b": b"", "pagefind/2025/c": bytes(range(256)) * 40})
        made.spill({"pagefind/2024/a": b"older"})
        assert dict(made) == {
            "feed.xml": b"<rss/>",
            "pagefind/2025/a": b"first",
            "pagefind/2025/b": b"",
            "pagefind/2025/c": bytes(range(256)) * 40,
            "pagefind/2024/a": b"older",
        }
        assert made._memory == {"feed.xml": b"<rss/>"}
        made["pagefind/2024/a"] = b"made again"  # a later value wins, in memory
        del made["pagefind/2025/b"]
        assert made["pagefind/2024/a"] == b"made again" and len(made) == 4 and "pagefind/2025/b" not in made
    assert not list(tmp_path.iterdir())  # the spool is unnamed: nothing is left beside the cache


def test_without_a_place_on_disk_spilled_files_stay_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    with MadeFiles(blocked / "cache") as made:
        made.spill({"pagefind/2025/a": b"first"})
        assert made["pagefind/2025/a"] == b"first" and made._memory == {"pagefind/2025/a": b"first"}


def test_the_search_index_is_spilled_and_the_site_is_the_same(tmp_path: Path, monkeypatch) -> None:
    spilled = []
    real = MadeFiles.spill

    def spill(self, files):
        spilled.extend(files)
        return real(self, files)

    plain = copy_fixture(tmp_path / "plain")
    monkeypatch.setattr(MadeFiles, "spill", lambda self, files: self.update(files))  # all in memory
    assert build_fixture(plain, jobs=1).problems == []
    monkeypatch.setattr(MadeFiles, "spill", spill)
    spooled = copy_fixture(tmp_path / "spooled")
    assert build_fixture(spooled, jobs=1).problems == []
    assert spilled and all(path.startswith("pagefind/") for path in spilled)
    assert site_files(spooled / "site") == site_files(plain / "site")
    bundles = {p for p in site_files(spooled / "site", search_bundles=True) if p.startswith("pagefind/20")}
    assert bundles and bundles <= set(spilled)  # every shard's files went through the spool
