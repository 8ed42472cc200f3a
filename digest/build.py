"""The pipeline: seeds → ingest → content → load → group → render → site, with a summary line."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from .cache import file_stamps, read_entry, write_entry
from .config import Config
from .ingest import IngestReport, ingest_all
from .model import Digest, remove_stale_temporaries

Echo = Callable[[str], None]


@dataclass
class BuildReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    articles: int = 0
    digest_count: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # content files and templates that could not be used
    timings: dict[str, float] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # site paths written anew or removed: what `serve` reloads

    @property
    def exit_code(self) -> int:
        return 1 if (self.ingest.rejected or self.problems) else 0

    def summary(self) -> str:
        ing = self.ingest
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        return (
            f"{ing.read} read, {ing.written} written, {ing.unchanged} unchanged, {len(ing.rejected)} rejected; "
            f"{self.articles} articles in {self.digest_count} digests, {self.pages} pages ({stages})"
        )


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


GROUPING_CACHE = "grouping.pickle"
GROUPING_KEY = "grouping-v2"
LAST_BUILD = "last-build.pickle"
_PACKAGE = Path(__file__).resolve().parent


def _group(articles: list, config: Config) -> list[Digest]:
    """Group, reusing the last grouping where nothing it reads has changed (see group/memo.py)."""
    from .group import regroup

    path = config.cache_dir / GROUPING_CACHE
    key = f"{GROUPING_KEY}-{_grouping_code()}"  # a grouping made by other code is not reused
    previous = read_entry(path, key)
    published = _published_digests(config) if previous is None else ()
    digests, snapshot, how = regroup(articles, config, previous, published)
    if how != "reused":
        write_entry(path, key, snapshot)
    return digests


def _grouping_code() -> str:
    digest = hashlib.sha256()
    for source in sorted((_PACKAGE / "group").glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _published_digests(config: Config) -> tuple:
    """The digests site/digests.json last published: their slugs outlive a deleted cache."""
    import json

    from .group import past_from_json
    from .site import DIGESTS_JSON

    try:
        return past_from_json(json.loads((config.site_dir / DIGESTS_JSON).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return ()


def build(
    config: Config,
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    progress: bool = False,
    echo: Echo = print,
) -> BuildReport:
    report = BuildReport()
    for folder in (config.content_dir, config.cache_dir):
        remove_stale_temporaries(folder)
    with _timed(report, "ingest"):
        report.ingest = ingest_all(config, jobs=jobs, scheduler=scheduler, progress=progress)
    for line in report.ingest.messages:
        echo(line)
    with _timed(report, "check"):
        content = file_stamps(config.content_dir, inputs=True)
        inputs = inputs_fingerprint(config, content)
        last = read_entry(config.cache_dir / LAST_BUILD, inputs)
        site_now = file_stamps(config.site_dir)
        unchanged = last is not None and last["site"] == site_now
    if unchanged:
        # Nothing a page is made from changed, and site/ is as the last build left it.
        report.articles, report.digest_count, report.pages, report.problems = (
            last["articles"],
            last["digests"],
            last["pages"],
            list(last["problems"]),
        )
    else:
        site_after = _load_group_render(config, report, jobs, scheduler, content, site_now)
        saved = dict(
            site=site_after,
            articles=report.articles,
            digests=report.digest_count,
            pages=report.pages,
            problems=report.problems,
        )
        # Keyed by the inputs as they were before this build read them: an edit saved while it
        # ran must make the next build run, not look like what this one already built.
        write_entry(config.cache_dir / LAST_BUILD, inputs, saved)
    for line in report.problems:
        echo(line)
    return report


def _load_group_render(
    config: Config, report: BuildReport, jobs: Optional[int], scheduler: Optional[str], content: dict, site_now: dict
) -> dict:
    """Fills the report in; returns site/'s files as the render left them."""
    from .load import load_articles
    from .render import render_site
    from .site import Site

    with _timed(report, "load"):
        loaded = load_articles(config, content)
    report.problems.extend(loaded.problems)
    report.articles = len(loaded.articles)
    with _timed(report, "group"):
        digests = _group(loaded.articles, config)
    report.digest_count = len(digests)
    with _timed(report, "render"):
        site = Site(config=config, articles=loaded.articles, digests=digests)
        rendered = render_site(site, jobs=jobs, scheduler=scheduler, on_disk=site_now)
    report.pages = rendered.pages
    report.changed = [*rendered.written, *rendered.removed]
    report.problems.extend(rendered.problems)
    return rendered.site_files


def inputs_fingerprint(config: Config, content: dict) -> str:
    """Everything load, group and render read: the code, the config, the user's templates, and
    content/ (`content`: its scan, `file_stamps(content_dir, inputs=True)`)."""
    digest = hashlib.sha256(config.model_dump_json().encode())
    for stamps in (file_stamps(_PACKAGE, inputs=True), file_stamps(config.templates_dir, inputs=True), content):
        digest.update(pickle.dumps(sorted(stamps.items()), protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()
