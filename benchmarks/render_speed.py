"""Speed of the render stage at scale: full render, nothing changed, one edit, one template change.

    python benchmarks/render_speed.py [--count 10000] [--project DIR] [--jobs 2]

Without --project it generates COUNT content files (benchmarks/generate_corpus.py) in a
temporary folder; with it, it works on a copy of DIR (which needs a content/ folder). Each
case runs in a fresh child process, as `digest build` would: load and group (cached after
the first case, and not timed), then the render stage, timed. The table shows the render
stage's seconds, the pages it rendered (the others were carried over), the files whose bytes
changed, and the child's whole time (interpreter start, load, group and render).

Cases, in order: full render (no site/ yet); nothing changed; one article's title edited
(it shows on its own page, its neighbours', and a few lists); one article's date edited
(it moves in every list it is on); a user template overriding tag.html (every tag page).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"

CHILD = """
import json, sys, time
from pathlib import Path
from digest.build import _group
from digest.config import load_config
from digest.load import load_articles
from digest.render import render_site
from digest.site import Site

def main():
    config = load_config(Path(sys.argv[1]))
    loaded = load_articles(config)
    site = Site(config=config, articles=loaded.articles, digests=_group(loaded.articles, config))
    start = time.perf_counter()
    result = render_site(site, jobs=int(sys.argv[2]) or None)
    print(json.dumps({"render": time.perf_counter() - start, "pages": result.pages,
                      "rendered": result.rendered, "written": len(result.written)}))

if __name__ == "__main__":
    main()
"""


def run_case(project: Path, jobs: int) -> dict:
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    done = subprocess.run([python, "-c", CHILD, str(project), str(jobs)], capture_output=True, text=True, env=env)
    whole = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the render child failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["whole"] = whole
    return figures


def _article(project: Path, index: int) -> Path:
    return sorted((project / "content").glob("*.md"))[index]


def edit_title(project: Path) -> None:
    path = _article(project, len(list((project / "content").glob("*.md"))) // 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^title: (.*)$", r"title: \1 (updated)", text, count=1, flags=re.MULTILINE), encoding="utf-8"
    )


def edit_date(project: Path) -> None:
    path = _article(project, len(list((project / "content").glob("*.md"))) // 3)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^date: .*$", "date: 2024-01-15T09:30:00+00:00", text, count=1, flags=re.MULTILINE), encoding="utf-8"
    )


def change_template(project: Path) -> None:
    builtin = (REPO / "digest" / "templates" / "tag.html").read_text(encoding="utf-8")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "tag.html").write_text(builtin + "{# changed #}\n", encoding="utf-8")


CASES = (
    ("full render", None),
    ("nothing changed", lambda project: None),
    ("one edit: title", edit_title),
    ("one edit: date (moves in lists)", edit_date),
    ("template change: tag.html", change_template),
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--project", type=Path, help="an existing project to copy (its content/ is used)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="digest-render-speed-") as folder:
        project = Path(folder) / "project"
        if args.project:
            shutil.copytree(args.project / "content", project / "content")
            for name in ("digest.yaml",):
                if (args.project / name).is_file():
                    shutil.copy2(args.project / name, project / name)
        else:
            sys.path.insert(0, str(REPO / "benchmarks"))
            sys.path.insert(0, str(REPO))
            from generate_corpus import write_content

            write_content(project, args.count)
        count = len(list((project / "content").glob("*.md")))
        print(f"{count} content files, render stage with --jobs {args.jobs}\n")
        print(f"{'case':34} {'render s':>9} {'rendered':>9} {'written':>8} {'pages':>7} {'child s':>8}")
        for name, change in CASES:
            if change is not None:
                change(project)
            figures = run_case(project, args.jobs)
            print(
                f"{name:34} {figures['render']:9.2f} {figures['rendered']:9d} {figures['written']:8d} "
                f"{figures['pages']:7d} {figures['whole']:8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
