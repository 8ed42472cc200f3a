"""The data every stage passes along, and the content-file format.

A content file is YAML front matter between `---` lines, then a Markdown body.
The field names are a contract that other tools read; unknown fields an editor
adds are kept, in order, in `Article.extra`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional, Union

import yaml
from slugify import slugify as _slugify

from .yamlerrors import flow_depth

try:  # libyaml is several times faster; 10,000 front matters are read per build
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

DateValue = Union[dt.date, dt.datetime, None]

# Fields in the order they are written; anything else follows them.
FIELD_ORDER = ("title", "date", "date_inferred", "source", "tags", "summary", "slug", "origin", "added", "digest")
MAX_FRONT_MATTER = 256 * 1024


class _Loader(_SafeLoader):
    """Safe loading with timestamps left as text, so a bad date is reported as a bad date."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


class FrontMatterError(ValueError):
    """A content file a user can fix; the message says what is wrong (and where)."""


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    body: str = ""  # Markdown
    date: DateValue = None
    date_inferred: bool = False
    source: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    origin: str = ""  # the seed it was made from, relative to the project root
    digest: Optional[str] = None  # an editor's pin to a digest (slug or name)
    added: DateValue = None  # when the article entered the site (its content file was first made)
    extra: dict[str, Any] = field(default_factory=dict)
    path: Optional[Path] = None  # the content file it was read from; never written

    # An article never changes once made: a change is a new Article (dataclasses.replace), and its tags
    # and extra fields are never changed in place either. So what is derived from it is worked out once
    # and travels with it: load's cache keeps it, and a build of ten thousand articles neither hashes
    # their bodies nor sorts them on keys made again.
    @functools.cached_property
    def sort_key(self) -> tuple:
        """The one order of every list, newest first when reversed: dated articles by their date, then
        the undated ones (which have no place in time) by when they entered the site; slug breaks ties."""
        return (self.date is not None, date_sort_value(self.date if self.date is not None else self.added), self.slug)

    @functools.cached_property
    def fingerprints(self) -> tuple[str, str]:
        """Hashes of the front matter fields and of the body: what a list shows of the article
        changes with the first, its own page and its feed items with both."""
        fields = [
            self.slug,
            self.title,
            repr(self.date),
            self.date_inferred,
            self.source,
            self.tags,
            self.summary,
            self.origin,
            self.digest,
            self.extra,
            repr(self.added),
        ]
        text = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=repr)
        fields_hash, body_hash = (
            hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:40] for part in (text, self.body)
        )
        return fields_hash, body_hash

    @property
    def author(self) -> str:
        """The byline's person, as ingest found it or an editor wrote it ("" when unknown)."""
        value = self.extra.get("author")
        return (
            " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
        )

    def front_matter(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "date": self.date,
        }
        if self.date_inferred:
            data["date_inferred"] = True
        data.update(source=self.source, tags=list(self.tags), summary=self.summary, slug=self.slug, origin=self.origin)
        if self.added is not None:
            data["added"] = self.added
        if self.digest:
            data["digest"] = self.digest
        data.update(self.extra)
        return data


@dataclass
class OverviewPoint:
    text: str
    article: str  # the slug of the article the sentence comes from


@dataclass
class Digest:
    slug: str
    name: str
    articles: list[Article]  # oldest first
    overview: list[OverviewPoint] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # groups of article slugs that are the same story published more than once
    duplicates: list[list[str]] = field(default_factory=list)
    how: str = "auto"  # "auto", "pinned", "rule"
    # article slug → related articles' slugs (other digests, or earlier in this one), closest first
    related: dict[str, list[str]] = field(default_factory=dict)

    # By each article's cached sort key, whose second part is its date's sort value: a build asks a
    # digest of thousands of articles for its span several times.
    @property
    def date_from(self) -> DateValue:
        dated = [a for a in self.articles if a.date is not None]
        return min(dated, key=lambda a: a.sort_key[1]).date if dated else None

    @property
    def date_to(self) -> DateValue:
        dated = [a for a in self.articles if a.date is not None]
        return max(dated, key=lambda a: a.sort_key[1]).date if dated else None

    @property
    def undated(self) -> int:
        """How many of its articles do not state a date."""
        return sum(1 for a in self.articles if a.date is None)


def date_sort_value(value: DateValue) -> float:
    """One comparable number for dates, naive and aware datetimes alike (naive read as UTC)."""
    if value is None:
        return float("-inf")
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


@functools.lru_cache(maxsize=65536)  # a site slugifies each tag and source once per article
def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphenated; never empty, never a reserved device name."""
    slug = _slugify(text or "", max_length=max_length, word_boundary=True, save_order=True)
    if not slug:
        slug = "item-" + hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if slug.upper() in _WINDOWS_RESERVED:
        slug += "-1"
    return slug


MAX_SLUG = 200
_VALID_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


# ---------------------------------------------------------------- writing


class _Dumper(_BaseDumper):
    pass


def _represent_datetime(dumper: Any, value: dt.datetime) -> yaml.Node:  # Any: libyaml's dumper or the Python one
    # PyYAML writes "2025-08-14 10:32:00+00:00"; ISO 8601 wants the "T".
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.datetime, _represent_datetime)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def dump_article(article: Article) -> str:
    """The content file's text: front matter, a blank line, the body, one final newline."""
    body = article.body.strip("\n")
    return f"---\n{dump_yaml(article.front_matter())}---\n\n{body}\n"


# ---------------------------------------------------------------- reading

FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body); raises FrontMatterError when the fences are wrong."""
    text = text.lstrip("\ufeff")
    first = FENCE.match(text)
    if first is None:
        raise FrontMatterError("no front matter (the file must start with a line '---')")
    closing = FENCE.search(text, first.end())
    if closing is None:
        raise FrontMatterError("front matter is not closed (no second line '---')")
    if closing.start() > MAX_FRONT_MATTER:
        raise FrontMatterError("front matter is too large")
    return text[first.end() : closing.start()], text[closing.end() :].strip("\n")


def _line_of(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    # The YAML text starts right after the opening fence's "---", so its line N is the file's line N + 1.
    return f"line {mark.line + 1}: " if mark is not None else ""


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting, reading events only (libyaml's event parser does not recurse)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError("YAML aliases (*name) are not allowed in front matter")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise FrontMatterError(_NESTED)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# libyaml builds nested values recursively: tens of thousands of "[" crash the process.
# Nesting needs a character per level, so short texts are safe without the extra pass.
MAX_NESTING = 100
_CHECK_ABOVE = 4096
_NESTED = f"front matter is nested more than {MAX_NESTING} levels deep"


def load_yaml_mapping(text: str) -> dict[str, Any]:
    """Safe YAML, refusing aliases: an alias bomb is cheap to load but explodes when walked."""
    try:
        if text.count("[") + text.count("{") > MAX_NESTING and flow_depth(text) > MAX_NESTING:
            raise FrontMatterError(_NESTED)
        if "*" in text or len(text) > _CHECK_ABOVE:
            _check_events(text)
        data = yaml.load(text, Loader=_Loader)
    except FrontMatterError:
        raise
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or "invalid YAML"
        raise FrontMatterError(f"{_line_of(error)}invalid YAML in front matter: {problem}") from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a timestamp PyYAML cannot build
        raise FrontMatterError(f"invalid value in front matter: {error}") from None
    except (AttributeError, LookupError):  # "!!timestamp x", "!!float ''": PyYAML fails inside its own constructors
        raise FrontMatterError("invalid value in front matter: a !!tag its value does not fit") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of field: value")
    return data


def parse_date(value: Any) -> DateValue:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, str):
        from dateutil import parser as date_parser

        try:
            parsed = date_parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            raise FrontMatterError(f"date: {value!r} is not a valid ISO 8601 date") from None
        if len(value.strip()) <= 10:
            return parsed.date()
        return parsed
    raise FrontMatterError(f"date: expected a date such as 2025-08-14, got {value!r}")


def _text_field(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise FrontMatterError(f"{key}: expected text, got {type(value).__name__}")


def _tags_field(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # an editor wrote "tags: a, b": accept it as a list
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        tags = []
        for item in value:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                tags.append(str(item).strip())
            elif item is not None:
                raise FrontMatterError(f"tags: each tag must be text, got {item!r}")
        return tags
    raise FrontMatterError(f"tags: expected a list, got {type(value).__name__}")


# Fields that name a web address: the original article, its lead image. They become links and images on
# the site, so anything but an absolute http(s) address is refused, as a typo would be.
LINK_FIELDS = ("url", "image")


def _check_links(data: dict[str, Any]) -> None:
    from .config import is_http_url

    for key in LINK_FIELDS:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and is_http_url(value)):
            raise FrontMatterError(f"{key}: expected a web address such as https://example.org/…, got {value!r}")
    if not isinstance(data.get("summary_only", False), bool):
        raise FrontMatterError("summary_only: expected true or false")


def article_from_front_matter(data: dict[str, Any], body: str, path: Optional[Path] = None) -> Article:
    fallback_slug = path.stem if path is not None else ""
    title = _text_field(data, "title").strip()
    if not title:
        raise FrontMatterError("title: missing or empty")
    slug_value = _text_field(data, "slug").strip() or fallback_slug
    # A slug that is already one stays as written (truncating it could make it another file's slug).
    valid = (
        _VALID_SLUG.fullmatch(slug_value)
        and len(slug_value) <= MAX_SLUG
        and slug_value.upper() not in _WINDOWS_RESERVED
    )
    slug = slug_value if valid else slugify(slug_value)
    digest = data.get("digest")
    if digest is not None and not isinstance(digest, (str, int)):
        raise FrontMatterError("digest: expected a digest name or slug")
    date_inferred = data.get("date_inferred", False)
    if not isinstance(date_inferred, bool):
        raise FrontMatterError("date_inferred: expected true or false")
    _check_links(data)
    extra = {key: value for key, value in data.items() if key not in FIELD_ORDER}
    return Article(
        slug=slug,
        title=title,
        body=body,
        date=parse_date(data.get("date")),
        date_inferred=date_inferred,
        source=_text_field(data, "source").strip(),
        tags=_tags_field(data.get("tags")),
        summary=_text_field(data, "summary").strip(),
        origin=_text_field(data, "origin").strip(),
        digest=str(digest).strip() if digest not in (None, "") else None,
        added=_added_field(data.get("added")),
        extra=extra,
        path=path,
    )


def _added_field(value: Any) -> DateValue:
    try:
        return parse_date(value)
    except FrontMatterError:
        raise FrontMatterError(f"added: {value!r} is not a valid ISO 8601 date and time") from None


def parse_article(text: str, path: Optional[Path] = None) -> Article:
    """A content file's text to an Article; raises FrontMatterError with a user-facing reason."""
    front, body = split_front_matter(text)
    return article_from_front_matter(load_yaml_mapping(front), body, path)


def read_article(path: Path) -> Article:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FrontMatterError("not UTF-8 text") from None
    return parse_article(text, path)


TEMPORARY_PREFIX = ".tmp-"


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of a write that was killed half-way; call only while holding the project lock."""
    if folder.is_dir():
        for leftover in folder.glob(TEMPORARY_PREFIX + "*"):
            try:
                leftover.unlink()
            except OSError:
                pass


def atomic_write(path: Path, data: Union[str, bytes]) -> None:
    """Write then rename: a reader, or a build killed at any moment, sees the old file or the new one, never half.

    No fsync: the rename already gives that to a killed process, and what is written
    here (generated content, pages, caches) can always be generated again, while an
    fsync per file would cost seconds on a build of ten thousand articles.
    """
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces `path` whole when the block ends well (see atomic_write): for
    a value written as it is serialised, never held whole in memory."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
