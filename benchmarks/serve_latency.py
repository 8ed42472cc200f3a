"""Edit-to-screen latency of `digest serve`: how long an editor waits to see a saved change.

    .venv/bin/python benchmarks/serve_latency.py [--sizes 1000,10000] [--edits 20] [--pause 1] [--broken] [--add]

For each size N it writes N synthetic articles straight into content/ (no ingest to
wait for; benchmarks/generate_corpus.py), starts `digest serve` on a free port, opens
one article in headless Chromium (/usr/bin/chromium), then edits that article's title
in its content file `--edits` times, `--pause` seconds apart (an editor's pace: the server does
its deferred chores between edits, as it would in use; from serve.SEARCH_AFTER seconds on, the
next edit can meet the search index being made again). Each sample is the time from
just before the file is written to the first animation frame after the one that
painted the new title, measured in the page (wall clock on both sides, the same
machine): the watcher, the debounce window, the rebuild, the event to the tab, the
new page and its paint all included. "seen by poll" is when the benchmark, polling
every 20 ms, noticed it: a later moment, as a cross-check; the server's own
"rebuilt in" figures are beside it.

--broken makes every other edit break the article's front matter (an unclosed YAML list in
its title line, as a slip of the keyboard leaves it): those samples run until the page shows
the error overlay naming the file; the edit after it fixes the file with a new title, timed
until that title shows. The two kinds are reported as separate rows.

--add writes a new article into content/ before each timed edit and waits for the server's
rebuild of it, then pauses and makes the edit: from 1,000 articles serve shows a new article
in the digests as they were and regroups once the editor pauses (serve.SEARCH_AFTER), so
with a pause longer than that the timed edit meets the regroup under way.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import write_content  # noqa: E402

from digest.model import Article, dump_article, read_article  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAUSE_BETWEEN_EDITS = 1.0
# In every document of the tab (a swapped page keeps its document, a reloaded one gets a new
# one): watch for the wanted title, and note when the frame showing it has been painted,
# in wall-clock milliseconds. Two animation frames: the first runs before the frame with
# the change is painted, the second once it has been.
WATCH_FOR_TITLE = """
window.digestBenchWatch = (title) => {
  window.digestBenchShownAt = undefined;
  const shown = () => document.body && document.body.innerText.includes(title);
  const stamp = () => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.digestBenchShownAt = performance.timeOrigin + performance.now();
  }));
  if (shown()) return stamp();
  const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); stamp(); } });
  observer.observe(document, {subtree: true, childList: true, characterData: true});
};
const wanted = sessionStorage.getItem("digest-bench-title");
if (wanted) window.digestBenchWatch(wanted);
"""
WATCH = "title => { sessionStorage.setItem('digest-bench-title', title); window.digestBenchWatch(title); }"


class Server:
    """`digest serve` in its own process group, its stderr kept for the rebuild times."""

    def __init__(self, root: Path) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "-C", str(root), "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            cwd=REPO,
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if re.search(r"\d+ pages", line):
                self.ready.set()
        self.ready.set()

    def url(self) -> str:
        if not self.ready.wait(timeout=1800) or self.process.poll() is not None:
            raise SystemExit("digest serve did not start:\n" + "\n".join(self.lines))
        for line in self.lines:
            if match := re.search(r"Serving (http://\S+)", line):
                return match.group(1)
        raise SystemExit("digest serve printed no URL:\n" + "\n".join(self.lines))

    def peak_mb(self) -> float:
        """The server's peak resident memory so far (Linux: VmHWM), NaN where it cannot be read."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return float("nan")
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) / 1024 if found else float("nan")

    def rebuild_seconds(self) -> list[float]:
        return [float(m.group(1)) for line in self.lines if (m := re.match(r"rebuilt in ([\d.]+)s", line))]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def broken(text: str) -> str:
    """The content file with its title line's value opened as a YAML list and never closed."""
    return re.sub(r"^title: ", "title: [", text, count=1, flags=re.MULTILINE)


def add_article(server: Server, content: Path, model: Article, number: int) -> None:
    """A new article in content/, and the server's rebuild of it waited for."""
    rebuilt = len(server.rebuild_seconds())
    slug = f"benchmark-addition-{number}-{os.getpid()}"
    (content / f"{slug}.md").write_text(
        dump_article(replace(model, slug=slug, title=f"Benchmark addition {number}")), encoding="utf-8"
    )
    while len(server.rebuild_seconds()) <= rebuilt:
        time.sleep(0.02)


def measure(size: int, edits: int, pause: float, break_every_other: bool, add: bool) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="digest-serve-bench-") as tmp:
        root = Path(tmp)
        write_content(root, size)
        path = sorted((root / "content").glob("*.md"))[size // 2]
        article = read_article(path)
        server = Server(root)
        try:
            started = time.perf_counter()
            base = server.url().rstrip("/")
            first_build = time.perf_counter() - started
            samples: dict[str, list[float]] = {}
            polled: dict[str, list[float]] = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page()
                    page.add_init_script(WATCH_FOR_TITLE)
                    page.goto(f"{base}/articles/{article.slug}.html")
                    for number in range(edits):
                        if add:
                            add_article(server, root / "content", article, number)
                            time.sleep(pause)
                        article = replace(article, title=f"Edited headline number {number} of the benchmark")
                        text, wanted, kind = dump_article(article), article.title, "title edited"
                        if break_every_other and number % 2 == 0:
                            text, wanted, kind = broken(text), path.name, "front matter broken"
                        elif break_every_other:
                            kind = "broken one fixed"
                        page.evaluate(WATCH, wanted)
                        before, wall_before = time.perf_counter(), time.time()
                        path.write_text(text, encoding="utf-8")
                        # A light poll: a check of the page every frame would load the CPU the server needs.
                        shown_at = page.wait_for_function(
                            "() => window.digestBenchShownAt", polling=20, timeout=60_000
                        ).json_value()
                        polled.setdefault(kind, []).append(time.perf_counter() - before)
                        samples.setdefault(kind, []).append(shown_at / 1000 - wall_before)
                        time.sleep(pause)
                finally:
                    browser.close()
            rebuilds = server.rebuild_seconds()
            peak = server.peak_mb()
        finally:
            server.stop()
    rows = {}
    for kind, times in samples.items():
        times.sort()
        rows[kind] = {
            "first build": first_build,
            "edits": len(times),
            "polled median": statistics.median(polled[kind]),
            "median": statistics.median(times),
            "p90": times[max(0, round(0.9 * len(times)) - 1)],
            "worst": times[-1],
            "rebuild median": statistics.median(rebuilds) if rebuilds else float("nan"),
            "rebuilds": len(rebuilds),
            "peak MB": peak,
        }
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts (add 10000 if time allows)")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument(
        "--pause", type=float, default=PAUSE_BETWEEN_EDITS, help="seconds between one edit shown and the next"
    )
    parser.add_argument("--broken", action="store_true", help="break the front matter in every other edit")
    parser.add_argument("--add", action="store_true", help="add an article, then pause, before each edit")
    args = parser.parse_args(argv)
    print(
        f"{'articles':>8} {'edit':>20} {'edits':>5} {'first build':>11} {'median':>8} {'p90':>8} {'worst':>8} "
        f"{'seen by poll (median)':>22} {'server rebuild (median)':>24} {'server peak RSS':>16}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for kind, r in measure(size, args.edits, args.pause, args.broken, args.add).items():
            print(
                f"{size:>8} {kind:>20} {r['edits']:>5} {r['first build']:>10.1f}s {r['median'] * 1000:>6.0f}ms {r['p90'] * 1000:>6.0f}ms "
                f"{r['worst'] * 1000:>6.0f}ms {r['polled median'] * 1000:>20.0f}ms "
                f"{r['rebuild median'] * 1000:>14.0f}ms ({r['rebuilds']} rebuilds) {r['peak MB']:>13.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
