from pathlib import Path

from click.testing import CliRunner

from digest.cli import cli
from digest.config import Config, load_config


def test_init_creates_a_project_that_builds(tmp_path):
    target = tmp_path / "my-news"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for folder in ("seeds", "content", "templates"):
        assert (target / folder).is_dir()
    config = load_config(target)  # the commented config file is valid as written
    assert config.title == "My News"
    built = CliRunner().invoke(cli, ["build", "-C", str(target)])
    assert built.exit_code == 0, built.output


def test_init_never_overwrites_a_project(tmp_path):
    (tmp_path / "digest.yaml").write_text("title: Mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (tmp_path / "digest.yaml").read_text(encoding="utf-8") == "title: Mine\n"


def test_init_in_an_existing_folder_keeps_its_files(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "README.txt").write_text("my notes", encoding="utf-8")
    assert CliRunner().invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "seeds" / "README.txt").read_text(encoding="utf-8") == "my notes"


def test_init_names_the_site_after_any_folder_name(tmp_path):
    folder = tmp_path / 'ukraine\\briefs "daily"'
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert load_config(folder).title == "Ukraine\\Briefs 'Daily'"


def test_init_writes_nothing_a_build_reads_as_an_article(tmp_path):
    target = tmp_path / "news"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    assert list((target / "seeds").iterdir()) == []
    assert (target / "static").is_dir()
    built = CliRunner().invoke(cli, ["build", "-C", str(target)])
    assert built.exit_code == 0, built.output
    assert built.stderr == ""  # not a word: nothing init wrote is a seed, an article or a stray file
    assert list((target / "content").iterdir()) == []
    assert not (target / "site" / "articles").exists()


def test_deleting_what_init_wrote_leaves_no_warnings(tmp_path):
    target = tmp_path / "news"
    created = CliRunner().invoke(cli, ["init", str(target)]).output
    assert CliRunner().invoke(cli, ["build", "-C", str(target)]).exit_code == 0
    for line in created.splitlines():
        path = Path(line.removeprefix("created "))
        if line.startswith("created ") and path.is_file():
            path.unlink()
    again = CliRunner().invoke(cli, ["build", "-C", str(target)])
    assert again.exit_code == 0, again.output
    assert again.stderr == ""


def test_the_config_init_writes_names_the_folders_and_reads_back_as_the_defaults(tmp_path):
    target = tmp_path / "news"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    text = (target / "digest.yaml").read_text(encoding="utf-8")
    for folder in ("seeds/", "content/", "templates/", "static/", "site/"):
        assert f"#   {folder}" in text
    defaults = Config(root=target).model_dump(exclude={"title"})
    assert load_config(target).model_dump(exclude={"title"}) == defaults
