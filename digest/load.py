"""content/*.md → [Article]: read the editor's files, report the ones that cannot be used."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .model import Article, FrontMatterError, read_article


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: "content/x.md: line 3: ..."


def content_files(content_dir: Path) -> list[Path]:
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.glob("*.md") if p.is_file() and not p.name.startswith("."))


def load_articles(config: Config) -> LoadResult:
    result = LoadResult()
    seen: dict[str, Path] = {}
    for path in content_files(config.content_dir):
        shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
        try:
            article = read_article(path)
        except FrontMatterError as error:
            result.problems.append(f"{shown}: {error}")
            continue
        except OSError as error:
            result.problems.append(f"{shown}: cannot read: {error.strerror or error}")
            continue
        if article.slug in seen:
            result.problems.append(f"{shown}: slug {article.slug!r} is already used by {seen[article.slug].name}; skipped")
            continue
        seen[article.slug] = path
        result.articles.append(article)
    return result
