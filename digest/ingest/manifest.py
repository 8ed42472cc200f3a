"""What the last ingest saw, so a rebuild normalises only the seeds that changed.

Derived state in `.digest-cache/`: deleting it costs one slow build, nothing else.
The content files still vouch for themselves (see store.py); this only remembers
seed file stamps and the normalised outcome of each seed, keyed by a fingerprint
of the ingest code and the config keys ingest reads, so a new rule or a code change
re-normalises everything.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ..cache import InputStamp, Store, code_fingerprint
from ..config import Config

if TYPE_CHECKING:
    from .template import SeedLines

INDEX = "ingest.pickle"
OUTCOMES = "ingest-outcomes.pickle"
LINES = "ingest-lines.pickle"


def fingerprint(config: Config) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(config.model_dump_json(include={"sources", "tags", "paths"}).encode())
    return digest.hexdigest()[:16]


@dataclass
class Manifest:
    config: Config
    store: Store = field(default_factory=Store)
    key: str = ""
    stamps: dict[str, Optional[InputStamp]] = field(default_factory=dict)
    content: dict[str, Path] = field(default_factory=dict)  # origin → the content file it made or kept
    content_stamps: Optional[dict] = None  # content/ as the last run left it (cache.input_stamps)
    facts: dict = field(default_factory=dict)  # what each content file said, by its stamp (store.scan_content)
    summaries: dict[str, Any] = field(default_factory=dict)  # origin → its outcome's summary (SeedOutcome.summary)
    report: Any = None  # the last full run's IngestReport, replayed when nothing changed
    _outcomes: Optional[dict[str, bytes]] = None  # origin → pickled outcome, loaded only when needed
    # origin → (its lines, the template it was normalised with): read only when seeds changed
    _lines: Optional[dict[str, tuple[SeedLines, frozenset[int]]]] = None

    @classmethod
    def load(cls, config: Config, store: Store) -> "Manifest":
        key = fingerprint(config)
        saved = store.read(config.cache_dir / INDEX, key)
        manifest = cls(config, store)
        if isinstance(saved, dict):
            manifest.key = key
            manifest.stamps, manifest.content, manifest.report = saved["stamps"], saved["content"], saved["report"]
            manifest.content_stamps = saved.get("content_stamps")
            manifest.facts = saved.get("facts") or {}
            manifest.summaries = saved.get("summaries") or {}
        return manifest

    @classmethod
    def start(
        cls,
        config: Config,
        stamps: dict[str, Optional[InputStamp]],
        fresh: dict,
        last: "Manifest",
        lines: Optional[dict[str, tuple[SeedLines, frozenset[int]]]] = None,
    ) -> "Manifest":
        """A manifest for this run: the fresh outcomes pickled now, before later steps change
        them, the others as the last run kept them (their bytes, not unpickled); `lines`: every
        seed's lines and template, when seeds changed (None: as the last run left them)."""
        manifest = cls(config, last.store, key=fingerprint(config), stamps=dict(stamps), _lines=lines)
        summaries = {o: f.summary() for o, f in fresh.items()}
        manifest.summaries = {o: summaries[o] if o in summaries else last.summaries[o] for o in stamps}
        if fresh or not last.same_seeds(stamps):
            saved = last._saved_outcomes() if len(fresh) < len(stamps) else {}
            pickled = {o: pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL) for o, f in fresh.items()}
            manifest._outcomes = {o: pickled[o] if o in pickled else saved[o] for o in stamps}
        return manifest

    def replayable(self, stamps: dict[str, Optional[InputStamp]], content: dict[str, InputStamp]) -> bool:
        """Nothing to do: the same seeds and the same content/, file for file, as the last run left them.

        Then the last report is what this run would say: every line of it (an edited file whose
        seed changed, an orphan) is computed from exactly these files. A content file edited,
        fixed or deleted since makes the run look again, so a message never outlives its cause.
        """
        return self.report is not None and self.same_seeds(stamps) and self.content_stamps == content

    def same_seeds(self, stamps: dict[str, Optional[InputStamp]]) -> bool:
        """The seeds of the last run, every one unchanged (and under the same code and settings)."""
        return (
            bool(self.key)
            and self.stamps == stamps
            and None not in stamps.values()
            and self.summaries.keys() >= stamps.keys()
        )

    def replay(self):
        report = copy.deepcopy(self.report)
        report.unchanged += report.written
        report.written = 0
        return report

    def has_outcome(self, origin: str, stamp: Optional[InputStamp]) -> bool:
        return stamp is not None and self.stamps.get(origin) == stamp and origin in self._saved_outcomes()

    def outcome(self, origin: str):
        return pickle.loads(self._saved_outcomes()[origin])

    def seed_lines(self) -> dict[str, tuple[SeedLines, frozenset[int]]]:
        """origin → (the seed's lines, the template its outcome was normalised with)."""
        if self._lines is None:
            saved = self.store.read(self.config.cache_dir / LINES, self.key) if self.key else None
            self._lines = saved if isinstance(saved, dict) else {}
        return self._lines

    def _saved_outcomes(self) -> dict[str, bytes]:
        if self._outcomes is None:
            saved = self.store.read(self.config.cache_dir / OUTCOMES, self.key) if self.key else None
            self._outcomes = saved if isinstance(saved, dict) else {}
        return self._outcomes

    def save(self, report, content_stamps: dict) -> None:
        if self._outcomes is not None:  # None: the very outcomes of the last run, on disk already
            self.store.write(self.config.cache_dir / OUTCOMES, self.key, self._outcomes)
        if self._lines is not None:
            self.store.write(self.config.cache_dir / LINES, self.key, self._lines)
        index = {
            "stamps": self.stamps,
            "content": self.content,
            "report": report,
            "content_stamps": content_stamps,
            "facts": self.facts,
            "summaries": self.summaries,
        }
        self.store.write(self.config.cache_dir / INDEX, self.key, index)
