"""The pipeline: seeds → ingest → content → load → group → render → site, with a summary line."""

from __future__ import annotations

import fcntl
import gc
import hashlib
import os
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from . import site as urls
from .cache import InputStamp, Stamp, Store, code_fingerprint, file_stamps, input_stamps, restamped
from .config import Config
from .ingest import IngestReport, SeedsNow, ingest_all, seeds_now
from .interrupt import Interrupt, Interrupted
from .model import Digest, remove_stale_temporaries

if TYPE_CHECKING:
    from .load import LastGood
    from .render.kept import KeptPlan
    from .site import Site

Echo = Callable[[str], None]


@dataclass
class BuildReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    articles: int = 0
    digest_count: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # content files and templates that could not be used
    notices: list[str] = field(default_factory=list)  # said once, never replayed: the user's files found in site/
    timings: dict[str, float] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # site paths written anew or removed: what `serve` reloads
    search_stale: bool = False  # the search index was left behind (`defer_search`): a later build updates it
    group_stale: bool = False  # articles came or went, the digests were not made again (`defer_group`): ditto
    stand_ins: bool = False  # a broken content file's last good version was built (`last_good`)
    home: str = ""  # the home page's path, when this build made the first one

    @property
    def exit_code(self) -> int:
        return 1 if (self.ingest.rejected or self.ingest.skipped or self.problems) else 0

    def summary(self) -> str:
        ing = self.ingest
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        written = f"{ing.written} written"
        if not ing.written and ing.unchanged:
            written += " (content/ already up to date)"
        skipped = f", {len(ing.skipped)} skipped" if ing.skipped else ""
        site = "" if self.changed or self.home else ", site/ already up to date"
        return (
            f"{count(ing.read, 'seed')} read: {written}, {ing.unchanged} unchanged, {len(ing.rejected)} rejected"
            f"{skipped}; {count(self.articles, 'article')} in {count(self.digest_count, 'digest')}, "
            f"{count(self.pages, 'page')}{site} ({stages})"
        )

    def next_steps(self, serve: Optional[str] = "digest serve") -> list[str]:
        """What to do next, after a first build or in an empty project; `serve`: the preview command
        (None: this is the preview)."""
        lines = []
        if not self.ingest.read and not self.articles:
            lines.append("No articles yet: put raw news articles (.txt files) in seeds/ and build again.")
        if self.home and serve:
            lines.append(f"The site is in {self.home}; preview it with: {serve}")
        return lines


def count(number: int, noun: str) -> str:
    """'1 page', '2 pages', '0 pages'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = time.perf_counter() - start


class BuildLocked(Exception):
    """Another build holds the project's lock."""


@contextmanager
def project_lock(config: Config, *, wait: float = 60.0, echo: Echo = print) -> Iterator[None]:
    """One build at a time per project: a second one waits, then refuses with a clear message."""
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    path = config.cache_dir / "build.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"another build is running in {config.root} (lock {path}); try again when it ends"
                    ) from None
                if not told:
                    echo(f"waiting for the build already running in {config.root} to finish…")
                    told = True
                time.sleep(0.1)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Known:
    """Under `serve`: seeds/, content/ and site/ as the last build saw and left them, and the paths the
    watcher reported since (`changed`; None: not known). With them, an edit's rebuild looks at the files
    that changed instead of walking the folders (a tenth of a second or more per ten thousand files each).

    site/ is not watched: `serve` walks it (and content/ and seeds/) again when idle, and a difference
    found there brings a rebuild (see serve.py). Empty maps: nothing known yet, the folders are walked."""

    content: dict[str, InputStamp] = field(default_factory=dict)
    site: dict[str, Stamp] = field(default_factory=dict)
    changed: Optional[set[Path]] = None
    seeds: Optional[SeedsNow] = None

    def forget(self) -> None:
        self.content, self.site, self.changed, self.seeds = {}, {}, None, None

    def saw(self, content: dict[str, InputStamp], site: dict[str, Stamp], seeds: Optional[SeedsNow]) -> None:
        """What a build found (or left) in content/, site/ and seeds/; the watcher's batch is used up."""
        self.content, self.site, self.changed, self.seeds = content, site, None, seeds

    def drifted(self, config: Config) -> bool:
        """Whether seeds/, content/ or site/ differ from what is known (a change the watcher missed, a
        file of site/ touched by hand or by another build): then nothing is known any more."""
        if not self.content or (
            input_stamps(config.content_dir) == self.content
            and file_stamps(config.site_dir) == self.site
            and (self.seeds is None or seeds_now(config) == self.seeds)
        ):
            return False
        self.forget()
        return True

    def seeds_now(self, config: Config) -> SeedsNow:
        """seeds/ now: as the last build found it when the watcher's batch touched nothing in it, else scanned."""
        known, changed = self.seeds, self.changed
        if known is None or changed is None or known.folder != config.seeds_dir:
            return seeds_now(config)
        return seeds_now(config) if any(path.is_relative_to(config.seeds_dir) for path in changed) else known

    def content_now(self, config: Config) -> Optional[dict[str, InputStamp]]:
        """content/ now, from what is known and the watcher's batch when it touched top-level
        content files only; None: it takes a walk."""
        if not self.content or self.changed is None:
            return None
        if not all(path.parent == config.content_dir for path in self.changed):
            return None
        return restamped(config.content_dir, self.content, self.changed)

    def scans(
        self, config: Config, ingest: IngestReport, before: Optional[dict[str, InputStamp]]
    ) -> tuple[dict[str, InputStamp], dict[str, Stamp]]:
        """(content/, site/) now: `before` (content_now before ingest ran) and the known site/ when
        ingest wrote nothing in content/, else walked."""
        content = before if not ingest.written else None
        site = self.site if self.site and content is not None else None
        return (
            content if content is not None else input_stamps(config.content_dir),
            site if site is not None else file_stamps(config.site_dir),
        )


GROUPING_CACHE = "grouping.pickle"
GROUPING_KEY = "grouping-v3"  # v3: digests carry related stories (v2: names, kept slugs, overviews)
LAST_BUILD = "last-build.pickle"


def _group(
    articles: list, config: Config, store: Store, defer: bool = False, interrupt: Optional[Interrupt] = None
) -> tuple[list[Digest], bool]:
    """Group, reusing the last grouping where nothing it reads has changed (see group/memo.py); with
    `defer`, a large archive's regroup is put off (group.regroup's `provisional_ok`). Returns the
    digests and whether a regroup was put off. While a large archive is grouped in a process of its
    own, this one renders the article bodies the render will need (render/bodies.py). Raises
    Interrupted once `interrupt` is set while it does."""
    from .group import regroup
    from .render.bodies import BODIES, render_ahead

    path = config.cache_dir / GROUPING_CACHE
    key = f"{GROUPING_KEY}-{code_fingerprint()}"  # a grouping made by other code is not reused
    previous = store.read(path, key)
    published = _published_digests(config) if previous is None else ()

    def bodies(done: Callable[[], bool]) -> None:
        render_ahead(config.cache_dir / BODIES, [article.body for article in articles], done)

    digests, snapshot, how = regroup(
        articles, config, previous, published, provisional_ok=defer, meanwhile=bodies, interrupt=interrupt
    )
    if how not in ("reused", "provisional"):
        store.write(path, key, snapshot)
    return digests, how == "provisional"


def _published_digests(config: Config) -> tuple:
    """The digests site/digests.json last published: their slugs outlive a deleted cache."""
    import json

    from .group import past_from_json
    from .site import DIGESTS_JSON

    try:
        return past_from_json(json.loads((config.site_dir / DIGESTS_JSON).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return ()


@contextmanager
def _set_aside_from_the_collector() -> Iterator[None]:
    """What exists when a build starts, and what it reads from its cache, is left out of the cyclic
    garbage collector's passes until the build ends: it lives as long as the build, and the
    collector's passes would scan it again and again (3.3 of an edit's 23 s at 100,000 articles)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@_set_aside_from_the_collector()
def build(
    config: Config,
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    progress: bool = False,
    echo: Echo = print,
    defer_search: bool = False,
    last_good: Optional["LastGood"] = None,
    store: Optional[Store] = None,
    known: Optional[Known] = None,
    kept_plan: Optional["KeptPlan"] = None,
    defer_group: bool = False,
    interrupt: Optional[Interrupt] = None,
) -> BuildReport:
    """`defer_search`: leave search shards whose articles changed as they were (see BuildReport.search_stale).
    `interrupt`: once set, the search index being made is put off, as if deferred; a regroup under way
    stops the build, which raises Interrupted and leaves site/ and the grouping as they were.
    `defer_group`: when articles were added or removed, show them in the digests as they were (see
    BuildReport.group_stale).
    `last_good`: `serve`'s memory of each content file's last good article, built in place of a broken file.
    `store`: the cache (`serve` keeps one in memory between builds).
    `known`: `serve`'s memory of content/ and site/ (updated here); None: both are walked.
    `kept_plan`: `serve`'s memory of the last render plan (render/kept.py); None: the whole site is planned."""
    report = BuildReport()
    store = store or Store()
    for folder in (config.content_dir, config.cache_dir):
        remove_stale_temporaries(folder)
    with _timed(report, "ingest"):
        # content/ walked once, before ingest reads it: ingest takes this scan, and the check below too
        # when ingest wrote nothing (serve's memory and the watcher's batch spare even this walk)
        before = known.content_now(config) if known is not None else input_stamps(config.content_dir)
        seeds = known.seeds_now(config) if known is not None else seeds_now(config)
        report.ingest = ingest_all(
            config,
            jobs=jobs,
            scheduler=scheduler,
            progress=progress,
            store=store,
            content_now=before,
            seeds_found=seeds,
        )
    for line in report.ingest.messages:
        echo(line)
    home = config.site_dir / urls.HOME
    first = not home.exists()
    with _timed(report, "check"):
        # without serve's memory nothing is known of site/: it is walked, and content/ as ingest left it
        content, site_now = (known or Known()).scans(config, report.ingest, before)
        if known is not None:
            known.forget()  # until this build ends well: a failed one leaves folders in an unknown state
        inputs = inputs_fingerprint(config, content)
        last = store.read(config.cache_dir / LAST_BUILD, inputs)
    if last is not None and last["site"] == site_now:
        # Nothing a page is made from changed, and site/ is as the last build left it.
        report.articles, report.digest_count, report.pages, report.problems = (
            last["articles"],
            last["digests"],
            last["pages"],
            list(last["problems"]),
        )
    else:
        try:
            site_after = _load_group_render(
                config,
                report,
                store,
                jobs,
                scheduler,
                content,
                site_now,
                defer_search=defer_search,
                last_good=last_good,
                kept_plan=kept_plan,
                defer_group=defer_group,
                interrupt=interrupt,
            )
        except Interrupted:  # before render touched site/: it is as this build found it
            if known is not None:
                known.saw(content, site_now, seeds)
            raise
        saved = dict(
            site=site_after,
            articles=report.articles,
            digests=report.digest_count,
            pages=report.pages,
            problems=report.problems,
        )
        # Keyed by the inputs as they were before this build read them: an edit saved while it
        # ran must make the next build run, not look like what this one already built.
        # (Nor is a build that left the search index or the digests behind, or built a broken file's
        # last good version, what the next one may skip: that one must build what the files say.)
        skippable = not (report.search_stale or report.group_stale or report.stand_ins)
        store.write(config.cache_dir / LAST_BUILD, inputs if skippable else "", saved)
        site_now = site_after
    if known is not None:
        known.saw(content, site_now, seeds)
    for line in report.notices + report.problems:
        echo(line)
    if first and home.exists():
        report.home = str(home)
    return report


def _load_group_render(
    config: Config,
    report: BuildReport,
    store: Store,
    jobs: Optional[int],
    scheduler: Optional[str],
    content: dict,
    site_now: dict,
    defer_search: bool = False,
    last_good: Optional["LastGood"] = None,
    kept_plan: Optional["KeptPlan"] = None,
    defer_group: bool = False,
    interrupt: Optional[Interrupt] = None,
) -> dict:
    """Fills the report in; returns site/'s files as the render left them."""
    from .load import load_articles
    from .newsletter import load_editions
    from .render import render_site
    from .site import Site

    with _timed(report, "load"):
        loaded = load_articles(config, content, last_good, store)
    report.stand_ins = bool(loaded.stand_ins)
    report.problems.extend(loaded.problems)
    report.articles = len(loaded.articles)
    with _timed(report, "group"):
        digests, report.group_stale = _group(loaded.articles, config, store, defer_group, interrupt)
    report.digest_count = len(digests)
    with _timed(report, "render"):
        editions, unusable = load_editions(config)
        report.problems.extend(unusable)
        site = Site(config=config, articles=loaded.articles, digests=digests, editions=editions)
        rendered = render_site(
            site,
            jobs=jobs,
            scheduler=scheduler,
            on_disk=site_now,
            defer_search=defer_search,
            store=store,
            kept=kept_plan,
            interrupt=interrupt,
        )
    report.search_stale = rendered.search_stale
    report.pages = rendered.pages
    report.changed = [*rendered.written, *rendered.removed]
    report.problems.extend(rendered.problems)
    report.notices.extend(rendered.notices)
    return rendered.site_files


def inputs_fingerprint(config: Config, content: dict) -> str:
    """Everything load, group and render read: the code, the config, the user's templates and
    static files, content/ (`content`: its scan, `input_stamps(content_dir)`) and the newsletter archive."""
    from .static import static_files

    digest = hashlib.sha256(f"{code_fingerprint()}\0{config.site_settings_json()}".encode())
    scans = (
        input_stamps(config.templates_dir),
        static_files(config),
        content,
        input_stamps(config.newsletter_dir),
    )
    for stamps in scans:
        digest.update(pickle.dumps(sorted(stamps.items()), protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()


def current_site(config: Config) -> tuple["Site", list[str]]:
    """The site as the next build would render it (articles and digests), without building it: for
    commands such as `digest newsletter`. Returns (Site, problem lines)."""
    from .load import load_articles
    from .site import Site

    scan: dict = input_stamps(config.content_dir)
    loaded = load_articles(config, scan)
    digests, _ = _group(loaded.articles, config, Store())
    return Site(config=config, articles=loaded.articles, digests=digests), list(loaded.problems)
