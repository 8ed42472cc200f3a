"""`digest build --scheduler`: ingest and page rendering mapped over a Dask cluster give the same site."""

from __future__ import annotations

import shutil

import pytest

from digest.build import build
from digest.config import load_config
from digest.workers import MIN_ITEMS_FOR_POOL

from render_helpers import site_files

distributed = pytest.importorskip("distributed")


def files(folder):
    """Every file by path; without the search index's shard bundles, equal but not in bytes (render_helpers.site_files)."""
    return {path: data for path, data in site_files(folder).items()}


def test_a_build_on_a_dask_cluster_equals_a_local_build(project, tmp_path, monkeypatch):
    # Many seeds, so the work really is spread over the cluster rather than done in-process.
    for index, seed in enumerate(sorted((project / "seeds").glob("*.txt"))):
        for copy in range(MIN_ITEMS_FOR_POOL // 5 + 2):
            text = seed.read_text(encoding="utf-8").replace("Trump", f"Trump{copy}", 1)
            (project / "seeds" / f"copy{copy:03d}_{index}.txt").write_text(text, encoding="utf-8")
    local = tmp_path / "local"
    shutil.copytree(project, local)

    calls = []
    import digest.workers as workers

    real_dask_stream = workers._dask_stream

    def counting_dask_stream(fn, items, scheduler, chunk_size, on_done):
        items = list(items)
        calls.append(len(items))
        return real_dask_stream(fn, items, scheduler, chunk_size, on_done)

    monkeypatch.setattr(workers, "_dask_stream", counting_dask_stream)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_cluster = build(load_config(project), scheduler=cluster.scheduler_address, echo=lambda line: None)
    assert calls and sum(calls) > len(list((project / "seeds").glob("*.txt")))  # ingest and pages both went there

    monkeypatch.setattr(workers, "_dask_stream", real_dask_stream)
    here = build(load_config(local), jobs=1, echo=lambda line: None)
    assert on_cluster.exit_code == here.exit_code == 0
    assert files(project / "content") == files(local / "content")
    assert files(project / "site") == files(local / "site")


def test_the_cli_reports_an_unreachable_scheduler_in_one_line(project):
    from click.testing import CliRunner

    from digest.cli import cli

    result = CliRunner().invoke(cli, ["build", "-C", str(project), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.output
