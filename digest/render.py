"""[Digest] + [Article] → site/ (placeholder: replaced by the render stage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .site import Site


@dataclass
class RenderResult:
    pages: int = 0
    written: list[str] = field(default_factory=list)  # site-relative paths whose bytes changed
    problems: list[str] = field(default_factory=list)


def render_site(site: Site, *, jobs: Optional[int] = None) -> RenderResult:
    return RenderResult()
