"""An edit's rebuild under `serve`, in one process: what the editor waits for, without the browser.

    .venv/bin/python benchmarks/serve_edit.py PROJECT [--edits 5] [--profile OUT.prof]

PROJECT is a built project (benchmarks/generate_corpus.py DIR -n N --content, then
`digest build -C DIR`). The script keeps what `serve` keeps between rebuilds (the
cache in memory, the last good articles, the known folders), builds once, then
makes `--edits` edits of each kind to the alphabetically middle articles, each
rebuilt as serve rebuilds an edit (the watcher's batch, the search index deferred,
and in an archive of 1,000 articles or more an added or removed article shown in the
digests as they were), and prints a table of seconds per kind: median and range, and
the regroup serve then runs once the editor pauses (not waited for, unless the editor
saves again meanwhile). The project's content/
is left edited (each edit is undone by the next of its kind only for titles).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest import serve  # noqa: E402
from digest.config import load_config  # noqa: E402
from digest.render.kept import KeptPlan  # noqa: E402


class Served:
    """serve's session (`--no-kept-plan`: without its memory of the last render plan)."""

    def __init__(self, root: Path, keep_plan: bool) -> None:
        self.session = serve.Session(config=load_config(root), jobs=1)
        self.config, self.keep_plan = self.session.config, keep_plan
        self.taken_over: list[int] = []  # group keys each rebuild took from the last plan

    def rebuild(self, changed: Optional[set[Path]], defer: bool = True, regroup: bool = False) -> float:
        self.session.known.changed = changed
        if not self.keep_plan:  # nothing to take over: the whole site is planned
            self.session.kept_plan = KeptPlan()
        gc.disable()  # as serve does: no collection during a rebuild, one when idle (its chores)
        start = time.perf_counter()
        report, failure = serve._build(self.session, defer_search=defer, defer_group=defer and not regroup)
        took = time.perf_counter() - start
        gc.enable()
        gc.unfreeze()
        gc.collect()
        gc.freeze()  # what is left is long-lived: never scanned by the next rebuild's collections
        self.session.store.save_deferred()  # serve's chores: the next process starts where this one ended
        self.taken_over.append(self.session.kept_plan.taken_over)
        if failure or (report and report.problems):
            print("problems:", failure, report and report.problems[:3], file=sys.stderr)
        return took

    def regroup(self) -> Optional[float]:
        """What serve does once the editor pauses, when an edit showed added or removed articles in the
        digests as they were: a build that regroups (the search index left as the edits leave it, as in
        every rebuild timed here). Its seconds; None when no regroup was put off."""
        if not self.session.group_stale:
            return None
        took = self.rebuild(set(), regroup=True)
        self.taken_over.pop()  # not an edit's
        return took


def _append(path: Path, number: int) -> set[Path]:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nA correction was added to this report (edit {number}).\n")
    return {path}


def _retitle(path: Path, number: int) -> set[Path]:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [
        f"title: 'Retitled story {number} at {time.time_ns()}'" if line.startswith("title:") else line for line in lines
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return {path}


def _new(path: Path, number: int) -> set[Path]:
    copy = path.with_name(f"bench-new-{number}.md")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"slug: {copy.stem}" if line.startswith("slug:") else line for line in lines]
    copy.write_text("\n".join(lines), encoding="utf-8")
    return _retitle(copy, 1000 + number)


def _delete(path: Path, number: int) -> set[Path]:
    path.unlink()
    return {path}


KINDS: dict[str, Callable[[Path, int], set[Path]]] = {
    "body appended": _append,
    "title changed": _retitle,
    "new file": _new,
    "file deleted": _delete,
}


def _warm_up(served: Served) -> None:
    """As serve does after its first build: the grouping code imported, the templates compiled."""
    from digest.group import memo, naming  # noqa: F401
    from digest.render import warm_up

    warm_up(served.config)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ", ".join(KINDS))
    parser.add_argument("--no-kept-plan", action="store_true", help="plan the whole site on every edit (as before)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the edits' rebuilds here")
    args = parser.parse_args(argv)
    unknown = [kind for kind in args.kinds.split(",") if kind not in KINDS]
    if unknown:
        parser.error(f"--kinds: no such kind {', '.join(map(repr, unknown))}; the kinds are {', '.join(KINDS)}")
    served = Served(args.project.resolve(), keep_plan=not args.no_kept_plan)
    first = served.rebuild(None)  # the search index left as it is, as in the edits: Pagefind is not timed here
    print(f"first build in this process: {first:.2f}s", file=sys.stderr)
    _warm_up(served)
    files = sorted(served.config.content_dir.glob("*.md"))
    middle = len(files) // 2
    profiler = cProfile.Profile() if args.profile else None
    rows, regroups = [], dict[str, list[float]]()
    served.taken_over.clear()
    for k, kind in enumerate(args.kinds.split(",")):
        edit = KINDS[kind]
        times = []
        for number in range(args.edits):
            target = files[middle + k * args.edits + number]
            changed = edit(target, number)
            if profiler:
                profiler.enable()
            times.append(served.rebuild(changed))
            if profiler:
                profiler.disable()
            regrouped = served.regroup()
            if regrouped is not None:
                regroups.setdefault(kind, []).append(regrouped)
        rows.append((kind, times))
    if profiler:
        profiler.dump_stats(str(args.profile))
    n = len(files)
    print(f"| edit at {n} articles | median s | range s | group keys taken over | then, when idle: regroup s |")
    print("|---|---|---|---|---|")
    for k, (kind, times) in enumerate(rows):
        taken = served.taken_over[k * args.edits : (k + 1) * args.edits]
        later = regroups.get(kind)
        regrouped = f"{statistics.median(later):.3f} ({min(later):.3f}–{max(later):.3f})" if later else "—"
        print(
            f"| {kind} | {statistics.median(times):.3f} | {min(times):.3f}–{max(times):.3f} | {taken} | {regrouped} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
