"""The project's configuration: one typed object, read once from `digest.yaml`.

Every key has a default, so a project with no config file builds. Unknown keys
and wrong types are refused with a message naming the key, because a typo in a
config file that is silently ignored costs an editor far more time than an error.
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONFIG_FILE = "digest.yaml"


class ConfigError(Exception):
    """A config problem a user can fix; the message names the file and the key."""


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host: what digest links to, fetches, or serves under."""
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paths(_Section):
    seeds: str = "seeds"
    content: str = "content"
    site: str = "site"
    templates: str = "templates"


class Feeds(_Section):
    full_text: bool = True  # False: items carry only the summary
    items: int = Field(default=20, ge=1, le=10_000)
    atom: bool = True
    json_feed: bool = True


class DigestRule(_Section):
    name: str = Field(min_length=1)
    tags: list[str] = []
    keywords: list[str] = []

    @model_validator(mode="after")
    def _needs_a_criterion(self) -> "DigestRule":
        if not self.tags and not self.keywords:
            raise ValueError("a rule needs tags or keywords")
        return self


class Digests(_Section):
    count: Optional[int] = Field(default=None, ge=1, le=10_000)  # None: follow the material
    rules: list[DigestRule] = []
    # cosine similarity of two articles' word 3-grams above which they are one story published twice
    duplicate_similarity: float = Field(default=0.8, ge=0.5, le=1.0)


class SourceRule(_Section):
    """Names a publisher from a seed file-name glob or a phrase found in the text."""

    source: str = Field(min_length=1)
    file: Optional[str] = None
    phrase: Optional[str] = None

    @model_validator(mode="after")
    def _needs_a_match(self) -> "SourceRule":
        if not self.file and not self.phrase:
            raise ValueError("a source rule needs `file` (a glob) or `phrase`")
        return self


class Opml(_Section):
    """`- opml: feeds.opml`: every feed an OPML file lists (as feed readers export them)."""

    opml: str = Field(min_length=1)


class Tags(_Section):
    # canonical tag -> other spellings that mean the same
    aliases: dict[str, list[str]] = {}
    # words never used as tags
    stop: list[str] = []
    max_per_article: int = Field(default=8, ge=0, le=100)


class Config(_Section):
    title: str = "News Digest"
    description: str = "Topical digests of the news."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    per_page: int = Field(default=10, ge=1, le=1000)
    timestamp: bool = False  # a build time in the output breaks byte-for-byte reproducibility
    paths: Paths = Paths()
    feeds: Feeds = Feeds()
    digests: Digests = Digests()
    sources: list[SourceRule] = []
    tags: Tags = Tags()
    # the feeds `digest fetch` pulls into seeds/: URLs, or OPML files that list them
    subscriptions: list[Union[str, Opml]] = []

    # Where the project lives; not a key of the file.
    root: Path = Field(default=Path("."), exclude=True)

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        if not is_http_url(value):
            raise ValueError("must be an absolute http(s) URL such as https://example.org/news/")
        return value if value.endswith("/") else value + "/"

    @field_validator("subscriptions", mode="before")
    @classmethod
    def _fetchable(cls, value: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError("expected a list of feed URLs (and `- opml: FILE` items)")
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict) and set(item) != {"opml"}:
                raise ValueError(f"item {number}: a feed is its URL as text; the only other item is `- opml: FILE`")
            if not isinstance(item, (str, dict)) or isinstance(item, str) and not is_http_url(item):
                raise ValueError(f"item {number}: {item!r} is not an http(s) URL")
        return value

    @field_validator("feeds", mode="before")
    @classmethod
    def _not_feeds_to_fetch(cls, value: Any) -> Any:
        """`feeds:` sets up the site's own feeds; a list there is meant for `subscriptions:`."""
        if isinstance(value, list):
            raise ValueError(
                "this key sets up the site's own feeds (full_text, items, atom, json_feed); "
                "list the feeds to fetch under `subscriptions:`"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/London)") from None
        return value

    @model_validator(mode="after")
    def _paths_inside_project(self) -> "Config":
        for key, value in self.paths.model_dump().items():
            path = Path(value)
            if path.is_absolute() or ".." in path.parts:
                raise ValueError(f"paths.{key}: must be a folder inside the project, not {value!r}")
        return self

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def seeds_dir(self) -> Path:
        return self.root / self.paths.seeds

    @property
    def content_dir(self) -> Path:
        return self.root / self.paths.content

    @property
    def site_dir(self) -> Path:
        return self.root / self.paths.site

    @property
    def templates_dir(self) -> Path:
        return self.root / self.paths.templates

    def display(self, path: Path) -> str:
        """How messages name a file: relative to the project, as the user knows it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def cache_dir(self) -> Path:
        """Derived state only: deleting it loses nothing but time."""
        return self.root / ".digest-cache"


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key"
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message}"


def config_from_mapping(data: Any, root: Path = Path("."), origin: str = CONFIG_FILE) -> Config:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: must be a mapping of keys to values")
    try:
        return Config(**data, root=root)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(f"{origin}: {_describe(first)}") from None
    except TypeError as error:  # a non-string key, for example
        raise ConfigError(f"{origin}: {error}") from None


def load_config(root: Path) -> Config:
    """Read `digest.yaml` under root (absent: all defaults)."""
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(root=root)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{CONFIG_FILE}: cannot read: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ConfigError(f"{CONFIG_FILE}{where}: {problem}") from None
    except (ValueError, TypeError, OverflowError, AttributeError, LookupError, RecursionError):  # "!!int x", "[[[[…"
        raise ConfigError(f"{CONFIG_FILE}: invalid YAML (a !!tag its value does not fit, or nesting too deep)") from None
    return config_from_mapping(data, root=root)
