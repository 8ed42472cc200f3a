"""The pipeline as a whole: summary, exit codes, and rebuilds that skip what did not change."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys

from click.testing import CliRunner

from digest.build import build
from digest.cli import cli
from digest.config import load_config


def run(project, *args):
    return CliRunner().invoke(cli, ["build", "-C", str(project), "--no-progress", *args])


def test_sample_build_ends_with_a_one_line_summary(project):
    result = run(project)
    assert result.exit_code == 0, result.output
    summary, *after = result.stdout.strip().splitlines()
    assert summary.startswith("5 seeds read: 5 written, 0 unchanged, 0 rejected; 5 articles in ")
    for stage in ("ingest", "load", "group", "render"):
        assert f"{stage} " in summary
    # a first build says where the site is and how to see it
    assert after == [f"The site is in {project / 'site' / 'index.html'}; preview it with: digest serve -C {project}"]
    assert (project / "site" / "index.html").is_file()
    assert len(list((project / "content").glob("*.md"))) == 5


def test_a_rejected_seed_exits_1_after_building_the_rest(project):
    (project / "seeds" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = run(project)
    assert result.exit_code == 1
    assert "seeds/broken.txt: rejected:" in result.stderr
    assert "Traceback" not in result.output
    assert len(list((project / "content").glob("*.md"))) == 5


def test_a_config_error_exits_2_naming_the_key(project):
    (project / "digest.yaml").write_text("base_url: example.org\n", encoding="utf-8")
    result = run(project)
    assert result.exit_code == 2
    assert "digest.yaml: line 1: base_url:" in result.stderr
    assert not (project / "site").exists()


def stages(project):
    report = build(load_config(project), jobs=1, echo=lambda line: None)
    return report, set(report.timings)


def test_nothing_changed_skips_load_group_and_render(project):
    first, _ = stages(project)
    again, timed = stages(project)
    assert timed == {"ingest", "check"}
    assert (again.articles, again.digest_count, again.pages) == (first.articles, first.digest_count, first.pages)


_MODULES_LOADED = """
import sys
from digest.build import build
from digest.config import load_config
from pathlib import Path
build(load_config(Path(sys.argv[1])), jobs=1, echo=lambda line: None)
print(" ".join(sorted(name for name in sys.argv[2:] if name in sys.modules)))
"""
_HEAVY = ("digest.ingest.normalise", "digest.group.vectors", "sklearn", "jinja2", "numpy")


def _modules_a_build_loads(project) -> set[str]:
    command = [sys.executable, "-c", _MODULES_LOADED, str(project), *_HEAVY]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_a_build_loads_the_normalisers_and_grouping_models_only_when_it_needs_them(project):
    assert _modules_a_build_loads(project) == set(_HEAVY)
    assert _modules_a_build_loads(project) == set()  # nothing changed: not even the templates' engine
    content = sorted((project / "content").glob("*.md"))[0]
    content.write_text(content.read_text(encoding="utf-8") + "\nA paragraph added.\n", encoding="utf-8")
    edited = _modules_a_build_loads(project)  # one edit: pages rendered, the grouping patched, no seed read
    assert "jinja2" in edited and not edited & {"digest.ingest.normalise", "digest.group.vectors", "sklearn"}
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")
    assert "digest.ingest.normalise" in _modules_a_build_loads(project)


def test_an_edited_article_is_rebuilt_and_shown(project):
    stages(project)
    content = sorted((project / "content").glob("*.md"))[0]
    content.write_text(
        content.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8"
    )
    report, timed = stages(project)
    assert "render" in timed
    page = project / "site" / "articles" / f"{content.stem}.html"
    assert "Edited " in page.read_text(encoding="utf-8")
    assert f"articles/{content.stem}.html" in report.changed


def test_an_edit_to_a_linked_content_file_is_rebuilt(project, tmp_path):
    """A content file may be a link to the editor's own copy: its edits count, not the link's."""
    stages(project)
    content = sorted((project / "content").glob("*.md"))[0]
    kept = tmp_path / "elsewhere.md"
    shutil.move(content, kept)
    content.symlink_to(kept)
    stages(project)
    kept.write_text(kept.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Linked ", 1), encoding="utf-8")
    report, timed = stages(project)
    assert "render" in timed
    assert "Linked " in (project / "site" / "articles" / f"{content.stem}.html").read_text(encoding="utf-8")


def test_a_damaged_site_is_repaired(project):
    stages(project)
    (project / "site" / "index.html").unlink()
    shutil.rmtree(project / "site" / "tags")
    _, timed = stages(project)
    assert "render" in timed
    assert (project / "site" / "index.html").is_file() and (project / "site" / "tags").is_dir()


def test_template_and_config_changes_rebuild(project):
    stages(project)
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>CUSTOM {{ article.title }}</p>{% endblock %}', encoding="utf-8"
    )
    report, timed = stages(project)
    assert "render" in timed
    pages = list((project / "site" / "articles").glob("*.html"))
    assert pages and all("CUSTOM" in p.read_text(encoding="utf-8") for p in pages), report.problems
    (project / "digest.yaml").write_text("title: Renamed Site\n", encoding="utf-8")
    _, timed = stages(project)
    assert "render" in timed
    assert "Renamed Site" in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_temporary_files_of_a_killed_build_are_cleaned_up(project):
    stages(project)
    leftover = project / "content" / ".tmp-abc123"
    leftover.write_text("half a file", encoding="utf-8")
    stages(project)
    assert not leftover.exists()
    assert len(list((project / "content").glob("*.md"))) == 5


def test_an_edit_saved_during_a_build_is_built_by_the_next_one(project, monkeypatch):
    import digest.build as pipeline

    stages(project)
    content = sorted((project / "content").glob("*.md"))[0]
    real_group = pipeline._group

    def group_then_editor_saves(articles, config, store, defer=False, interrupt=None):
        grouped = real_group(articles, config, store, defer, interrupt)
        text = content.read_text(encoding="utf-8")
        content.write_text(text.replace("\ntitle: ", "\ntitle: Saved mid-build ", 1), encoding="utf-8")
        return grouped

    first = sorted((project / "content").glob("*.md"))[1]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")  # so this build runs
    monkeypatch.setattr(pipeline, "_group", group_then_editor_saves)
    stages(project)
    monkeypatch.setattr(pipeline, "_group", real_group)
    _, timed = stages(project)
    assert "render" in timed
    page = project / "site" / "articles" / f"{content.stem}.html"
    assert "Saved mid-build" in page.read_text(encoding="utf-8")


def test_a_build_leaves_the_garbage_collector_as_it_found_it(project):
    """A build sets what it loaded aside from the collector while it runs, never for good: a process
    that builds again and again (serve, a test run) must not keep each build's garbage."""
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    report = build(load_config(project), jobs=1, echo=lambda line: None)
    assert "render" in report.timings
    assert gc.get_freeze_count() == frozen and gc.isenabled() == enabled


def test_a_rebuild_says_why_nothing_was_written(project):
    run(project)
    result = run(project)
    summary = result.stdout.strip().splitlines()
    assert len(summary) == 1, summary  # no first-build advice any more
    assert summary[0].startswith("5 seeds read: 0 written (content/ already up to date), 5 unchanged, 0 rejected;")
    assert ", site/ already up to date (" in summary[0]


def test_the_summary_counts_in_english(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds" / "one.txt").write_text(
        "Harbour strike ends\n\nDockers voted on Monday to accept a new pay offer, ending the strike.\n",
        encoding="utf-8",
    )
    summary = run(tmp_path).stdout.splitlines()[0]
    assert summary.startswith("1 seed read: 1 written, 0 unchanged, 0 rejected; 1 article in 1 digest, ")
    assert " pages (" in summary  # a site of one article still has several pages


def test_an_empty_project_points_at_seeds(tmp_path):
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "news")]).exit_code == 0
    result = run(tmp_path / "news")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("0 seeds read: 0 written, 0 unchanged, 0 rejected; 0 articles in 0 digests, ")
    assert "No articles yet: put raw news articles (.txt files) in seeds/ and build again." in lines
    assert "No articles yet" in run(tmp_path / "news").stdout  # every time, while it is true


def test_the_summary_of_a_build_run_from_the_project_folder_names_plain_paths(project, monkeypatch):
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["build", "--no-progress"])
    assert result.stdout.splitlines()[-1] == "The site is in site/index.html; preview it with: digest serve"
