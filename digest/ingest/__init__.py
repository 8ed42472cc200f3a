"""seeds/*.txt → content/*.md (placeholder: replaced by the ingest stage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..config import Config


@dataclass
class IngestReport:
    read: int = 0
    written: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # "seeds/x.txt: rejected: binary file"
    messages: list[str] = field(default_factory=list)  # every line to show the user, rejections included


def ingest_all(config: Config, *, jobs: Optional[int] = None, progress: bool = False) -> IngestReport:
    return IngestReport()
