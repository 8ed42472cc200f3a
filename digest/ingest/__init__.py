"""seeds/*.txt → content/*.md: the first stage of a build.

Each seed is normalised on its own (`ingest_seed`, a plain top-level function, so
it can be mapped over processes or a cluster); then, in this process and in seed
order, tags get one spelling across the corpus, slugs are given and files are
written, never over a file an editor changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Union

from ..cache import InputStamp, Store, file_stamp, input_stamps
from ..config import Config
from ..model import Article, FrontMatterError, atomic_write, parse_date
from ..workers import parallel_map
from .decode import Rejected, decode, read_seed
from .kinds import scan_seeds
from .manifest import Manifest
from .normalise import normalise
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
    skipped: list[str] = field(default_factory=list)  # "seeds/x.docx: skipped: Word documents are not read; …"
    messages: list[str] = field(default_factory=list)  # every line to show the user, rejections included


@dataclass
class SeedOutcome:
    origin: str
    seed_hash: str = ""
    article: Optional[Article] = None
    tag_kinds: dict[str, str] = field(default_factory=dict)
    rejected: str = ""  # the reason, when the seed cannot become an article


def ingest_seed(seed: Union[str, Path, bytes], origin: str, config: Config) -> SeedOutcome:
    """One seed (a path, or its bytes) → its article or the reason it was refused."""
    try:
        data = seed if isinstance(seed, bytes) else read_seed(Path(seed), config.seeds_dir)
        origin.encode("utf-8")
        normalised = normalise(decode(data), origin, config)
    except Rejected as reason:
        return SeedOutcome(origin, rejected=str(reason))
    except UnicodeEncodeError:
        return SeedOutcome(origin, rejected="file name is not valid UTF-8")
    except RecursionError:
        return SeedOutcome(origin, rejected="text too deeply nested to process")
    return SeedOutcome(origin, short_hash(data), normalised.article, normalised.tag_kinds)


def _ingest_task(task: tuple[str, str, Config]) -> SeedOutcome:
    return ingest_seed(*task)


def list_seeds(config: Config) -> list[tuple[str, str]]:
    """(path, origin) of every seed a build reads, sorted by name (see kinds.py for which those are)."""
    return [(path, origin) for path, origin, _ in scan_seeds(config.seeds_dir, _seeds_prefix(config)).read]


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
        return parallel_map(
            _ingest_task, work, jobs=jobs, scheduler=scheduler, min_items=PARALLEL_FROM, on_done=on_done
        )


def ingest_all(
    config: Config,
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    progress: bool = False,
    store: Optional[Store] = None,
) -> IngestReport:
    seeds = scan_seeds(config.seeds_dir, _seeds_prefix(config))
    tasks = [(path, origin) for path, origin, _ in seeds.read]
    manifest = Manifest.load(config, store or Store())
    stamps = {origin: file_stamp(Path(path)) for path, origin in tasks}
    content_now = input_stamps(config.content_dir)
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
    # Normalising (entity recognition above all) is the cost: only new or changed seeds pay it.
    stale = [] if same_seeds else [t for t in run.tasks if not manifest.has_outcome(t[1], run.stamps[t[1]])]
    fresh = dict(
        zip((origin for _, origin in stale), _normalise_all(stale, config, run.jobs, run.scheduler, run.progress))
    )
    outcomes = _Outcomes(config, manifest, [origin for _, origin in run.tasks], fresh)
    next_manifest = Manifest.start(config, run.stamps, fresh, manifest)
    scan = scan_content(config.content_dir, content_now, manifest.facts)
    next_manifest.facts = scan.facts
    # With the very seeds of the last run, a file it wrote or checked, unchanged since, is what
    # this run would write again: not rendered and compared a second time.
    settled = manifest.content_stamps if same_seeds else None
    report, wrote = IngestReport(), list[Path]()
    for origin in outcomes.origins:
        report.read += 1
        rejected, seed_hash = next_manifest.summaries[origin]
        if rejected:
            line = f"{origin}: rejected: {rejected}"
            report.rejected.append(line)
            report.messages.append(line)
            continue
        previous = scan.by_origin.get(origin)
        if (
            previous is not None
            and previous.untouched
            and settled is not None
            and settled.get(previous.path.name) == content_now.get(previous.path.name)
        ):
            report.unchanged += 1
            next_manifest.content[origin] = previous.path
            continue
        next_manifest.content[origin] = _store(outcomes, origin, seed_hash, previous, scan.taken, config, report, wrote)
    _report_orphans(scan.by_origin, set(outcomes.origins), config, report)
    # content/ as this run leaves it: as scanned before reading it, with the files it wrote. A file
    # saved by an editor meanwhile keeps its older stamp, so the next build looks at it again.
    for path in wrote:
        stamp = file_stamp(path)
        if stamp is not None:  # None: deleted already; the next build sees it missing
            content_now[path.relative_to(config.content_dir).as_posix()] = stamp
    next_manifest.save(report, content_now)
    return report


class _Outcomes:
    """Each seed's outcome, unpickled only when an article is to be written: then all of them,
    their tags made canonical across the corpus (a tag's spelling depends on every article)."""

    def __init__(self, config: Config, manifest: Manifest, origins: list[str], fresh: dict[str, SeedOutcome]) -> None:
        self.config, self.manifest, self.origins, self.fresh = config, manifest, origins, fresh
        self._all: Optional[dict[str, SeedOutcome]] = None

    def article(self, origin: str) -> Article:
        if self._all is None:
            try:
                self._all = {o: self.fresh.get(o) or self.manifest.outcome(o) for o in self.origins}
            except KeyError:
                raise _CacheIncomplete from None
            _canonicalise_tags(list(self._all.values()), self.config)
        article = self._all[origin].article
        assert article is not None  # asked for seeds that were not rejected only
        return article


def _canonicalise_tags(outcomes: list[SeedOutcome], config: Config) -> None:
    made = [(o.article, o.tag_kinds) for o in outcomes if o.article is not None]
    results = [TagResult(list(article.tags), kinds) for article, kinds in made]
    aliases = alias_map(config.tags.aliases)
    for (article, _), tags in zip(made, canonicalise_corpus(results, aliases, config.tags.max_per_article)):
        article.tags = tags


def _store(
    outcomes: _Outcomes,
    origin: str,
    seed_hash: str,
    previous: Optional[ContentFile],
    taken: set[str],
    config: Config,
    report: IngestReport,
    wrote: list[Path],
) -> Path:
    """Write the seed's content file unless an editor owns it; returns the file's path."""
    if previous is not None and not previous.untouched:
        report.unchanged += 1
        if previous.seed_hash and previous.seed_hash != seed_hash:  # "": not known, say nothing
            report.messages.append(f"{config.display(previous.path)}: kept your edits; its seed {origin} changed since")
        return previous.path
    article = outcomes.article(origin)
    # An untouched file keeps its name and slug even when the headline changes: links stay valid.
    article.slug = previous.path.stem if previous is not None else allocate_slug(article.title, origin, taken)
    article.added = _entered(previous, origin, config)
    article.extra["seed_hash"] = seed_hash
    text = render_content(article)
    path = previous.path if previous is not None else config.content_dir / f"{article.slug}.md"
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
        return dt.datetime.fromtimestamp(int((config.root / origin).stat().st_mtime), dt.timezone.utc)
    except (OSError, ValueError, OverflowError):
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _report_orphans(existing: dict[str, ContentFile], origins: set[str], config: Config, report: IngestReport) -> None:
    prefix = _seeds_prefix(config)
    for origin, content in sorted(existing.items()):
        if origin.startswith(prefix) and origin not in origins:
            report.messages.append(f"{config.display(content.path)}: kept; its seed {origin} is gone")
