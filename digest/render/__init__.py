"""[Digest] + [Article] → site/: HTML pages, feeds, sitemap, static files.

The site is planned as a list of pages, each with a fingerprint of everything
that shapes it (the templates it reads, the code, the data it shows). A page
whose fingerprint matches the last build, and whose file nobody touched, is
carried over from the old site instead of rendered: an edit to one article
re-renders that article and the few lists that show it; a template edit
re-renders exactly the pages that use the template.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional
from xml.sax.saxutils import escape

import jinja2

from .. import site as urls
from ..site import Site
from ..workers import parallel_map
from .inputs import article_rows, feeds_fingerprint, site_fingerprint
from .markup import render_markdown
from .output import Output, existing_files, load_manifest, same_bytes, save_manifest, unchanged_on_disk
from .pages import Page, plan_pages, to_json
from .theme import Theme, environment, load_theme

POOL_THRESHOLD = 200  # fewer pages than this render faster in one process than a pool starts
BATCH = 2000  # pages rendered per round, so a full rebuild never holds every page in memory
MANIFEST = "render-manifest.json"


@dataclass
class RenderResult:
    pages: int = 0
    written: list[str] = field(default_factory=list)  # site-relative paths whose bytes changed
    problems: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # paths of the old site that no longer belong
    rendered: int = 0  # pages rendered this build (the rest were carried over)


def render_site(site: Site, *, jobs: Optional[int] = None, scheduler: Optional[str] = None) -> RenderResult:
    config = site.config
    result = RenderResult()
    theme = load_theme(config)
    result.problems.extend(theme.problems)

    site_dir = config.site_dir
    manifest_path = config.cache_dir / MANIFEST
    manifest = load_manifest(manifest_path)
    recorded = manifest["pages"]

    rows = article_rows(site)
    whole = site_fingerprint(site, rows, theme)
    previous = manifest["groups"].get("site")
    if previous and previous[0] == whole and _untouched(site_dir, recorded):
        result.problems.extend(previous[1])  # the same input has the same problems: say them again
        result.pages = previous[2]
        return result

    # Feeds are a pure function of the articles, digests and config: when none of
    # those changed, the old feed files are kept without generating them again.
    fingerprints: dict[str, str] = {}
    feeds_fp = feeds_fingerprint(site, rows)
    cached_feeds = manifest["groups"].get("feeds")
    extras: dict[str, bytes] = {}
    keep: set[str] = set()
    if cached_feeds and cached_feeds[0] == feeds_fp and all(
        unchanged_on_disk(site_dir, path, recorded.get(path), feeds_fp) for path in cached_feeds[1]
    ):
        feed_paths = list(cached_feeds[1])
        keep.update(feed_paths)
    else:
        problems_before = len(result.problems)
        extras.update(_feeds(site, result.problems))
        feed_paths = sorted(extras)
        if len(result.problems) > problems_before:
            feeds_fp = "failed"  # never cached: the problem is reported again next build
    fingerprints.update(dict.fromkeys(feed_paths, feeds_fp))

    pages = _without_collisions(plan_pages(site, frozenset(feed_paths)), result.problems)
    extras.update(_digests_json(site, result.problems))
    extras[urls.SITEMAP] = sitemap(site, pages)
    extras[urls.ROBOTS] = robots(site)
    extras.update(theme.static)
    result.pages = len(pages)

    template_fps = {name: theme.fingerprint(name) for name in {page.template for page in pages}}
    page_fps = {page.path: page_fingerprint(template_fps[page.template], page) for page in pages}
    fingerprints.update(page_fps)
    keep.update(path for path, fp in page_fps.items() if unchanged_on_disk(site_dir, path, recorded.get(path), fp))
    old_files = existing_files(site_dir) if site_dir.is_dir() else set()
    stale = sorted(old_files - set(fingerprints) - set(extras))
    unchanged = keep >= set(fingerprints) and not stale and _all_same(site_dir, extras)

    def groups() -> dict[str, list]:
        return {"feeds": [feeds_fp, feed_paths], "site": [whole, result.problems[len(theme.problems):], len(pages)]}

    if unchanged:  # the site on disk is this build's site already (only the cache was missing)
        save_manifest(manifest_path, fingerprints | dict.fromkeys(extras, ""), _stats(site_dir, old_files), groups())
        return result

    with Output(site_dir) as out:
        for path in sorted(keep):
            if not out.keep(path):  # vanished since we looked: render it after all
                keep.discard(path)
        if not keep.issuperset(feed_paths) and not extras.keys() & set(feed_paths):
            extras.update(_feeds(site, result.problems))
        todo = [page for page in pages if page.path not in keep]
        for path, data, problem in _render_pages(theme, todo, jobs, scheduler):
            out.write(path, data)
            if problem:
                result.problems.append(problem)
        for path, data in sorted(extras.items()):
            out.write(path, data)
        out.commit()
    result.problems = list(dict.fromkeys(result.problems))  # one line per broken template, not per page
    save_manifest(manifest_path, fingerprints | dict.fromkeys(extras, ""), out.stats, groups())
    result.written = sorted(out.written)
    result.removed = stale
    result.rendered = len(todo)
    return result


def page_fingerprint(template_fp: str, page: Page) -> str:
    """Changes when the page's templates, the renderer's code or anything the page shows changes."""
    data = to_json([template_fp, page.template, page.context])
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _untouched(site_dir: Path, recorded: dict[str, list]) -> bool:
    """site/ holds exactly the files the last build wrote, none of them changed since."""
    if not recorded or not site_dir.is_dir():
        return False
    return existing_files(site_dir) == set(recorded) and all(
        unchanged_on_disk(site_dir, path, entry, entry[0]) for path, entry in recorded.items()
    )


def _stats(site_dir: Path, paths: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    stats = {}
    for path in paths:
        stat = (site_dir / path).stat()
        stats[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return stats


def _all_same(site_dir: Path, extras: dict[str, bytes]) -> bool:
    return all(same_bytes(site_dir / path, data) for path, data in extras.items())


def _without_collisions(pages: list[Page], problems: list[str]) -> list[Page]:
    """Two pages with one URL (a tag and a digest both named "index"…): the first keeps it."""
    taken: dict[str, Page] = {}
    for page in pages:
        if page.path in taken:
            problems.append(f"{page.path}: two pages want this address ({page.context['page']['title']!r} and "
                            f"{taken[page.path].context['page']['title']!r}); only the first was built")
            continue
        taken[page.path] = page
    return list(taken.values())


# ---------------------------------------------------------------- rendering


def _render_pages(theme: Theme, pages: list[Page], jobs: Optional[int], scheduler: Optional[str]) -> Iterable[tuple[str, bytes, Optional[str]]]:
    render = functools.partial(render_page, theme)
    if not scheduler and len(pages) < POOL_THRESHOLD:
        jobs = 1
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        for page, (data, problem) in zip(batch, parallel_map(render, batch, jobs=jobs, scheduler=scheduler)):
            yield page.path, data, problem


_ENVIRONMENTS: dict[str, tuple[jinja2.Environment, jinja2.Environment]] = {}


def _environments(theme: Theme) -> tuple[jinja2.Environment, jinja2.Environment]:
    """(with the user's overrides, built-in only), made once per process and theme."""
    if theme.key not in _ENVIRONMENTS:
        _ENVIRONMENTS.clear()
        _ENVIRONMENTS[theme.key] = (environment(theme.sources, theme.origins), environment(theme.builtin, {}))
    return _ENVIRONMENTS[theme.key]


def render_page(theme: Theme, page: Page) -> tuple[bytes, Optional[str]]:
    """(HTML bytes, a problem line or None). Runs in worker processes: plain data in, bytes out."""
    themed, builtin = _environments(theme)
    context = dict(page.context)
    if page.body:
        context["body"] = render_markdown(page.body)
    overrides = theme.overrides_in(page.template)
    try:
        html = themed.get_template(page.template).render(context)
        return html.encode("utf-8"), None
    except Exception as error:  # noqa: BLE001 - a user's template may fail in any way; never the built-ins
        if not overrides:
            raise
        names = ", ".join(theme.origins.get(n, n) for n in overrides)
        problem = f"{names}: {type(error).__name__}: {error}; pages using it were built with the built-in templates"
    return builtin.get_template(page.template).render(context).encode("utf-8"), problem


# ---------------------------------------------------------------- the other files


def _feeds(site: Site, problems: list[str]) -> dict[str, bytes]:
    from ..feeds import render_feeds

    try:
        return render_feeds(site)
    except Exception as error:  # noqa: BLE001 - odd article data must not cost the reader the pages
        problems.append(f"feeds: not written: {type(error).__name__}: {error}")
        return {}


def _digests_json(site: Site, problems: list[str]) -> dict[str, bytes]:
    try:
        from ..group import digests_json
    except ImportError:
        return {}
    data = digests_json(site.digests, site.config.base_url)
    return {urls.DIGESTS_JSON: (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}


def sitemap(site: Site, pages: list[Page]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(pages, key=lambda p: p.path):
        meta = page.context["page"]
        if meta["noindex"]:
            continue
        lastmod = f"<lastmod>{meta['published'][:10]}</lastmod>" if meta["published"] else ""
        lines.append(f"<url><loc>{escape(meta['canonical'])}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url(urls.SITEMAP)}\n".encode("utf-8")
