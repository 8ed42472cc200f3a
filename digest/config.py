"""The project's configuration: one typed object, read once from `digest.yaml`.

Every key has a default, so a project with no config file builds. Unknown keys
and wrong types are refused with a message naming the key, because a typo in a
config file that is silently ignored costs an editor far more time than an error.
"""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional, Union, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import yamlerrors

CONFIG_FILE = "digest.yaml"


class ConfigError(Exception):
    """A config problem a user can fix; the message names the file and the key."""


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host: what digest links to, fetches, or serves under."""
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def absolute_url(value: str) -> str:
    """A base URL as links are made from it: absolute http(s), ending in "/"; ValueError otherwise."""
    if not is_http_url(value):
        raise ValueError("must be an absolute http(s) URL such as https://example.org/news/")
    return value if value.endswith("/") else value + "/"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paths(_Section):
    seeds: str = "seeds"
    content: str = "content"
    site: str = "site"
    templates: str = "templates"
    static: str = "static"  # copied into site/ as it is


class Opml(_Section):
    """`- opml: feeds.opml`: every feed an OPML file lists (as feed readers export them)."""

    opml: str = Field(min_length=1)


def _check_fetchable(value: Any) -> Any:
    """The list of feeds to fetch: http(s) URLs as text, and `- opml: FILE` items."""
    if not isinstance(value, list):
        raise ValueError("expected a list of feed URLs (and `- opml: FILE` items)")
    for number, item in enumerate(value, start=1):
        if isinstance(item, dict) and set(item) != {"opml"}:
            raise ValueError(f"item {number}: a feed is its URL as text; the only other item is `- opml: FILE`")
        if not isinstance(item, (str, dict)) or isinstance(item, str) and not is_http_url(item):
            raise ValueError(f"item {number}: {item!r} is not an http(s) URL")
    return value


class Feeds(_Section):
    full_text: bool = True  # False: items carry only the summary
    items: int = Field(default=20, ge=1, le=10_000)
    atom: bool = True
    json_feed: bool = True
    # the feeds `digest fetch` pulls into seeds/: URLs, or OPML files that list them
    fetch: list[Union[str, Opml]] = []

    _fetchable = field_validator("fetch", mode="before")(_check_fetchable)


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


class Tags(_Section):
    # canonical tag -> other spellings that mean the same
    aliases: dict[str, list[str]] = {}
    # words never used as tags
    stop: list[str] = []
    max_per_article: int = Field(default=8, ge=0, le=100)


class Smtp(_Section):
    """Where `digest newsletter --send` hands the edition over. The password is never here: it is read
    from the environment variable named by `password_env`."""

    host: str = ""
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    user: str = ""
    password_env: str = Field(default="DIGEST_SMTP_PASSWORD", min_length=1)
    timeout: float = Field(default=30.0, gt=0, le=600)

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: never kept in digest.yaml; put it in the environment variable "
                "that password_env names (default DIGEST_SMTP_PASSWORD)"
            )
        return data


class Newsletter(_Section):
    sender: str = ""  # the From line, "Name <address>"; empty: the site title at no-reply@ the base_url's host
    reply_to: str = ""
    subject: str = ""  # empty: "<title>: <the first digest's name> and N more"
    digests: int = Field(default=5, ge=1, le=100)  # how many of the latest digests an edition holds by default
    articles: int = Field(default=8, ge=1, le=100)  # article titles listed per digest
    recipients: str = "subscribers.txt"  # one address per line, inside the project
    archive: str = "newsletter"  # every edition made, inside the project; the build publishes them
    unsubscribe_url: str = ""  # shown in every edition and sent as List-Unsubscribe, when set
    smtp: Smtp = Smtp()


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
    newsletter: Newsletter = Newsletter()

    # Where the project lives; not a key of the file.
    root: Path = Field(default=Path("."), exclude=True)

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        return absolute_url(value)

    @field_validator("feeds", mode="before")
    @classmethod
    def _feeds_to_fetch(cls, value: Any) -> Any:
        """`feeds:` as a list is the feeds to fetch (the short form of `feeds: {fetch: [...]}`)."""
        return {"fetch": _check_fetchable(value)} if isinstance(value, list) else value

    def site_settings_json(self) -> str:
        """Every setting the site is made from; the list of feeds `digest fetch` pulls is not one."""
        return self.model_dump_json(exclude={"feeds": {"fetch"}})

    @property
    def subscriptions(self) -> list[Union[str, Opml]]:
        """The feeds `digest fetch` pulls, as `feeds:` lists them."""
        return self.feeds.fetch

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
        places = {f"paths.{key}": value for key, value in self.paths.model_dump().items()}
        places.update(
            {"newsletter.recipients": self.newsletter.recipients, "newsletter.archive": self.newsletter.archive}
        )
        for key, value in places.items():
            path = Path(value)
            if path.is_absolute() or ".." in path.parts:
                kind = "a folder" if key != "newsletter.recipients" else "a file"
                raise ValueError(f"{key}: must be {kind} inside the project, not {value!r}")
        static, site = Path(self.paths.static), Path(self.paths.site)
        if site.is_relative_to(static) or static.is_relative_to(site):
            raise ValueError(
                "paths.static: must be a folder of its own, outside the site folder "
                "(its files are copied into the site)"
            )
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

    @property
    def static_dir(self) -> Path:
        return self.root / self.paths.static

    def display(self, path: Path) -> str:
        """How messages name a file: relative to the project, as the user knows it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def newsletter_dir(self) -> Path:
        return self.root / self.newsletter.archive

    @property
    def cache_dir(self) -> Path:
        """Derived state only: deleting it loses nothing but time."""
        return self.root / ".digest-cache"


def _model_at(loc: tuple[Any, ...]) -> Optional[type[BaseModel]]:
    """The settings section a key path leads into (list indexes step into the list's items)."""
    model: Optional[type[BaseModel]] = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model is not None else None
        model = _section_of(field.annotation) if field is not None else None
    return model


def _section_of(annotation: Any) -> Optional[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in get_args(annotation) if (found := _section_of(arg)) is not None), None)


def _known_keys(model: Optional[type[BaseModel]]) -> list[str]:
    return [name for name, field in (model.model_fields.items() if model else ()) if not field.exclude]


def _unknown_key(loc: tuple[Any, ...]) -> str:
    known = _known_keys(_model_at(loc[:-1]))
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean '{close[0]}'?"
    return f"unknown key (the keys here: {', '.join(known)})" if known else "unknown key"


def _describe(error: Mapping[str, Any], lines: Optional[yaml.Node] = None) -> str:
    loc = tuple(error["loc"])
    key = ".".join(str(part) for part in loc) or "(top level)"
    where = _line_at(lines, loc, error["type"] == "extra_forbidden")
    if error["type"] == "extra_forbidden":
        return f"{where}{key}: {_unknown_key(loc)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}{key}: {message}"


def _line_at(node: Optional[yaml.Node], loc: tuple[Any, ...], key_itself: bool) -> str:
    """ "line N: " of the value at a key path (of the key, for an unknown key), when the file has it."""
    line = None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            pair = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None
            )
            if pair is not None:
                line = pair[0].start_mark.line
                child = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line
        if child is None:
            break
        node = child
    if node is not None and not key_itself and loc:
        line = node.start_mark.line
    return f"line {line + 1}: " if line is not None else ""


def config_from_mapping(
    data: Any, root: Path = Path("."), origin: str = CONFIG_FILE, lines: Optional[yaml.Node] = None
) -> Config:
    """The typed config from parsed YAML; `lines`: the file's YAML nodes, to name lines in messages."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: must be a mapping of keys to values")
    if "root" in data:  # a field of the object, not of the file
        raise ConfigError(f"{origin}: {_line_at(lines, ('root',), True)}root: {_unknown_key(('root',))}")
    try:
        return Config(**data, root=root)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(f"{origin}: {_describe(first, lines)}") from None
    except TypeError as error:  # a non-string key, for example
        raise ConfigError(f"{origin}: {error}") from None


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice: PyYAML would keep the last one without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise ConfigError(
                    f"{CONFIG_FILE}: line {key_node.start_mark.line + 1}: {key}: given twice "
                    f"(first on line {seen[key] + 1}); keep one"
                )
            if isinstance(key, (str, int, float, bool)):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


MAX_NESTING = 20  # the deepest setting is three levels down; PyYAML's pure-Python parser is slow on deep text


def _parse(text: str) -> tuple[Any, Optional[yaml.Node]]:
    """(the data, its YAML nodes, which know the line of every key and value)."""
    if text.count("[") + text.count("{") > MAX_NESTING and yamlerrors.flow_depth(text) > MAX_NESTING:
        raise ConfigError(f"{CONFIG_FILE}: invalid YAML: nested more than {MAX_NESTING} levels deep")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def load_config(root: Path) -> Config:
    """Read `digest.yaml` under root (absent: all defaults)."""
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(root=root)
    try:
        text = path.read_text(encoding="utf-8")
        data, lines = _parse(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{CONFIG_FILE}: cannot read: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{CONFIG_FILE}: {yamlerrors.describe(error)}") from None
    except (ValueError, TypeError, OverflowError, AttributeError, LookupError, RecursionError):  # "!!int x", "[[[[…"
        raise ConfigError(
            f"{CONFIG_FILE}: invalid YAML (a !!tag its value does not fit, or nesting too deep)"
        ) from None
    return config_from_mapping(data, root=root, lines=lines)


def is_project(root: Path) -> bool:
    """digest.yaml, or the seeds/ and content/ folders that `digest init` (and a first build) make.

    Anywhere else `build` and `serve` refuse to run: they would write site/ and content/
    into a folder that is not meant for them.
    """
    return (root / CONFIG_FILE).is_file() or ((root / "seeds").is_dir() and (root / "content").is_dir())
