"""[Digest] + [Article] → site/: HTML pages, feeds, sitemap, static files.

Every file of the site is planned with a fingerprint of everything that shapes
it (the templates it reads, the code, the data it shows), computed from cheap
identities: articles by their fingerprints, templates by their source. A file
whose fingerprint matches the last build, and which nobody touched since, is
kept as it is; only the others are made (a page's full context is built only
then). Pages are planned in groups (a tag's pages, a digest's articles…): a group
whose key and files are unchanged is kept whole without planning its pages. An edit to one article re-renders that article and the few lists and
feeds that show it; a template edit re-renders exactly the pages that use it.
How the changed files reach site/ without ever leaving it half-written: output.py.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, MutableMapping, Optional
from xml.sax.saxutils import escape

import jinja2
from markupsafe import Markup

from .. import search
from .. import site as urls
from ..cache import Store
from ..interrupt import Interrupt
from ..model import Article, atomic_write
from ..site import Site
from ..static import blocked_by_site, folders_of, static_files, static_source
from ..workers import stream_map
from .bodies import BODIES, BodyCache, body_key
from .dates import in_zone
from .inputs import (
    config_key,
    digests_json_fingerprint,
    feed_fingerprint,
    key_of,
    sha,
    sitemap_fingerprint,
)
from .kept import KeptPlan, plan_groups_kept
from .made import MadeFiles
from .markup import render_markdown
from .output import (
    InPlaceOutput,
    SiteManifest,
    Stat,
    SwapOutput,
    load_manifest,
    manifest_bytes,
    new_manifest,
    recover,
    same_bytes,
    same_device,
    scan,
)
from .pages import Page, plan_groups
from .plan import Freshness, PagePlan, Plan, plan_pages
from .search_plan import SearchUpdate, plan_search
from .theme import STYLESHEET, Keyed, Theme, environment, load_theme

POOL_THRESHOLD = 200  # fewer pages than this render faster in one process than a pool starts
BODIES_AT_ONCE = 500  # article bodies' HTML held by the main process at once, read from the cache or kept
MANIFEST = "render-manifest.pickle"
DIGESTS_JSON_CACHE = "render-digests-json.pickle"
# An update this small (files to write or remove) goes into site/ in place; a bigger one is swapped in whole.
IN_PLACE_MIN = 500
IN_PLACE_SHARE = 0.1


@dataclass
class RenderResult:
    pages: int = 0
    written: list[str] = field(default_factory=list)  # site-relative paths whose bytes changed
    problems: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # paths of the old site that no longer belong
    rendered_paths: list[str] = field(default_factory=list)  # pages rendered this build (the rest were carried over)
    search_stale: bool = False  # search shards left as they were (`defer_search`): a later render must update them
    bodies_reused: int = 0  # article bodies whose HTML came from the cache (render/bodies.py), not from Markdown
    site_files: dict[str, Stat] = field(default_factory=dict)  # site/ as this build left it, as `scan` sees it
    notices: list[str] = field(default_factory=list)  # said once, never replayed: files of the user's found in site/

    @property
    def rendered(self) -> int:
        return len(self.rendered_paths)


@dataclass
class Job:
    """One page to render: plain data, so it can travel to a worker process."""

    path: str
    template: str
    context: dict[str, Any]
    body: str = ""  # Markdown to render as the page's body
    html: str = ""  # or the body's HTML, kept from an earlier build


def render_site(
    site: Site,
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    on_disk: Optional[dict[str, Stat]] = None,
    defer_search: bool = False,
    store: Optional[Store] = None,
    kept: Optional[KeptPlan] = None,
    interrupt: Optional[Interrupt] = None,
) -> RenderResult:
    """Render what changed. `on_disk`: a scan of site/ the caller already made (see cache.file_stamps).
    `defer_search`: leave search shards whose records changed as they are (`serve` updates them when idle).
    `kept`: `serve`'s memory of the last plan (kept.py), updated here; None: the whole site is planned.
    `interrupt`: once set, search shards being made are left as they were, as if deferred.

    A file in site/ that digest did not write (not in the last build's manifest, not part
    of this site) is the user's: it is kept, and named once, by the first build that finds it.
    """
    config = site.config
    if recover(config.site_dir):  # an update interrupted after its commit point is finished first
        on_disk = None  # and the caller's scan is out of date
    if on_disk is None:
        on_disk = scan(config.site_dir) if config.site_dir.is_dir() else {}
    theme = load_theme(config)
    store = store or Store()
    manifest = _last_manifest(config.cache_dir / MANIFEST, store)
    with MadeFiles(config.cache_dir) as made:
        updating = SearchUpdate(defer_search, interrupt)
        planned = _plan_site(site, theme, manifest, on_disk, store, updating, kept, made)
        return _output(config, theme, manifest, planned, on_disk, jobs, scheduler, store)


def _last_manifest(path: Path, store: Store) -> SiteManifest:
    """The last build's manifest: under `serve`, the one it wrote, while its file is as written (no unpickling)."""
    remembered = store.recall(path)
    if isinstance(remembered, SiteManifest):
        return remembered
    manifest = load_manifest(path)
    store.remember(path, manifest)
    return manifest


@dataclass
class _SitePlan:
    """What the build decided before touching site/: the plan, and the files made while planning."""

    plan: Plan
    pages: PagePlan
    made: MadeFiles  # files made already (feeds, search shards, …), by path
    problems: dict[str, str]  # path → the problem met making it
    collisions: list[str]
    search_stale: bool
    articles: list[Article]  # the site's: whose bodies the body cache keeps


def _plan_site(
    site: Site,
    theme: Theme,
    manifest: SiteManifest,
    on_disk: dict[str, Stat],
    store: Store,
    updating: SearchUpdate,
    kept: Optional[KeptPlan],
    made: MadeFiles,
) -> _SitePlan:
    plan = Plan(Freshness(manifest.fingerprints, manifest.untouched(on_disk)))
    problems: dict[str, str] = {}
    feed_paths = _plan_feeds(site, plan, made, problems)
    pages = _plan_pages(site, theme, frozenset(feed_paths), plan, manifest, kept)
    _plan_other_files(site, theme, pages, plan, store)
    search_stale = plan_search(site, plan, made, problems, updating, store)
    collisions = pages.collisions + _plan_static(site.config, plan)  # last: what the site makes itself comes first
    problems.update((path, manifest.problems[path]) for path in plan.keep if path in manifest.problems)
    for path in sorted(set(plan.makers) - plan.keep):
        if path not in made:
            made.update(plan.makers[path]())
    return _SitePlan(plan, pages, made, problems, collisions, search_stale, site.articles)


def _output(
    config,
    theme: Theme,
    manifest: SiteManifest,
    planned: _SitePlan,
    on_disk: dict[str, Stat],
    jobs: Optional[int],
    scheduler: Optional[str],
    store: Store,
) -> RenderResult:
    """site/ brought to the plan: the files to make rendered and written, the stale ones removed."""
    plan, pages, made, problems = planned.plan, planned.pages, planned.made, planned.problems
    result = RenderResult(pages=len(pages.planned) + len(pages.kept), search_stale=planned.search_stale)
    todo = [page for page in pages.planned if page.path not in plan.keep]
    foreign, moved = _users_files(config, plan, manifest, on_disk)
    result.notices = _foreign_lines(config, foreign, manifest.foreign) + moved
    if moved:
        on_disk = scan(config.site_dir)
    result.removed = stale = sorted(set(on_disk) - set(plan.fingerprints) - set(foreign))
    if not todo and not stale and _as_made(config.site_dir, plan, made):  # site/ holds this build's site already
        _record_if_changed(config.cache_dir / MANIFEST, manifest, planned, on_disk, foreign, store)
        result.site_files = on_disk
    else:
        changes = len(todo) + len(made) + len(stale)
        small = changes <= max(IN_PLACE_MIN, IN_PLACE_SHARE * len(plan.fingerprints))
        in_place = on_disk and small and same_device(config.site_dir)
        out = InPlaceOutput(config.site_dir, on_disk, stale) if in_place else SwapOutput(config.site_dir)
        with out:
            result.bodies_reused = _write(config, theme, planned, todo, foreign, out, jobs, scheduler, store)
        result.written = sorted(out.written)
        result.site_files = {**out.stats, **out.carried}
        result.rendered_paths = sorted(page.path for page in todo)
    result.problems = _problem_lines(theme, planned.collisions, problems)
    return result


def _users_files(config, plan: Plan, manifest: SiteManifest, on_disk: dict[str, Stat]) -> tuple[list[str], list[str]]:
    """(the user's files that stay in site/, lines naming those moved out of the new site's way).
    A file is the user's when it is not this site's and not as digest left it (never written by it,
    or changed since)."""
    foreign = sorted(
        path
        for path in on_disk
        if path not in plan.fingerprints
        and manifest.stats.get(path) != on_disk[path]
        and not search.is_index_file(path)
    )
    return _out_of_the_way(config, foreign, set(plan.fingerprints))


def _as_made(site_dir: Path, plan: Plan, made: MadeFiles) -> bool:
    """Whether every file made while planning is kept, or in site/ with these very bytes."""
    return all(path in plan.keep or same_bytes(site_dir / path, made[path]) for path in made)


def _record_if_changed(
    manifest_path: Path,
    manifest: SiteManifest,
    planned: _SitePlan,
    on_disk: dict[str, Stat],
    foreign: list[str],
    store: Store,
) -> None:
    """The manifest written again for a site/ already as planned, only if what it records changed."""
    plan, pages, problems = planned.plan, planned.pages, planned.problems
    if (
        plan.keep != plan.fingerprints.keys()
        or len(manifest.fingerprints) != len(plan.fingerprints)
        or problems != manifest.problems
        or pages.records != manifest.groups
        or foreign != sorted(manifest.foreign)
    ):
        recorded = new_manifest(plan.fingerprints, on_disk, problems, pages.records, foreign)
        atomic_write(manifest_path, manifest_bytes(recorded))
        store.remember(manifest_path, recorded)


def _write(
    config,
    theme: Theme,
    planned: _SitePlan,
    todo: list[Page],
    foreign: list[str],
    out: InPlaceOutput | SwapOutput,
    jobs: Optional[int],
    scheduler: Optional[str],
    store: Store,
) -> int:
    """The user's files carried, kept files kept, pages rendered and the other files written, then
    committed with the manifest; returns how many article bodies came from the body cache. `todo` and
    the plan's problems take what was found missing or broken on the way."""
    plan, pages, made, problems = planned.plan, planned.pages, planned.made, planned.problems
    for path in foreign:
        out.carry(path)
    for path in out.keep_all(plan.keep):  # vanished since we looked: make it after all
        if path in plan.makers:
            made.update(plan.makers[path]())
        else:
            todo.append(pages.page(path))
    with BodyCache(config.cache_dir / BODIES) as bodies:
        rendered = _RenderedPages(theme, todo, jobs, scheduler, bodies, planned.articles)
        for path, data, problem in rendered:
            out.write(path, data)
            if problem:
                problems[path] = problem
    for path in sorted(made):  # one at a time: the search index's files are read back from the spool
        if path in plan.fingerprints:
            out.write(path, made[path])
    recorded = new_manifest(plan.fingerprints, out.stats, problems, pages.records, foreign)
    out.commit((config.cache_dir / MANIFEST, manifest_bytes(recorded)))
    store.remember(config.cache_dir / MANIFEST, recorded)
    return rendered.reused


def _foreign_lines(config, foreign: list[str], told: dict[str, None]) -> list[str]:
    """One line per file of the user's in site/, the first time a build finds it there."""
    keep_in = Path(config.paths.static).as_posix()
    return [
        f"{config.display(config.site_dir / path)}: not made by digest; kept — put it in {keep_in}/ to publish it"
        for path in foreign
        if path not in told
    ]


KEPT_ASIDE = "site-kept"  # where a file of the user's goes when the new site needs its place


def _out_of_the_way(config, foreign: list[str], site_paths: set[str]) -> tuple[list[str], list[str]]:
    """(the user's files that stay in site/, lines naming those moved aside): a file where the new
    site needs a folder (or inside a folder it needs as a file) is moved, never deleted."""
    folders = folders_of(site_paths) if foreign else set()  # a pass over every path: only when needed
    in_the_way = [path for path in foreign if blocked_by_site(path, site_paths, folders)]
    lines = []
    for path in in_the_way:
        aside = _free_place(config.root, path)
        try:
            os.renames(config.site_dir / path, aside)
        except OSError as error:
            raise OSError(
                error.errno,
                f"cannot move {path} out of the new site's way: {error.strerror}",
                str(config.site_dir / path),
            ) from None
        lines.append(
            f"{config.display(config.site_dir / path)}: not made by digest, and in the way of the new "
            f"site; moved to {config.display(aside)}"
        )
    return [path for path in foreign if path not in in_the_way], lines


def _free_place(root: Path, path: str) -> Path:
    """site-kept/PATH, or site-kept-2/PATH…: never over (or under) what an earlier build put aside."""
    number = 1
    while True:
        folder = root / (KEPT_ASIDE if number == 1 else f"{KEPT_ASIDE}-{number}")
        aside = folder / path
        parents = [folder / part for part in Path(path).parents if str(part) != "."]
        if not os.path.lexists(aside) and not any(p.exists() and not p.is_dir() for p in parents):
            return aside
        number += 1


def _plan_static(config, plan: Plan) -> list[str]:
    """The user's static/ files, each copied as it is unless the site makes that path itself
    (then one line says so). A file is read only when it changed since the last build."""
    lines: list[str] = []
    files = static_files(config)
    if not files:
        return lines
    site_paths = set(plan.fingerprints)
    site_folders = folders_of(site_paths)  # a pass over every path: only when there are static files
    for path, stamp in files.items():
        source = static_source(config, path)
        if blocked_by_site(path, site_paths, site_folders):
            lines.append(f"{config.display(source)}: not published: the site makes site/{path} itself; rename it")
            continue
        fingerprint = "static:" + key_of([repr(stamp)])
        if plan.freshness.fresh(path, fingerprint):
            plan.add([path], fingerprint, functools.partial(_read_static, source, path))
            continue
        try:
            data = source.read_bytes()
        except OSError as error:
            lines.append(f"{config.display(source)}: cannot read: {error.strerror or error}; not published")
            continue
        plan.add([path], fingerprint, functools.partial(dict, [(path, data)]))
    return lines


def _read_static(source: Path, path: str) -> dict[str, bytes]:
    try:
        return {path: source.read_bytes()}
    except OSError:  # gone since the scan: the next build (the watcher sees it) says so
        return {}


def _problem_lines(theme: Theme, collisions: list[str], problems: dict[str, str]) -> list[str]:
    """One line per broken template or feed, not one per page."""
    return list(dict.fromkeys([*theme.problems, *collisions, *(problems[path] for path in sorted(problems))]))


def _plan_pages(
    site: Site,
    theme: Theme,
    feed_paths: frozenset[str],
    plan: Plan,
    manifest: SiteManifest,
    kept: Optional[KeptPlan],
) -> PagePlan:
    """The site's pages, planned by groups (plan.plan_pages), added to the plan."""
    styles = theme.static.get(STYLESHEET, b"")
    groups = plan_groups(site, feed_paths, styles) if kept is None else plan_groups_kept(site, feed_paths, styles, kept)

    @functools.cache
    def template_fp(name: str) -> str:
        return theme.fingerprint(name)[:24]

    pages = plan_pages(groups, template_fp, plan.freshness, manifest.groups)
    plan.add_pages(pages)
    return pages


# ---------------------------------------------------------------- planning the other files


def _plan_feeds(site: Site, plan: Plan, made: MutableMapping[str, bytes], problems: dict[str, str]) -> list[str]:
    """Each feed made again only when its items or settings changed; the paths of the feeds the site has."""
    from .. import feeds

    settings = config_key(site)
    todo, every = [], []
    for spec in feeds.feed_specs(site):
        paths = feeds.spec_paths(site, spec)
        every += paths
        plan.add(paths, feed_fingerprint(site, spec, settings), functools.partial(_feeds, site, [spec], problems))
        if not plan.keep.issuperset(paths):
            todo.append(spec)
    if todo:
        made.update(_feeds(site, todo, problems))
    wanted = [path for path in every if path in plan.keep or path in made]
    for path in set(every) - set(wanted):  # failed: not part of this site (the problem says why)
        del plan.fingerprints[path], plan.makers[path]
    return wanted


def _feeds(site: Site, specs: list, problems: dict[str, str]) -> dict[str, bytes]:
    from .. import feeds

    try:
        return feeds.render_feeds(site, specs=specs)
    except Exception as error:  # noqa: BLE001 - odd article data must not cost the reader the pages
        if len(specs) > 1:  # find the feed that fails, and keep the others
            return {path: data for spec in specs for path, data in _feeds(site, [spec], problems).items()}
        problems[specs[0].rss] = f"feeds: not written: {type(error).__name__}: {error}"
        return {}


def _plan_other_files(site: Site, theme: Theme, pages: PagePlan, plan: Plan, store: Store) -> None:
    """Sitemap, robots.txt, digests.json and the static files."""
    zone = site.config.tz
    dates = {urls.ARTICLE.format(slug=article.slug): article.date for article in site.articles}
    # pages of kept groups are lists and articles, never noindex
    entries = sorted(
        [
            *((page.path, page.noindex, page.date) for page in pages.planned),
            *((path, False, dates.get(path)) for path in pages.kept),
        ]
    )
    plan.add([urls.SITEMAP], sitemap_fingerprint(site, entries), lambda: {urls.SITEMAP: sitemap(site, entries, zone)})
    robots_txt = robots(site)
    plan.add([urls.ROBOTS], sha(robots_txt), lambda: {urls.ROBOTS: robots_txt})
    for path, data in theme.static.items():
        plan.add([path], sha(data), functools.partial(dict, [(path, data)]))
    for edition in site.editions:  # the email editions' web copies, as `digest newsletter` archived them
        path = urls.EDITION.format(date=edition.date)
        plan.add([path], sha(edition.html), functools.partial(dict, [(path, edition.html)]))
    from ..group import digests_json

    keys = [digests_json_fingerprint(site, digest) for digest in site.digests]
    plan.add(
        [urls.DIGESTS_JSON],
        sha("".join(keys).encode()),
        lambda: _digests_json(site, digests_json, keys, site.config.cache_dir / DIGESTS_JSON_CACHE, store),
    )


def _digests_json(site: Site, digests_json, keys: list[str], cache_path, store: Store) -> dict[str, bytes]:
    """digests.json, each digest's part (`_digest_part`) made again only when that digest changed."""
    cached = store.read(cache_path, "v2") or {}
    parts = {key: cached[key] for key in keys if key in cached}
    for key, digest in zip(keys, site.digests):
        if key not in parts:
            parts[key] = _digest_part(digests_json([digest], site.config.base_url)["digests"][0])
    if parts.keys() != cached.keys():
        store.write(cache_path, "v2", parts)
    body = (
        '{\n  "digests": [\n' + ",\n".join(parts[key] for key in keys) + "\n  ]\n}\n"
        if keys
        else '{\n  "digests": []\n}\n'
    )
    return {urls.DIGESTS_JSON: body.encode("utf-8")}


def _digest_part(data: dict[str, Any]) -> str:
    """A digest's entry in digests.json, indented to its place, its articles one a line: compact JSON
    from json's C encoder (an indented one is Python's own: tens of milliseconds a thousand articles,
    paid on every edit of a large digest's article)."""
    articles = ",\n".join(f"        {json.dumps(a, sort_keys=True, ensure_ascii=False)}" for a in data["articles"])
    lines = json.dumps({**data, "articles": None}, sort_keys=True, indent=2, ensure_ascii=False).splitlines()
    shown = "[\n" + articles + "\n      ]" if articles else "[]"
    return "\n".join(
        "    "
        + (line.replace('"articles": null', f'"articles": {shown}', 1) if line.startswith('  "articles"') else line)
        for line in lines
    )


def sitemap(site: Site, entries: list[tuple], zone) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    base = site.config.base_url
    for path, noindex, date in entries:  # sorted by path
        if noindex:
            continue
        when = in_zone(date, zone)
        lastmod = f"<lastmod>{when.isoformat()[:10]}</lastmod>" if when is not None else ""
        lines.append(f"<url><loc>{escape(base + path.removesuffix('index.html'))}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url(urls.SITEMAP)}\n".encode("utf-8")


# ---------------------------------------------------------------- rendering


class _RenderedPages:
    """(path, bytes, problem) of each page, in order, as the workers render them; article bodies
    taken from the body cache where it has them, and the ones rendered added to it at the end."""

    def __init__(
        self,
        theme: Theme,
        pages: list[Page],
        jobs: Optional[int],
        scheduler: Optional[str],
        bodies: BodyCache,
        articles: list[Article],
    ) -> None:
        self._theme, self._pages, self._jobs, self._scheduler = theme, pages, jobs, scheduler
        self._bodies, self._articles = bodies, articles
        self.reused = 0

    def __iter__(self) -> Iterator[tuple[str, bytes, Optional[str]]]:
        pages = self._pages
        keys = {page.path: body_key(page.body) for page in pages if page.body}
        kept = self._bodies.kept_keys(keys.values())
        self.reused = sum(1 for key in keys.values() if key in kept)  # pages, as two may share a body
        jobs = self._jobs
        if not self._scheduler and len(pages) < POOL_THRESHOLD:
            jobs = 1
        # Contexts are made as the workers ask for more, and results written as they come back:
        # the main process writes page k while the workers render k+1, and memory stays bounded
        # (the kept bodies are read, and the new ones kept, a batch at a time).
        render = functools.partial(render_page, self._theme)
        results = stream_map(
            render, self._jobs_for(pages, keys), jobs=jobs or os.cpu_count() or 1, scheduler=self._scheduler
        )
        made: dict[str, str] = {}
        for page, (data, problem, body_html) in zip(pages, results):
            if body_html:
                made[keys[page.path]] = body_html
                if len(made) >= BODIES_AT_ONCE:
                    self._keep(made)
                    made = {}
            yield page.path, data, problem
        self._keep(made)

    def _jobs_for(self, pages: list[Page], keys: dict[str, str]) -> Iterator[Job]:
        for start in range(0, len(pages), BODIES_AT_ONCE):
            batch = pages[start : start + BODIES_AT_ONCE]
            kept = self._bodies.known(keys[page.path] for page in batch if page.path in keys)
            yield from (self._job(page, kept.get(keys.get(page.path, ""), "")) for page in batch)

    def _keep(self, made: dict[str, str]) -> None:
        self._bodies.add(made, len(self._articles), lambda: {body_key(a.body) for a in self._articles})

    @staticmethod
    def _job(page: Page, html: str) -> Job:
        return Job(page.path, page.template, page.make(), "" if html else page.body, html)


def _environments(theme: Theme) -> tuple[jinja2.Environment, jinja2.Environment]:
    """(with the user's overrides, built-in only), made once per process and theme: a worker renders
    its chunks of pages with templates compiled once."""
    return _environments_of(Keyed(theme.key, theme))


@functools.lru_cache(maxsize=1)
def _environments_of(theme: Keyed[Theme]) -> tuple[jinja2.Environment, jinja2.Environment]:
    return environment(theme.value.sources, theme.value.origins), environment(theme.value.builtin, {})


def warm_up(config) -> None:
    """Compile every template now, so that `serve`'s first rebuild after an up-to-date start does not."""
    theme = load_theme(config)
    themed, _ = _environments(theme)
    for name in theme.sources:
        try:
            themed.get_template(name)
        except Exception:  # noqa: BLE001 - a broken template is reported by the build that uses it
            pass


def render_page(theme: Theme, page: Job) -> tuple[bytes, Optional[str], str]:
    """(HTML bytes, a problem line or None, the body's HTML when this call made it from Markdown).
    Runs in worker processes: plain data in, bytes out."""
    themed, builtin = _environments(theme)
    context = dict(page.context)
    made = ""
    if page.html:
        context["body"] = Markup(page.html)
    elif page.body:
        context["body"] = render_markdown(page.body)
        made = str(context["body"])
    try:
        html = themed.get_template(page.template).render(context)
        return html.encode("utf-8"), None, made
    except Exception as error:  # noqa: BLE001 - a user's template may fail in any way; never the built-ins
        overrides = theme.overrides_in(page.template)
        if not overrides:
            raise
        names = ", ".join(theme.origins.get(n, n) for n in overrides)
        problem = f"{names}: {type(error).__name__}: {error}; pages using it were built with the built-in templates"
    return builtin.get_template(page.template).render(context).encode("utf-8"), problem, made
