"""content/*.md → [Article]: read the editor's files, report the ones that cannot be used.

Parsed articles are cached by file identity (size, mtime, ctime), so an unchanged
archive of ten thousand files is not parsed again on every rebuild.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import model
from .cache import InputStamp, input_stamps, read_entry, write_entry
from .config import Config
from .model import Article, FrontMatterError, article_fingerprints, read_article

CACHE_NAME = "load.pickle"
# The cache is only valid for the parser that filled it.
PARSER_FINGERPRINT = hashlib.sha256(Path(model.__file__).read_bytes()).hexdigest()[:16]


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: "content/x.md: line 3: ..."
    changed: list[str] = field(default_factory=list)  # content files parsed anew this time


def content_files(content_dir: Path, scan: Optional[dict[str, InputStamp]] = None) -> list[tuple[str, InputStamp]]:
    """The article files' names with their stamps, by name; `scan`: `input_stamps(content_dir)`, made already."""
    if scan is None:
        scan = input_stamps(content_dir)
    return sorted((name, stamp) for name, stamp in scan.items() if name.endswith(".md") and "/" not in name)


def load_articles(config: Config, scan: Optional[dict[str, InputStamp]] = None) -> LoadResult:
    result = LoadResult()
    cache_path = config.cache_dir / CACHE_NAME
    cached = read_entry(cache_path, PARSER_FINGERPRINT) or {}
    fresh: dict[str, tuple[InputStamp, Optional[Article], str]] = {}
    seen: dict[str, str] = {}  # slug → the file that has it
    for name, stamp in content_files(config.content_dir, scan):
        entry = cached.get(name)
        if entry is None or entry[0] != stamp:
            path = config.content_dir / name  # made only here: ten thousand paths a rebuild add up
            shown = config.display(path)
            entry = (stamp, *_parse(path, shown))
            result.changed.append(shown)
        fresh[name] = entry
        _, article, problem = entry
        if article is None:
            result.problems.append(problem)
            continue
        if article.slug in seen:
            shown = config.display(config.content_dir / name)
            result.problems.append(f"{shown}: slug {article.slug!r} is already used by {seen[article.slug]}; skipped")
            continue
        seen[article.slug] = name
        result.articles.append(article)
    if result.changed or fresh.keys() != cached.keys():
        write_entry(cache_path, PARSER_FINGERPRINT, fresh)
    return result


def _parse(path: Path, shown: str) -> tuple[Optional[Article], str]:
    try:
        article = read_article(path)
        article_fingerprints(article, remember=True)  # kept in the cache: the renderer's change detection
        return article, ""
    except FrontMatterError as error:
        return None, f"{shown}: {error}"
    except OSError as error:
        return None, f"{shown}: cannot read: {error.strerror or error}"
