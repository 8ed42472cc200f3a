"""seeds/* → content/*.md: the first stage of a build.

Each seed is read by the reader of its kind (readers/: text, page, feed, note) and
normalised on its own (`ingest_seed`, a plain top-level function, so it can be
mapped over processes or a cluster); then, in this process and in seed order, one
copy of each article is kept (copies.py), tags get one spelling across the corpus,
slugs are given and files are written, never over a file an editor changed.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from ..cache import file_stamp
from ..config import Config
from ..model import Article, atomic_write, date_sort_value
from ..workers import parallel_map
from .copies import keep_one_copy, match_content
from .decode import Rejected, read_seed
from .document import normalise_document, normalise_note
from .manifest import Manifest
from .normalise import Normalised, normalise
from .readers import NOTE, SUFFIXES, TEXT, RawArticle, read_articles
from .store import ContentFile, allocate_slug, render_content, scan_content, short_hash
from .tags import TagResult, alias_map, canonicalise_corpus

PARALLEL_FROM = 50  # fewer seeds than this are done before worker processes would have started
PROGRESS_FROM = 20


@dataclass
class IngestReport:
    read: int = 0
    written: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # "seeds/x.txt: rejected: binary file"
    messages: list[str] = field(default_factory=list)  # every line to show the user, rejections included


@dataclass
class Made:
    """One article a seed made: a text, a page or a note makes one, a feed one per entry."""

    origin: str  # the seed, or one entry of it: "seeds/world.xml#3f2a9c1d7e6b5a40"
    seed_hash: str  # of the seed's bytes; of the entry's own data for a feed entry
    article: Article
    tag_kinds: dict[str, str] = field(default_factory=dict)
    tags_stated: bool = False
    identity: tuple[str, ...] = ()  # keys another copy of the same article shares (see readers.base)
    rank: tuple = ()  # of two copies, the higher rank is kept: full text over a summary, then the newer


@dataclass
class SeedOutcome:
    origin: str
    seed_hash: str = ""
    made: list[Made] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines for the user about a seed that was used
    rejected: str = ""  # the reason, when the seed cannot become an article

    @property
    def article(self) -> Optional[Article]:
        """The article of a seed that makes one (text, page, note)."""
        return self.made[0].article if self.made else None


def ingest_seed(seed: Union[str, Path, bytes], origin: str, config: Config) -> SeedOutcome:
    """One seed (a path, or its bytes) → its articles, or the reason it was refused."""
    try:
        data = seed if isinstance(seed, bytes) else read_seed(Path(seed), config.seeds_dir)
        origin.encode("utf-8")
        reading = read_articles(data, origin)[1]
    except Rejected as reason:
        return SeedOutcome(origin, rejected=str(reason))
    except UnicodeEncodeError:
        return SeedOutcome(origin, rejected="file name is not valid UTF-8")
    except RecursionError:
        return SeedOutcome(origin, rejected="text too deeply nested to process")
    outcome = SeedOutcome(origin, short_hash(data), notes=list(reading.notes))
    failures: list[str] = []
    for raw in reading.articles:
        try:
            normalised = normalise_raw(raw, config)
        except Rejected as reason:
            failures.append(str(reason))
            continue
        except RecursionError:
            failures.append("text too deeply nested to process")
            continue
        own_hash = outcome.seed_hash if raw.origin == origin else raw.fingerprint()
        outcome.made.append(Made(raw.origin, own_hash, normalised.article, normalised.tag_kinds,
                                 normalised.tags_stated, raw.identity, _rank(raw)))
    if not outcome.made:
        return SeedOutcome(origin, rejected=failures[0] if failures else "no article in it")
    if failures:
        outcome.notes.append(f"{len(failures)} entr{'y' if len(failures) == 1 else 'ies'} skipped: {failures[0]}")
    return outcome


def normalise_raw(raw: RawArticle, config: Config) -> Normalised:
    """Each kind's rules: the text rules for a scrape, the document rules for what states itself."""
    if raw.kind == TEXT:
        return normalise(raw.text, raw.origin, config)
    if raw.kind == NOTE:
        return normalise_note(raw, config)
    return normalise_document(raw, config)


def _rank(raw: RawArticle) -> tuple:
    return (not raw.summary_only, date_sort_value(raw.updated or raw.date))


def _ingest_task(task: tuple[str, str, Config]) -> SeedOutcome:
    return ingest_seed(*task)


def list_seeds(config: Config) -> list[tuple[str, str]]:
    """(path, origin) of every seed ingest reads (see readers.SUFFIXES), not recursive, sorted by name."""
    folder = config.seeds_dir
    if not folder.is_dir():
        return []
    names = sorted(
        entry.name for entry in folder.iterdir()
        if Path(entry.name).suffix.lower() in SUFFIXES and not entry.name.startswith(".")
    )
    return [(str(folder / name), _seeds_prefix(config) + name) for name in names]


def _seeds_prefix(config: Config) -> str:
    """How origins name the seeds folder: "seeds/"."""
    return Path(config.paths.seeds).as_posix().strip("/") + "/"


def _normalise_all(
    tasks: list[tuple[str, str]], config: Config, jobs: Optional[int], scheduler: Optional[str], progress: bool
) -> list[SeedOutcome]:
    work = [(path, origin, config) for path, origin in tasks]
    bar: Any = contextlib.nullcontext()
    if progress and len(work) >= PROGRESS_FROM:
        import click

        bar = click.progressbar(length=len(work), label="ingest", file=sys.stderr)
    with bar:
        on_done = getattr(bar, "update", None)
        return parallel_map(_ingest_task, work, jobs=jobs, scheduler=scheduler, min_items=PARALLEL_FROM, on_done=on_done)


def ingest_all(
    config: Config, *, jobs: Optional[int] = None, scheduler: Optional[str] = None, progress: bool = False
) -> IngestReport:
    tasks = list_seeds(config)
    manifest = Manifest.load(config)
    stamps = {origin: file_stamp(Path(path)) for path, origin in tasks}
    if manifest.replayable(stamps):
        return manifest.replay()
    # Normalising (entity recognition above all) is the cost: only new or changed seeds pay it.
    stale = [task for task in tasks if not manifest.has_outcome(task[1], stamps[task[1]])]
    fresh = dict(zip((origin for _, origin in stale), _normalise_all(stale, config, jobs, scheduler, progress)))
    outcomes = [fresh[origin] if origin in fresh else manifest.outcome(origin) for _, origin in tasks]
    next_manifest = Manifest.start(config, stamps, outcomes)
    report = IngestReport()
    kept, superseded = keep_one_copy(outcomes, {origin: stamp[1] for origin, stamp in stamps.items() if stamp})
    _canonicalise_tags(kept, config)
    existing, taken = scan_content(config.content_dir)
    for outcome in outcomes:
        _report_seed(outcome, superseded.get(outcome.origin), report)
    previous = match_content(kept, existing)
    for made in kept:
        next_manifest.content[made.origin] = _store(made, previous.get(made.origin), taken, config, report)
    claimed = {content.path for content in previous.values()}
    _report_orphans(existing, claimed, {origin for _, origin in tasks}, config, report)
    next_manifest.save(report)
    return report


def _report_seed(outcome: SeedOutcome, replaced_by: Optional[str], report: IngestReport) -> None:
    report.read += 1
    if outcome.rejected:
        line = f"{outcome.origin}: rejected: {outcome.rejected}"
        report.rejected.append(line)
        report.messages.append(line)
        return
    report.messages.extend(f"{outcome.origin}: {note}" for note in outcome.notes)
    if replaced_by is not None:
        report.messages.append(f"{outcome.origin}: not used: all it holds is in {replaced_by} too (same link or guid), as new or newer")


def _canonicalise_tags(kept: list[Made], config: Config) -> None:
    made = [m for m in kept if not m.tags_stated]
    results = [TagResult(list(m.article.tags), m.tag_kinds) for m in made]
    aliases = alias_map(config.tags.aliases)
    for one, tags in zip(made, canonicalise_corpus(results, aliases, config.tags.max_per_article)):
        one.article.tags = tags


def _store(made: Made, previous: Optional[ContentFile], taken: set[str], config: Config, report: IngestReport) -> Path:
    """Write the article's content file unless an editor owns it; returns the file's path."""
    article = made.article
    if previous is not None and not previous.untouched:
        report.unchanged += 1
        if previous.seed_hash != made.seed_hash:
            report.messages.append(f"{config.display(previous.path)}: kept your edits; its seed {made.origin} changed since")
        return previous.path
    # An untouched file keeps its name and slug even when the headline changes: links stay valid.
    wanted = article.slug or article.title  # a note may state its slug
    article.slug = previous.path.stem if previous is not None else allocate_slug(wanted, made.origin, taken)
    article.extra["seed_hash"] = made.seed_hash
    text = render_content(article)
    path = previous.path if previous is not None else config.content_dir / f"{article.slug}.md"
    if previous is not None and _read(path) == text:
        report.unchanged += 1
        return path
    atomic_write(path, text)
    report.written += 1
    return path


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _report_orphans(
    existing: dict[str, ContentFile], claimed: set[Path], seeds: set[str], config: Config, report: IngestReport
) -> None:
    """Content whose seed is gone stays, and is named. An entry that left a feed file still there is not
    named: feeds drop old entries as a matter of course, and its article is kept like any other."""
    prefix = _seeds_prefix(config)
    for origin, content in sorted(existing.items()):
        seed = origin.partition("#")[0]
        if origin.startswith(prefix) and content.path not in claimed and seed not in seeds:
            report.messages.append(f"{config.display(content.path)}: kept; its seed {seed} is gone")
