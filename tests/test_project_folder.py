"""`digest build` and `digest serve` work only in a digest project, and change nothing anywhere else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.config import is_project

from hostile_checks import tree

REPOSITORY = Path(__file__).resolve().parent.parent


def _someones_folder(folder: Path) -> Path:
    """A folder that happens to have a site/ of its own: notes and photos."""
    (folder / "site" / "photos").mkdir(parents=True)
    (folder / "site" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (folder / "site" / "photos" / "beach.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    (folder / "seeds").mkdir()  # a seeds/ folder alone does not make a project either
    return folder


@pytest.mark.parametrize("command", ["build", "serve"])
def test_outside_a_project_nothing_changes_and_it_says_what_to_do(tmp_path: Path, command: str) -> None:
    folder = _someones_folder(tmp_path / "holiday")
    before = tree(folder)
    done = subprocess.run(
        [sys.executable, "-m", "digest", command], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "digest: not a digest project (no digest.yaml here); run 'digest init .' to start one, or use -C DIR"
    )
    assert tree(folder) == before  # site/, its notes and photos untouched; no content/, no cache


def test_a_folder_given_with_minus_c_is_named(tmp_path: Path) -> None:
    folder = _someones_folder(tmp_path / "my holiday")
    result = CliRunner().invoke(cli, ["build", "-C", str(folder)])
    assert result.exit_code == 2
    assert f"digest: {folder} is not a digest project (no digest.yaml in it); " in result.stderr
    assert result.stderr.rstrip().endswith(f"start one with: digest init '{folder}'")  # quoted for the shell
    assert sorted(p.name for p in folder.iterdir()) == ["seeds", "site"]


def test_what_makes_a_project(tmp_path: Path) -> None:
    assert not is_project(tmp_path)
    (tmp_path / "seeds").mkdir()
    assert not is_project(tmp_path)
    (tmp_path / "content").mkdir()
    assert is_project(tmp_path)  # the folders `digest init` and a first build make
    other = tmp_path / "other"
    other.mkdir()
    (other / "digest.yaml").write_text("", encoding="utf-8")
    assert is_project(other)


def test_an_init_project_and_this_repository_are_projects(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "news")]).exit_code == 0
    assert is_project(tmp_path / "news")
    assert is_project(REPOSITORY)  # the README's first command builds the bundled samples here


def test_deleting_digest_yaml_from_an_init_project_keeps_it_a_project(tmp_path: Path) -> None:
    target = tmp_path / "news"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    (target / "digest.yaml").unlink()
    shutil.rmtree(target / "templates")
    result = CliRunner().invoke(cli, ["build", "-C", str(target)])
    assert result.exit_code == 0, result.output
