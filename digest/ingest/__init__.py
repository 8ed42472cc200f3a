"""seeds/* → content/*.md: the first stage of a build.

Each new or changed seed is read by the reader of its kind (readers/: text, page, feed,
note) and normalised (seed.py: chunks of seeds, mapped over processes or a cluster;
imported only then); then, in this process and in seed order, one
copy of each article is kept (copies.py), tags get one spelling across the corpus,
slugs are given and files are written, never over a file an editor changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ..cache import InputStamp, Store, file_stamp, input_stamps
from ..config import Config
from ..model import Article, FrontMatterError, atomic_write, parse_date
from ..workers import parallel_batches, pool_jobs, start_early
from .copies import Entry, keep_one_copy, match_content
from .decode import Rejected, decode, read_seed
from .kinds import SeedScan, scan_seeds
from .manifest import Manifest
from .outcome import Made, SeedOutcome, SeedSummary
from .readers import TEXT, detect_kind
from .store import ContentFile, allocate_slug, render_content, scan_content, split_origin

# A build whose seeds did not change reads the manifest and stops: what only reading seeds needs
# (the normalisers, numpy for the site templates, tagging) is imported where it is used.
if TYPE_CHECKING:
    from .seed import Seed
    from .template import SeedLines

PARALLEL_FROM = 50  # fewer seeds than this are done before worker processes would have started
PROGRESS_FROM = 20


@dataclass
class IngestReport:
    read: int = 0
    written: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # "seeds/x.txt: rejected: binary file"
    skipped: list[str] = field(default_factory=list)  # "seeds/x.docx: skipped: Word documents are not read; …"
    messages: list[str] = field(default_factory=list)  # every line to show the user, rejections included


def list_seeds(config: Config) -> list[tuple[str, str]]:
    """(path, origin) of every seed a build reads, sorted by name (see kinds.py for which those are)."""
    return [(path, origin) for path, origin, _ in scan_seeds(config.seeds_dir, _seeds_prefix(config)).read]


def _seeds_prefix(config: Config) -> str:
    """How origins name the seeds folder: "seeds/"."""
    return Path(config.paths.seeds).as_posix().strip("/") + "/"


@dataclass(frozen=True)
class SeedsNow:
    """seeds/ as a build finds it: what is read and what is not, and each seed's stamp."""

    folder: Path
    scan: SeedScan
    stamps: dict[str, Optional[InputStamp]]  # origin → its seed's stamp (None: it cannot be read)


def seeds_now(config: Config) -> SeedsNow:
    """seeds/ scanned, each seed stamped (a stat each: `serve` keeps this between edits that leave seeds/ alone)."""
    seeds = scan_seeds(config.seeds_dir, _seeds_prefix(config))
    return SeedsNow(config.seeds_dir, seeds, {origin: file_stamp(path) for path, origin, _ in seeds.read})


# What ingest's workers start with (see digest.workers): the models, loaded once for all of them.
WORKER_MODULES = ("digest.ingest.warm",)


def _pool_likely(run: "_Run", manifest: Manifest) -> bool:
    """Whether enough seeds are new or changed for ingest to work in a pool of processes."""
    if run.scheduler:
        return False
    changed = sum(1 for origin, stamp in run.stamps.items() if stamp is None or manifest.stamps.get(origin) != stamp)
    return pool_jobs(changed, run.jobs, PARALLEL_FROM) > 1


def _normalise_all(
    tasks: list[tuple[str, str]],
    config: Config,
    templates: dict[str, frozenset[int]],
    jobs: Optional[int],
    scheduler: Optional[str],
    progress: bool,
) -> list[SeedOutcome]:
    if not tasks:
        return []
    from .seed import ingest_seeds  # the normalisers load only when a seed is to be read

    work: list[tuple[Seed, str, frozenset[int]]] = [(path, origin, templates[origin]) for path, origin in tasks]
    bar: Any = contextlib.nullcontext()
    if progress and len(work) >= PROGRESS_FROM:
        import click

        bar = click.progressbar(length=len(work), label="ingest", file=sys.stderr)
    with bar:
        on_done = getattr(bar, "update", None)
        return parallel_batches(
            functools.partial(ingest_seeds, config=config),
            work,
            jobs=jobs,
            scheduler=scheduler,
            min_items=PARALLEL_FROM,
            on_done=on_done,
            preload=WORKER_MODULES,
        )


def ingest_all(
    config: Config,
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    progress: bool = False,
    store: Optional[Store] = None,
    content_now: Optional[dict[str, InputStamp]] = None,
    seeds_found: Optional[SeedsNow] = None,
) -> IngestReport:
    """`content_now`: cache.input_stamps(content_dir), known already (serve's, from the watcher's batch);
    `seeds_found`: `seeds_now(config)`, likewise."""
    found = seeds_found if seeds_found is not None else seeds_now(config)
    seeds = found.scan
    tasks = [(path, origin) for path, origin, _ in seeds.read]
    manifest = Manifest.load(config, store or Store())
    stamps = dict(found.stamps)
    content_now = dict(content_now) if content_now is not None else input_stamps(config.content_dir)
    if manifest.replayable(stamps, content_now):
        report = manifest.replay()
    else:
        work = _Run(config, tasks, stamps, content_now, jobs, scheduler, progress)
        try:
            report = _ingest(work, manifest)
        except _CacheIncomplete:  # part of .digest-cache/ went missing: do it all again
            report = _ingest(work, Manifest(config, manifest.store))
    # The skipped files come from this scan, never from the manifest: a file dropped into seeds/ is named at once.
    return replace(report, skipped=seeds.skipped, messages=seeds.skipped + report.messages)


@dataclass
class _Run:
    config: Config
    tasks: list[tuple[str, str]]  # (path, origin) of every seed
    stamps: dict[str, Optional[InputStamp]]  # origin → its seed's stamp
    content_now: dict[str, InputStamp]  # content/ as scanned before this run read it
    jobs: Optional[int]
    scheduler: Optional[str]
    progress: bool


class _CacheIncomplete(Exception):
    """An outcome the manifest's index promised is not in the cache."""


def _ingest(run: _Run, manifest: Manifest) -> IngestReport:
    config, content_now = run.config, run.content_now
    same_seeds = manifest.same_seeds(run.stamps)
    if not same_seeds and _pool_likely(run, manifest):
        start_early(WORKER_MODULES)  # the workers' models load while the seeds' lines are read
    stale, lines = _to_normalise(run, manifest)
    templates = {origin: template for origin, (_, template) in (lines or {}).items()}
    fresh = dict(
        zip(
            (origin for _, origin in stale),
            _normalise_all(stale, config, templates, run.jobs, run.scheduler, run.progress),
        )
    )
    next_manifest = Manifest.start(config, run.stamps, fresh, manifest, lines)
    seeds = [(origin, next_manifest.summaries[origin]) for _, origin in run.tasks]
    recency = {origin: stamp[1] for origin, stamp in run.stamps.items() if stamp}
    kept, superseded = keep_one_copy([(origin, summary.entries) for origin, summary in seeds], recency)
    outcomes = _Outcomes(config, manifest, [origin for origin, _ in seeds], fresh, kept)
    scan = scan_content(config.content_dir, content_now, manifest.facts)
    next_manifest.facts = scan.facts
    # With the very seeds of the last run, a file it wrote or checked, unchanged since, is what
    # this run would write again: not rendered and compared a second time.
    settled = manifest.content_stamps if same_seeds else None
    report, wrote = IngestReport(), list[Path]()
    for origin, summary in seeds:
        _report_seed(origin, summary, superseded.get(origin), report)
    previous = match_content(kept, scan.by_origin)
    for entry in kept:
        before = previous.get(entry.origin)
        if (
            before is not None
            and before.untouched
            and before.origin == entry.origin
            and settled is not None
            and settled.get(before.path.name) == content_now.get(before.path.name)
        ):
            report.unchanged += 1
            next_manifest.content[entry.origin] = before.path
            continue
        next_manifest.content[entry.origin] = _store(outcomes, entry, before, scan.taken, config, report, wrote)
    claimed = {content.path for content in previous.values()}
    _report_orphans(scan.by_origin, claimed, {origin for origin, _ in seeds}, config, report)
    # content/ as this run leaves it: as scanned before reading it, with the files it wrote. A file
    # saved by an editor meanwhile keeps its older stamp, so the next build looks at it again.
    for path in wrote:
        stamp = file_stamp(path)
        if stamp is not None:  # None: deleted already; the next build sees it missing
            content_now[path.relative_to(config.content_dir).as_posix()] = stamp
    next_manifest.save(report, content_now)
    return report


def _to_normalise(
    run: _Run, manifest: Manifest
) -> tuple[list[tuple[str, str]], Optional[dict[str, tuple[SeedLines, frozenset[int]]]]]:
    """The seeds to normalise, and every seed's lines and template (None: the seeds of the last run).
    Normalising (entity recognition above all) is the cost: only new or changed seeds pay it, and
    those whose site's template changed (a seed of the site came or went)."""
    if manifest.same_seeds(run.stamps):
        return [], None
    saved, lines = manifest.seed_lines(), _seed_lines(run, manifest)
    stale = [
        (path, origin)
        for path, origin in run.tasks
        if not manifest.has_outcome(origin, run.stamps[origin])
        or saved.get(origin, (None, None))[1] != lines[origin][1]
    ]
    return stale, lines


def _seed_lines(run: _Run, manifest: Manifest) -> dict[str, tuple[SeedLines, frozenset[int]]]:
    """Every seed's lines (the last run's, where its seed is unchanged) and its template now, worked
    out again only for the seeds that share a line with a seed that came, changed or went."""
    import numpy as np

    from .template import NO_LINES, LineIndex

    saved = manifest.seed_lines()
    lines: dict[str, SeedLines] = {}
    moved = [saved[origin][0].lines for origin in saved if origin not in run.stamps]
    for path, origin in run.tasks:
        stamp, known = run.stamps[origin], saved.get(origin)
        if known is not None and stamp is not None and manifest.stamps.get(origin) == stamp:
            lines[origin] = known[0]
            continue
        lines[origin] = _read_lines(path, origin, run.config)
        moved.extend([lines[origin].lines] + ([known[0].lines] if known is not None else []))
    index = LineIndex.of(lines)
    again = index.holders(np.concatenate(moved or [NO_LINES])) | (lines.keys() - saved.keys())
    return {
        origin: (lines[origin], index.template(origin) if origin in again else saved[origin][1]) for origin in lines
    }


def _read_lines(path: str, origin: str, config: Config) -> SeedLines:
    """The lines of a scraped text; a seed of another kind (page, feed, note) has none to share."""
    from .template import EMPTY as EMPTY_LINES
    from .template import seed_lines

    try:
        data = read_seed(Path(path), config.seeds_dir)
        return seed_lines([decode(data)]) if detect_kind(origin, data) == TEXT else EMPTY_LINES
    except Rejected:  # said when the seed itself is read
        return EMPTY_LINES


def _report_seed(origin: str, summary: SeedSummary, replaced_by: Optional[str], report: IngestReport) -> None:
    report.read += 1
    if summary.rejected:
        line = f"{origin}: rejected: {summary.rejected}"
        report.rejected.append(line)
        report.messages.append(line)
        return
    report.messages.extend(f"{origin}: {note}" for note in summary.notes)
    if replaced_by is not None:
        report.messages.append(
            f"{origin}: not used: all it holds is in {replaced_by} too (same link or guid), as new or newer"
        )


class _Outcomes:
    """Each seed's outcome, unpickled only when an article is to be written: then all of them,
    the tags of the articles kept made canonical across the corpus (a tag's spelling depends on every article)."""

    def __init__(
        self, config: Config, manifest: Manifest, origins: list[str], fresh: dict[str, SeedOutcome], kept: list[Entry]
    ) -> None:
        self.config, self.manifest, self.origins, self.fresh = config, manifest, origins, fresh
        self.kept = {entry.origin for entry in kept}
        self._articles: Optional[dict[str, Article]] = None

    def article(self, entry_origin: str) -> Article:
        if self._articles is None:
            try:
                outcomes = [self.fresh.get(o) or self.manifest.outcome(o) for o in self.origins]
            except KeyError:
                raise _CacheIncomplete from None
            made = {m.entry.origin: m for o in outcomes for m in o.made if m.entry.origin in self.kept}
            self._articles = _canonical_tags(list(made.values()), self.config)
        return self._articles[entry_origin]


def _canonical_tags(made: list[Made], config: Config) -> dict[str, Article]:
    """origin → its article, tags spelled one way across the corpus (an editor's own stay as written)."""
    from .tags import TagResult, alias_map, canonicalise_corpus

    articles = {m.entry.origin: m.article for m in made}
    spelled = [m for m in made if not m.tags_stated]
    results = [TagResult(list(m.article.tags), m.tag_kinds) for m in spelled]
    aliases = alias_map(config.tags.aliases)
    for one, tags in zip(spelled, canonicalise_corpus(results, aliases, config.tags.max_per_article)):
        articles[one.entry.origin] = replace(one.article, tags=tags)
    return articles


def _store(
    outcomes: _Outcomes,
    entry: Entry,
    previous: Optional[ContentFile],
    taken: set[str],
    config: Config,
    report: IngestReport,
    wrote: list[Path],
) -> Path:
    """Write the article's content file unless an editor owns it; returns the file's path."""
    if previous is not None and not previous.untouched:
        report.unchanged += 1
        if previous.seed_hash and previous.seed_hash != entry.seed_hash:  # "": not known, say nothing
            report.messages.append(
                f"{config.display(previous.path)}: kept your edits; its seed {entry.origin} changed since"
            )
        return previous.path
    made = outcomes.article(entry.origin)
    # An untouched file keeps its name and slug even when the headline changes: links stay valid.
    wanted = made.slug or made.title  # a note may state its slug
    slug = previous.path.stem if previous is not None else allocate_slug(wanted, entry.origin, taken)
    article = replace(
        made,
        slug=slug,
        added=_entered(previous, entry.origin, config),
        extra={**made.extra, "seed_hash": entry.seed_hash},
    )
    text = render_content(article)
    path = previous.path if previous is not None else config.content_dir / f"{slug}.md"
    if previous is not None and _read(path) == text:
        report.unchanged += 1
        return path
    atomic_write(path, text)
    wrote.append(path)
    report.written += 1
    return path


def _entered(previous: Optional[ContentFile], origin: str, config: Config) -> dt.datetime:
    """When the article entered the site, written once and never changed: the time its seed was
    saved (fetched or copied in), so the same seed files give the same content files."""
    if previous is not None:
        try:
            written = parse_date(previous.added)
        except FrontMatterError:
            written = None
        if isinstance(written, dt.datetime):
            return written
    try:
        seed = config.root / split_origin(origin)[0]  # a feed entry entered with its feed file
        return dt.datetime.fromtimestamp(int(seed.stat().st_mtime), dt.timezone.utc)
    except (OSError, ValueError, OverflowError):
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


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
        seed = split_origin(origin)[0]
        if origin.startswith(prefix) and content.path not in claimed and seed not in seeds:
            report.messages.append(f"{config.display(content.path)}: kept; its seed {seed} is gone")
