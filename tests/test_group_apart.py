"""A large archive is grouped in a process of its own: the same digests, and the build's own process
keeps none of the clustering's libraries or memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from test_group_corpus import corpus

import digest.group as group
import digest.workers
from digest.build import build
from digest.config import Config, load_config
from digest.group import group_articles, regroup

from render_helpers import site_files

TESTS = Path(__file__).resolve().parent

_APART_IN_A_FRESH_PROCESS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from test_group_corpus import corpus
import digest.group as group
from digest.build import build
from digest.config import Config, load_config
group.APART_FROM = 1
articles = corpus(per_topic=4)
digests, _, how = group.regroup(articles, Config(), None)
loaded = sorted(name for name in ("sklearn", "scipy", "spacy") if name in sys.modules)
here = group.group_articles(articles, Config())
same = digests == here
print(json.dumps({"how": how, "loaded": loaded, "same": same, "count": len(digests)}))
"""


def test_grouping_apart_gives_the_digests_grouping_here_gives_and_leaves_no_libraries_behind() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _APART_IN_A_FRESH_PROCESS, str(TESTS)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["how"] == "grouped" and result["count"] >= 3
    assert result["loaded"] == []  # the clustering's libraries were imported by the other process only
    assert result["same"]


def test_when_no_process_can_be_started_the_archive_is_grouped_here(monkeypatch: pytest.MonkeyPatch) -> None:
    tried = []

    def broken(*args, **options):
        tried.append(args)
        raise BrokenProcessPool("no process")

    monkeypatch.setattr(group, "APART_FROM", 1)
    monkeypatch.setattr(digest.workers, "run_apart", broken)
    articles = corpus(per_topic=3)
    digests, _, how = regroup(articles, Config(), None)
    assert tried and how == "grouped"
    assert digests == group_articles(articles, Config())


def test_small_archives_are_grouped_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest.workers, "run_apart", lambda *args, **options: pytest.fail("a small archive went apart"))
    articles = corpus(per_topic=3)
    assert len(articles) < group.APART_FROM
    assert regroup(articles, Config(), None)[0] == group_articles(articles, Config())


def test_a_site_grouped_apart_is_the_site_grouped_here(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build(load_config(project), jobs=1).problems == []
    apart = project / "apart"
    for folder in ("seeds", "content"):
        shutil.copytree(project / folder, apart / folder)
    monkeypatch.setattr(group, "APART_FROM", 1)
    calls = []
    real = digest.workers.run_apart
    monkeypatch.setattr(
        digest.workers, "run_apart", lambda *args, **options: calls.append(args[0]) or real(*args, **options)
    )
    assert build(load_config(apart), jobs=1).problems == []
    assert calls, "the samples were grouped apart"
    assert site_files(apart / "site") == site_files(project / "site")
