from pathlib import Path

import pytest

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
        ("title: [unclosed\n", "digest.yaml (line"),
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
    with pytest.raises(Exception):
        config.title = "Y"  # type: ignore[misc]


def test_empty_file_is_all_defaults(tmp_path):
    assert load_config(write_config(tmp_path, "")) == Config(root=tmp_path)
