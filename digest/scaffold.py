"""`digest init DIR`: a new site folder, the way `hugo new site` and `mkdocs new` make one."""

from __future__ import annotations

import json
from pathlib import Path

from .config import CONFIG_FILE

CONFIG_TEMPLATE = """\
# digest configuration. Every key is optional; these are the defaults.
#
# This folder is a digest project:
#   seeds/      raw news articles as scraped from the web, one plain-text file (.txt) each;
#               `digest build` turns each into a Markdown file in content/
#   content/    the Markdown made from them: yours to edit, never overwritten by a build
#   templates/  your template overrides (see templates/README.md)
#   static/     your own files (CNAME, images, PDFs…), copied into site/ as they are
#   site/       the output, ready to copy to any static host
title: {title}
description: "Topical digests of the news."
base_url: "http://127.0.0.1:8000/"   # where the site will live, e.g. https://example.org/news/
language: en
timezone: UTC                        # applied to dates that carry no time zone
author: ""
per_page: 10                         # items per list page
timestamp: false                     # true: stamp build times into feeds (output then differs per build)

paths:
  seeds: seeds            # scraped text, saved pages (.html), feeds (.xml, .json), notes (.md)
  content: content        # the Markdown made from them: yours to edit
  site: site              # the output
  templates: templates    # your template overrides
  static: static          # copied into site/ as it is

feeds:
  full_text: true         # false: feed items carry only the summary
  items: 20
  atom: true
  json_feed: true
  fetch: []               # feeds `digest fetch` pulls into seeds/
  # - https://example.org/world/rss.xml
  # - opml: my-feeds.opml          # or every feed an OPML file lists

digests:
  count: null             # about how many digests; null: follow the material
  rules: []
  # - name: Premier League title race
  #   tags: [Arsenal, Liverpool]
  #   keywords: [title race]

sources: []
# - source: Reuters
#   file: "reuters-*.txt"          # seeds whose file names match
# - source: Kyiv Independent
#   phrase: "Kyiv Independent"     # or text that names the publisher

tags:
  aliases: {{}}
  # Volodymyr Zelensky: [Zelenskyy, Zelenskiy]
  stop: []
  max_per_article: 8

newsletter:               # `digest newsletter`: the email edition of the latest digests
  sender: ""              # "Desk <news@example.org>"; empty: the title, at no-reply@ the base_url's host
  reply_to: ""
  subject: ""             # empty: "<title>: <first digest> and N more"
  digests: 5              # digests in an edition (at most, when only newer ones are taken)
  articles: 8             # article titles listed per digest
  recipients: subscribers.txt        # one address per line, for --send
  archive: newsletter     # every edition is kept here; the build publishes it as site/newsletter/DATE.html
  unsubscribe_url: ""     # shown in each edition and sent as List-Unsubscribe, when set
  smtp:
    host: ""
    port: 587
    starttls: true
    user: ""
    password_env: DIGEST_SMTP_PASSWORD   # the password is read from this environment variable, never from here
    timeout: 30
"""

TEMPLATES_README = """\
# Template overrides

This folder is yours. A file here replaces the built-in template of the same name
(the built-in ones are in the installed package, `digest/templates/`; copy one here
and edit it). Files in `templates/static/` replace or add to the built-in static
files (`style.css`, `favicon.svg`), which land in `site/static/`.

| template | pages |
|---|---|
| `base.html` | the frame of every page: head, masthead, navigation, footer |
| `macros.html` | small shared pieces: article card, date, tag chips, pager, feed links |
| `index.html` | the home page and its later pages (`page/2.html`, …) |
| `digest.html` | one digest |
| `article.html` | one article |
| `list.html` | a list of articles; `tag.html`, `source.html`, `month.html` extend it |
| `terms.html` | an index of names; `tags.html`, `sources.html` extend it |
| `digests.html`, `archive.html`, `404.html` | the digests index, the archive, the not-found page |
| `newsletters.html` | the list of email editions (`newsletter/index.html`) |
| `newsletter.html`, `newsletter.txt` | the email edition's HTML and plain-text parts (`digest newsletter`; the HTML's `<style>` is inlined when it is made, so keep its rules simple and put dark-mode rules in `@media` with `!important`) |

Templates are Jinja2 with autoescaping on: article text is always escaped. Build
links with the `rel` filter (`{{ "tags/index.html"|rel }}`), which makes them
relative to the page, so the site works from any folder, host path or `file://`.
A template with an error is reported (file and line) and the built-in one is used
instead; the rest of the site is still built. A change here re-renders exactly
the pages whose templates changed.
"""


def create_project(directory: Path) -> list[Path]:
    """Create what is missing; never overwrite a file that is already there."""
    if (directory / CONFIG_FILE).exists():
        raise FileExistsError(f"{directory / CONFIG_FILE} already exists: {directory} is a digest project")
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a folder")
    title = directory.resolve().name.replace("-", " ").replace("_", " ").title() or "News Digest"
    files = {
        # a JSON string is a YAML double-quoted scalar: a backslash in a folder's name stays a backslash
        directory / CONFIG_FILE: CONFIG_TEMPLATE.format(title=json.dumps(title.replace('"', "'"), ensure_ascii=False)),
        directory / "templates" / "README.md": TEMPLATES_README,
    }
    created: list[Path] = []
    # Nothing is written into seeds/: every file there becomes an article (or is named as skipped).
    for folder in ("seeds", "content", "templates", "static"):
        path = directory / folder
        if not path.exists():
            path.mkdir(parents=True)
            created.append(path)
    for path, text in files.items():
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    return created
