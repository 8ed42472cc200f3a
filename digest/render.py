"""[Digest] + [Article] → site/ (placeholder: replaced by the render stage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .config import Config
from .model import Article, Digest


@dataclass
class Site:
    config: Config
    articles: list[Article]
    digests: list[Digest]


@dataclass
class RenderResult:
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def render_site(site: Site, *, jobs: Optional[int] = None) -> RenderResult:
    return RenderResult()
