"""`digest init DIR`: a new site folder, the way `hugo new site` and `mkdocs new` make one."""

from __future__ import annotations

from pathlib import Path

from .config import CONFIG_FILE

CONFIG_TEMPLATE = """\
# digest configuration. Every key is optional; these are the defaults.
title: "{title}"
description: "Topical digests of the news."
base_url: "http://127.0.0.1:8000/"   # where the site will live, e.g. https://example.org/news/
language: en
timezone: UTC                        # applied to dates that carry no time zone
author: ""
per_page: 10                         # items per list page
timestamp: false                     # true: stamp build times into feeds (output then differs per build)

paths:
  seeds: seeds            # raw articles, one .txt file each
  content: content        # the Markdown made from them: yours to edit
  site: site              # the output
  templates: templates    # your template overrides

feeds:
  full_text: true         # false: feed items carry only the summary
  items: 20
  atom: true
  json_feed: true

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
"""

SEEDS_README = """\
Put raw news articles here, one plain-text file (*.txt) each, as scraped from the web.
`digest build` turns each into a Markdown file in content/ that you can then edit by hand.
"""

TEMPLATES_README = """\
Template overrides. A file here replaces the built-in template of the same name
(for example `article.html` or `base.html`); everything else keeps the built-in look.
The built-in templates are in the installed package, under digest/templates/.
"""


def create_project(directory: Path) -> list[Path]:
    """Create what is missing; never overwrite a file that is already there."""
    if (directory / CONFIG_FILE).exists():
        raise FileExistsError(f"{directory / CONFIG_FILE} already exists: {directory} is a digest project")
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a folder")
    title = directory.resolve().name.replace("-", " ").replace("_", " ").title() or "News Digest"
    files = {
        directory / CONFIG_FILE: CONFIG_TEMPLATE.format(title=title.replace('"', "'")),
        directory / "seeds" / "README.txt": SEEDS_README,
        directory / "templates" / "README.txt": TEMPLATES_README,
    }
    created: list[Path] = []
    for folder in ("seeds", "content", "templates"):
        path = directory / folder
        if not path.exists():
            path.mkdir(parents=True)
            created.append(path)
    for path, text in files.items():
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    return created
