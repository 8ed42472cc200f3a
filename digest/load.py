"""content/*.md → [Article]: read the editor's files, report the ones that cannot be used.

Parsed articles are cached by file identity (size, mtime, ctime), so an unchanged
archive of ten thousand files is not parsed again on every rebuild.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from .cache import InputStamp, Store, code_fingerprint, input_stamps
from .config import Config
from .model import Article, FrontMatterError, read_article

# One row per content file (records.py): an edit rewrites its own row, not the archive's.
CACHE_NAME = "load.sqlite"
_BEFORE_RECORDS = "load.pickle"  # the whole archive in one pickle, as digest kept it before the rows
# When articles whose content file has no `added:` (made before ingest wrote it, or by hand) were first seen:
# kept apart from the parse cache, so editing such a file does not move it in time.
FIRST_SEEN = "first-seen.pickle"


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: "content/x.md: line 3: ..."
    changed: list[str] = field(default_factory=list)  # content files parsed anew this time
    stand_ins: list[str] = field(default_factory=list)  # broken files whose last good version was used instead


@dataclass
class LastGood:
    """Under `serve`: each content file's last article that parsed. While a file's front matter is
    broken, the preview shows this version of it (and the error), so a typo neither drops the article
    nor regroups the archive twice, once to drop it and once to bring it back."""

    articles: dict[str, Article] = field(default_factory=dict)  # content file name → its article


def content_files(content_dir: Path, scan: Optional[dict[str, InputStamp]] = None) -> list[tuple[str, InputStamp]]:
    """The article files' names with their stamps, by name; `scan`: `input_stamps(content_dir)`, made already."""
    if scan is None:
        scan = input_stamps(content_dir)
    return sorted((name, stamp) for name, stamp in scan.items() if name.endswith(".md") and "/" not in name)


def load_articles(
    config: Config,
    scan: Optional[dict[str, InputStamp]] = None,
    last_good: Optional[LastGood] = None,
    store: Optional[Store] = None,
) -> LoadResult:
    """`last_good`: kept by the caller between loads; a broken file's last good article stands in for it."""
    result = LoadResult()
    store = store or Store()
    cache_path = config.cache_dir / CACHE_NAME
    cached = store.read_records(cache_path, code_fingerprint()) or {}
    fresh: dict[str, tuple[InputStamp, Optional[Article], str]] = {}
    seen: dict[str, str] = {}  # slug → the file that has it
    first_seen = FirstSeen(config, store)
    for name, stamp in content_files(config.content_dir, scan):
        entry = cached.get(name)
        if entry is None or entry[0] != stamp:
            path = config.content_dir / name  # made only here: ten thousand paths a rebuild add up
            shown = config.display(path)
            entry = (stamp, *_parse(path, shown, first_seen))
            result.changed.append(shown)
        fresh[name] = entry
        article = _usable(name, entry, last_good, result)
        if article is None:
            continue
        if article.slug in seen:
            shown = config.display(config.content_dir / name)
            result.problems.append(f"{shown}: slug {article.slug!r} is already used by {seen[article.slug]}; skipped")
            continue
        seen[article.slug] = name
        result.articles.append(article)
    # parsed anew (entries kept are the very ones read), or gone
    changed = {name for name, entry in fresh.items() if cached.get(name) is not entry} | (cached.keys() - fresh.keys())
    if changed:
        store.write_records(cache_path, code_fingerprint(), fresh, changed)
        if not cached:
            _remove_old_cache(config.cache_dir / _BEFORE_RECORDS)
    first_seen.save()
    if last_good is not None:
        last_good.articles = {name: last_good.articles[name] for name in result.stand_ins} | {
            name: article for name, (_, article, _) in fresh.items() if article is not None
        }
    return result


def _remove_old_cache(path: Path) -> None:
    """An upgrade would otherwise leave the old cache behind: hundreds of MB at 100,000 articles."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _usable(
    name: str, entry: tuple[InputStamp, Optional[Article], str], last_good: Optional[LastGood], result: LoadResult
) -> Optional[Article]:
    """The entry's article; for a broken file, its last good version when there is one (the problem is
    reported either way)."""
    _, article, problem = entry
    if article is not None:
        return article
    stand_in = last_good.articles.get(name) if last_good is not None else None
    if stand_in is None:
        result.problems.append(problem)
        return None
    result.problems.append(f"{problem}; the preview shows its last good version until this is fixed")
    result.stand_ins.append(name)
    return stand_in


class FirstSeen:
    """When each article without an `added:` field entered the site: its seed's modification
    time, or for a file no seed made, its own when first seen; remembered from then on."""

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self.path = config.cache_dir / FIRST_SEEN
        self.known: dict[str, dt.datetime] = store.read(self.path, "v1") or {}
        self.changed = False

    def of(self, article: Article, path: Path) -> dt.datetime:
        if path.name not in self.known:
            seed = self.config.root / article.origin if article.origin else None
            self.known[path.name] = (
                _modified(seed) or _modified(path) or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            )
            self.changed = True
        return self.known[path.name]

    def save(self) -> None:
        if self.changed:
            self.store.write(self.path, "v1", self.known)


def _modified(path: Optional[Path]) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.timezone.utc) if path is not None else None
    except (OSError, ValueError, OverflowError):
        return None


def _parse(path: Path, shown: str, first_seen: FirstSeen) -> tuple[Optional[Article], str]:
    try:
        article = read_article(path)
        if article.added is None:
            article = replace(article, added=first_seen.of(article, path))
        # worked out now, so that the cache keeps them: the renderer's change detection reads them every build
        article.fingerprints  # noqa: B018
        return article, ""
    except FrontMatterError as error:
        return None, f"{shown}: {error}"
    except OSError as error:
        return None, f"{shown}: cannot read: {error.strerror or error}"
