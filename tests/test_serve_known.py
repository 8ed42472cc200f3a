"""`serve`'s memory of seeds/, content/ and site/ between rebuilds: an edit's rebuild looks at the files the
watcher reported instead of walking both folders, builds what a full build would, and what the
watcher did not see is found when serve is idle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import digest.build as build_module
import digest.ingest as ingest_module
from digest.build import Known, build
from digest.cache import Store, input_stamps, restamped
from digest.config import load_config
from digest.load import LastGood

from conftest import SAMPLE_SEEDS
from render_helpers import copy_fixture, site_files

EDITED = "port-strike-enters-second-week"


def _edit(root: Path, slug: str, old: str, new: str) -> Path:
    path = root / "content" / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


class Session:
    """What serve keeps between rebuilds, and the folders each build walked."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.config = load_config(root)
        self.store, self.last_good, self.known = Store(in_memory=True), LastGood(), Known()
        self.walked: list[Path] = []
        real_input, real_files = build_module.input_stamps, build_module.file_stamps

        def input_stamps_seen(folder: Path, *args):
            self.walked.append(folder)
            return real_input(folder, *args)

        def file_stamps_seen(folder: Path):
            self.walked.append(folder)
            return real_files(folder)

        monkeypatch.setattr(build_module, "input_stamps", input_stamps_seen)
        monkeypatch.setattr(ingest_module, "input_stamps", input_stamps_seen)  # ingest looks at content/ too
        monkeypatch.setattr(build_module, "file_stamps", file_stamps_seen)
        real_seeds = build_module.seeds_now

        def seeds_seen(config):
            self.walked.append(config.seeds_dir)
            return real_seeds(config)

        monkeypatch.setattr(build_module, "seeds_now", seeds_seen)

    def rebuild(self, changed=None):
        self.known.changed = changed
        self.walked.clear()
        return build(
            self.config,
            jobs=1,
            echo=lambda line: None,
            last_good=self.last_good,
            store=self.store,
            known=self.known,
        )


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    served = Session(copy_fixture(tmp_path / "served"), monkeypatch)
    assert served.rebuild().problems == []
    assert {served.config.content_dir, served.config.site_dir} <= set(served.walked)  # nothing known yet
    return served


def _full_build(tmp_path: Path, served: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.copytree(served / "content", fresh / "content")
    shutil.copy(served / "digest.yaml", fresh / "digest.yaml")
    build(load_config(fresh), jobs=1, echo=lambda line: None)
    return site_files(fresh / "site")


def test_an_edit_is_built_from_the_watchers_batch_as_a_full_build_would(session: Session, tmp_path: Path) -> None:
    root = session.config.root
    path = _edit(root, EDITED, "800 jobs", "850 jobs")
    report = session.rebuild({path})
    assert session.config.content_dir not in session.walked and session.config.site_dir not in session.walked
    assert f"articles/{EDITED}.html" in report.changed
    assert "850 jobs" in (root / f"site/articles/{EDITED}.html").read_text(encoding="utf-8")
    gone = root / "content" / "cafe-owners-we-are-not-giving-up.md"
    gone.unlink()
    session.rebuild({gone})
    assert session.config.content_dir not in session.walked
    assert not (root / "site/articles/cafe-owners-we-are-not-giving-up.html").exists()
    assert site_files(root / "site") == _full_build(tmp_path, root)
    assert not session.known.drifted(session.config)  # what it knows is what a walk finds


def test_a_change_the_watcher_missed_is_found_when_idle(session: Session) -> None:
    root = session.config.root
    _edit(root, EDITED, "800 jobs", "860 jobs")
    (root / f"site/articles/{EDITED}.html").unlink()  # site/ is not watched at all
    session.rebuild(set())  # a batch without them
    assert session.known.drifted(session.config)
    session.rebuild(None)  # what serve does next
    assert session.config.content_dir in session.walked
    assert "860 jobs" in (root / f"site/articles/{EDITED}.html").read_text(encoding="utf-8")
    assert not session.known.drifted(session.config)


def test_a_batch_beyond_content_files_walks_the_folders(session: Session) -> None:
    root = session.config.root
    (root / "templates").mkdir()
    session.rebuild({root / "templates"})
    assert session.config.content_dir in session.walked and session.config.site_dir in session.walked


def test_a_failed_build_forgets_what_it_knew(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    root = session.config.root
    path = _edit(root, EDITED, "800 jobs", "870 jobs")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "_load_group_render", broken)
    with pytest.raises(RuntimeError):
        session.rebuild({path})
    monkeypatch.undo()
    assert session.known.content == {} and session.known.site == {}


def test_restamped_is_what_a_walk_finds(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text(name, encoding="utf-8")
    known = input_stamps(folder)
    (folder / "a.md").write_text("longer a", encoding="utf-8")
    (folder / "b.md").unlink()
    (folder / "d.md").write_text("d", encoding="utf-8")
    (folder / ".d.md.swp").write_text("scratch", encoding="utf-8")
    changed = {folder / name for name in ("a.md", "b.md", "d.md", ".d.md.swp")}
    assert restamped(folder, known, changed) == input_stamps(folder)
    (folder / "sub").mkdir()
    assert restamped(folder, known, {folder / "sub"}) is None  # what a folder holds takes a walk
    assert restamped(folder, known, {folder / "sub" / "x.md"}) is None


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    root = copy_fixture(tmp_path / "seeded")
    (root / "seeds").mkdir()
    first = sorted(SAMPLE_SEEDS.glob("*.txt"))[0]
    shutil.copy(first, root / "seeds" / first.name)
    served = Session(root, monkeypatch)
    assert served.rebuild().problems == []
    assert served.config.seeds_dir in served.walked  # nothing known yet
    return served


def _articles_from_seeds(root: Path) -> set[str]:
    return {
        line.split(": ", 1)[1]
        for path in (root / "content").glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("origin: seeds/")
    }


def test_an_edit_in_content_takes_seeds_as_the_last_build_found_them_and_a_new_seed_is_read(seeded: Session) -> None:
    root, seeds = seeded.config.root, seeded.config.seeds_dir
    path = _edit(root, EDITED, "800 jobs", "880 jobs")
    seeded.rebuild({path})
    assert seeds not in seeded.walked
    assert "880 jobs" in (root / f"site/articles/{EDITED}.html").read_text(encoding="utf-8")
    second = sorted(SAMPLE_SEEDS.glob("*.txt"))[1]
    shutil.copy(second, seeds / second.name)
    report = seeded.rebuild({seeds / second.name})
    assert seeds in seeded.walked and report.ingest.read == 2
    assert f"seeds/{second.name}" in _articles_from_seeds(root)
    assert not seeded.known.drifted(seeded.config)


def test_a_seed_the_watcher_missed_is_found_when_idle(seeded: Session) -> None:
    root, seeds = seeded.config.root, seeded.config.seeds_dir
    second = sorted(SAMPLE_SEEDS.glob("*.txt"))[1]
    shutil.copy(second, seeds / second.name)
    seeded.rebuild(set())  # a batch without it
    assert f"seeds/{second.name}" not in _articles_from_seeds(root)
    assert seeded.known.drifted(seeded.config)
    seeded.rebuild(None)  # what serve does next
    assert f"seeds/{second.name}" in _articles_from_seeds(root)
    assert not seeded.known.drifted(seeded.config)
