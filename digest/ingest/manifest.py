"""What the last ingest saw, so a rebuild normalises only the seeds that changed.

Derived state in `.digest-cache/`: deleting it costs one slow build, nothing else.
The content files still vouch for themselves (see store.py); this only remembers
seed file stamps and the normalised outcome of each seed, keyed by a fingerprint
of the ingest code and the config keys ingest reads, so a new rule or a code change
re-normalises everything.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..cache import InputStamp, read_entry, write_entry
from ..config import Config

INDEX = "ingest.pickle"
OUTCOMES = "ingest-outcomes.pickle"
_CODE = Path(__file__).resolve().parent


@functools.cache
def _code_hash() -> "hashlib._Hash":
    """The ingest code, read once per process (`serve` fingerprints on every rebuild)."""
    digest = hashlib.sha256()
    for source in sorted(_CODE.rglob("*.py")) + [_CODE.parent / "model.py"]:
        digest.update(source.read_bytes())
    return digest


def fingerprint(config: Config) -> str:
    digest = _code_hash().copy()
    digest.update(config.model_dump_json(include={"sources", "tags", "paths"}).encode())
    return digest.hexdigest()[:16]


@dataclass
class Manifest:
    config: Config
    key: str = ""
    stamps: dict[str, Optional[InputStamp]] = field(default_factory=dict)
    content: dict[str, Path] = field(default_factory=dict)  # origin → the content file it made or kept
    report: Any = None  # the last full run's IngestReport, replayed when nothing changed
    _outcomes: Optional[dict[str, bytes]] = None  # origin → pickled outcome, loaded only when needed

    @classmethod
    def load(cls, config: Config) -> "Manifest":
        key = fingerprint(config)
        saved = read_entry(config.cache_dir / INDEX, key)
        manifest = cls(config)
        if isinstance(saved, dict):
            manifest.key = key
            manifest.stamps, manifest.content, manifest.report = saved["stamps"], saved["content"], saved["report"]
        return manifest

    @classmethod
    def start(cls, config: Config, stamps: dict[str, Optional[InputStamp]], outcomes: list) -> "Manifest":
        """A manifest for this run; outcomes are pickled now, before later steps change them."""
        manifest = cls(config, key=fingerprint(config), stamps=dict(stamps))
        manifest._outcomes = {o.origin: pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL) for o in outcomes}
        return manifest

    def replayable(self, stamps: dict[str, Optional[InputStamp]]) -> bool:
        """Nothing to do: the same seeds, unchanged, and every content file they made is still there."""
        if not self.key or self.report is None or self.stamps != stamps or None in stamps.values():
            return False
        return all(os.path.exists(path) for path in self.content.values())

    def replay(self):
        report = copy.deepcopy(self.report)
        report.unchanged += report.written
        report.written = 0
        return report

    def has_outcome(self, origin: str, stamp: Optional[InputStamp]) -> bool:
        return stamp is not None and self.stamps.get(origin) == stamp and origin in self._saved_outcomes()

    def outcome(self, origin: str):
        return pickle.loads(self._saved_outcomes()[origin])

    def _saved_outcomes(self) -> dict[str, bytes]:
        if self._outcomes is None:
            saved = read_entry(self.config.cache_dir / OUTCOMES, self.key) if self.key else None
            self._outcomes = saved if isinstance(saved, dict) else {}
        return self._outcomes

    def save(self, report) -> None:
        write_entry(self.config.cache_dir / OUTCOMES, self.key, self._outcomes or {})
        index = {"stamps": self.stamps, "content": self.content, "report": report}
        write_entry(self.config.cache_dir / INDEX, self.key, index)
