from pathlib import Path

import pytest
from pydantic import ValidationError

from digest.config import Config, ConfigError, config_from_mapping, load_config


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "digest.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_no_config_file_means_all_defaults(tmp_path):
    config = load_config(tmp_path)
    assert config.title == "News Digest"
    assert config.base_url.endswith("/")
    assert config.content_dir == tmp_path / "content"
    assert config.feeds.full_text is True


def test_values_from_the_file_override_defaults(tmp_path):
    config = load_config(
        write_config(
            tmp_path,
            "title: Ukraine Watch\nbase_url: https://example.org/news\ntimezone: Europe/Kyiv\nfeeds:\n  full_text: false\n",
        )
    )
    assert config.title == "Ukraine Watch"
    assert config.base_url == "https://example.org/news/"  # a trailing slash makes urljoin keep the sub-path
    assert config.tz.key == "Europe/Kyiv"
    assert config.feeds.full_text is False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("titel: typo\n", "titel: unknown key"),
        ("feeds:\n  itmes: 3\n", "feeds.itmes: unknown key"),
        ("per_page: many\n", "per_page:"),
        ("base_url: example.org/news\n", "base_url: must be an absolute http(s) URL"),
        ("timezone: Mars/Olympus\n", "timezone: unknown time zone"),
        ("paths:\n  site: ../../etc\n", "paths.site: must be a folder inside the project"),
        ("paths:\n  content: /tmp/x\n", "paths.content: must be a folder inside the project"),
        ("digests:\n  rules:\n    - name: Empty\n", "digests.rules.0: a rule needs tags or keywords"),
        ("- just\n- a list\n", "must be a mapping"),
        ("title: [unclosed\n", "digest.yaml: line 1: a list opened with '[' here is not closed with ']'"),
    ],
)
def test_bad_config_names_the_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as error:
        load_config(write_config(tmp_path, text))
    message = str(error.value)
    assert message.startswith("digest.yaml")
    assert expected in message
    assert "\n" not in message


def test_unsafe_yaml_tags_are_refused(tmp_path):
    with pytest.raises(ConfigError):
        load_config(write_config(tmp_path, "title: !!python/object/apply:os.system ['echo hacked']\n"))


def test_config_is_frozen_and_picklable():
    import pickle

    config = config_from_mapping({"title": "X"}, root=Path("/tmp"))
    assert pickle.loads(pickle.dumps(config)) == config
    with pytest.raises(ValidationError):
        config.title = "Y"  # type: ignore[misc]


def test_empty_file_is_all_defaults(tmp_path):
    assert load_config(write_config(tmp_path, "")) == Config(root=tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title: News\nfeeds:\n\titems: 3\n", "digest.yaml: line 3: a tab character where indentation was expected"),
        ("title: News\nbase_url\nlanguage: en\n", "digest.yaml: line 2: a ':' is missing after the key"),
        ('title: "Morning news\nlanguage: en\n', "digest.yaml: line 1: a quote opened here is never closed"),
        ("feeds:\n    items: 3\n  atom: true\n", "digest.yaml: line 3: the indentation does not line up"),
        ("title: Morning: news\n", "digest.yaml: line 1: a ':' where none can be: put a value that contains"),
        ("title: @home\n", "digest.yaml: line 1: a value cannot start with '@'; put the value in quotes"),
        ("title: News\ntitle: Other\n", "digest.yaml: line 2: title: given twice (first on line 1)"),
        ("title: " + "[" * 5000 + "\n", "digest.yaml: invalid YAML: nested more than"),
    ],
)
def test_yaml_mistakes_are_said_in_words_with_their_line(tmp_path, text, expected):
    with pytest.raises(ConfigError) as error:
        load_config(write_config(tmp_path, text))
    assert str(error.value).startswith(expected)
    for raw in ("scanning", "<block", "token", "mapping values"):  # PyYAML's own wording stays out
        assert raw not in str(error.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("titel: typo\n", "digest.yaml: line 1: titel: unknown key; did you mean 'title'?"),
        ("title: x\nfeeds:\n  itmes: 3\n", "digest.yaml: line 3: feeds.itmes: unknown key; did you mean 'items'?"),
        (
            "digests:\n  rules:\n    - name: Ports\n      tag: [port]\n",
            "digest.yaml: line 4: digests.rules.0.tag: unknown key; did you mean 'tags'?",
        ),
        (
            "sources:\n  - source: Wire\n    files: 'wire-*.txt'\n",
            "digest.yaml: line 3: sources.0.files: unknown key; did you mean 'file'?",
        ),
        ("paths:\n  statik: public\n", "digest.yaml: line 2: paths.statik: unknown key; did you mean 'static'?"),
        ("colour: red\n", "digest.yaml: line 1: colour: unknown key (the keys here: title, description, base_url,"),
        ("root: /etc\n", "digest.yaml: line 1: root: unknown key"),
        ("title: x\nper_page: many\n", "digest.yaml: line 2: per_page: "),
    ],
)
def test_a_key_problem_names_its_line_and_an_unknown_key_the_nearest_known_one(tmp_path, text, expected):
    with pytest.raises(ConfigError) as error:
        load_config(write_config(tmp_path, text))
    assert str(error.value).startswith(expected), str(error.value)


def test_static_must_be_a_folder_outside_the_site(tmp_path):
    for text in ("paths:\n  static: site/extra\n", "paths:\n  static: .\n", "paths:\n  site: static/out\n"):
        with pytest.raises(ConfigError) as error:
            load_config(write_config(tmp_path, text))
        assert "paths.static: must be a folder of its own, outside the site folder" in str(error.value)
