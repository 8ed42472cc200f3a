"""The search index: time to make it, Pagefind's memory, and the bytes a reader downloads for a query.

    .venv/bin/python benchmarks/search_index.py [--sizes 1000,10000] [--index-only 100000] [--query ceasefire]

For each size N (benchmarks/generate_corpus.py's synthetic articles, grouped into
digests as a build does) the site is rendered, with its index, and then read in
headless Chromium (/usr/bin/chromium) from a local HTTP server: the bytes of every
response are summed for the page itself, for the first query typed into its search
box (Pagefind's script and WebAssembly, each shard's entry and meta files, the
index chunks, filters and the fragments of the results shown), and for a second
query on the same page, and for opening the filter menus (every shard's filter
chunks: digests, sources, tags, years). "index s" is the time in digest.search.index_shards (the
Pagefind binary included); "pagefind MB" its peak resident memory (VmHWM).

--index-only N makes only the index of N articles (no digests, no pages), as the
build's shards (a year, or periods of it, each within SHARD_BYTES of estimated memory),
and --one-shard indexes them as one Pagefind index instead, to show what sharding
saves: Pagefind holds the whole index in memory (its issue #842).

--shard-memory indexes records of the synthetic articles' text, and of two and four
times that text, in one Pagefind process each, and prints its peak memory beside
digest.search's estimate (RECORD_BYTES a record, TEXT_BYTES a character): the
figures the shards' size is planned by.
Each size runs in a process of its own.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _watch_pagefind() -> dict[str, float]:
    """Times index_shards and reads the Pagefind process's peak memory before it ends."""
    import digest.search as search

    seen = {"seconds": 0.0, "peak_mb": 0.0}
    real_index, real_exit = search.index_shards, search._Service.__exit__

    def index_shards(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_index(*args, **kwargs)
        finally:
            seen["seconds"] += time.perf_counter() - start

    def service_exit(self, *exc_info):
        status = Path(f"/proc/{self._process.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        seen["peak_mb"] = max(seen["peak_mb"], peak_kb / 1024)
        return real_exit(self, *exc_info)

    search.index_shards, search._Service.__exit__ = index_shards, service_exit
    return seen


def _articles(count: int):
    from generate_corpus import generate_one, to_article

    from digest.model import slugify

    articles, used = [], set()
    for index in range(count):
        item = generate_one(7, index)
        slug = base = slugify(item.title)
        suffix = 2
        while slug in used:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        articles.append(to_article(item, slug))
    return articles


def _site(root: Path, count: int, grouped: bool):
    from digest.config import config_from_mapping
    from digest.group import group_articles
    from digest.site import Site

    config = config_from_mapping({}, root=root)
    articles = _articles(count)
    return Site(config=config, articles=articles, digests=group_articles(articles, config) if grouped else [])


def one_site(count: int, query: str) -> dict:
    from digest.render import render_site
    from digest.search import SEARCH_DIR

    seen = _watch_pagefind()
    with tempfile.TemporaryDirectory(prefix="digest-search-bench-") as tmp:
        root = Path(tmp)
        site = _site(root, count, grouped=True)
        render_site(site)
        bundles = root / "site" / SEARCH_DIR
        on_disk = sum(p.stat().st_size for p in bundles.rglob("*") if p.is_file())
        shards = len(json.loads((bundles / "shards.json").read_text())["shards"])
        downloads = _downloads(root / "site", query)
    return {
        "articles": count,
        "shards": shards,
        "index s": seen["seconds"],
        "pagefind MB": seen["peak_mb"],
        "index MB": on_disk / 2**20,
        **downloads,
    }


def one_index(count: int, one_shard: bool) -> dict:
    import digest.search as search

    seen = _watch_pagefind()
    with tempfile.TemporaryDirectory(prefix="digest-search-bench-") as tmp:
        site = _site(Path(tmp), count, grouped=False)
        if one_shard:
            search.SHARD_BYTES = 10**15
            shards = [search.Shard("all", "", lambda: [r for s in search.plan_shards(site, "") for r in s.records()])]
        else:
            shards = search.plan_shards(site, "")
        files = search.index_shards(shards, "en")
    return {
        "articles": count,
        "shards": len(shards),
        "index s": seen["seconds"],
        "pagefind MB": seen["peak_mb"],
        "index MB": sum(len(d) for bundle in files.values() for d in bundle.values()) / 2**20,
    }


class _Counting(SimpleHTTPRequestHandler):
    """Counts the bytes of every file it sends: what the reader downloads, whoever fetched it (the page or
    Pagefind's web worker), without guessing which response belongs to which moment."""

    sent: list[int] = []

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        outputfile.write(data)
        self.sent.append(len(data))

    def log_message(self, *args) -> None:
        pass


def _downloads(site_dir: Path, query: str) -> dict:
    """kB sent: the home page's load, a first and a second query typed into its box, the filter menus opened."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counting, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sent = _Counting.sent
    marks = [0]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_load_state("networkidle")
            marks.append(len(sent))
            for words in (query, query + " talks"):
                page.fill("#search-input", words)
                page.wait_for_function(
                    "w => document.querySelector('.search-status').textContent.includes(w)", arg=words, timeout=120_000
                )
                page.wait_for_load_state("networkidle")
                marks.append(len(sent))
            results = page.locator(".search-hit").count()
            page.click(".search-narrow summary")  # the filter menus: every shard's filter chunks
            page.wait_for_selector(".search-filters select")
            page.wait_for_load_state("networkidle")
            marks.append(len(sent))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    spans = list(zip(marks, marks[1:]))
    kilobytes = [sum(sent[a:b]) / 1024 for a, b in spans]
    return {
        "page kB": kilobytes[0],
        "query kB": kilobytes[1],
        "query requests": spans[1][1] - spans[1][0],
        "next query kB": kilobytes[2],
        "filters kB": kilobytes[3],
        "results shown": results,
    }


def shard_memory(plan: tuple[tuple[int, int], ...] = ((500, 1), (1000, 1), (2000, 1), (1000, 2), (500, 4))) -> None:
    import digest.search as search

    texts = [search.article_record(a, None, lambda _: "").content for a in _articles(max(n for n, _ in plan))]
    print(f"{'records':>7} {'text ×':>6} {'text MB':>7} {'peak MB':>7} {'estimate MB':>11}")
    seen = _watch_pagefind()
    for count, times in plan:
        records = [
            search.Record(f"articles/{i}.html", "\n\n".join([texts[i]] * times), {"title": str(i)}, {})
            for i in range(count)
        ]
        seen["peak_mb"] = 0.0
        search.index_shards([search.Shard("all", "", lambda records=records: records)], "en")
        chars = sum(len(r.content) for r in records)
        estimate = sum(search._text_bytes(r.content) for r in records)  # as a shard is planned
        print(
            f"{count:>7} {times:>6} {chars / 1e6:>7.1f} {seen['peak_mb']:>7.0f} {estimate / 2**20:>11.0f}", flush=True
        )


def _in_process(arguments: list[str]) -> dict:
    run = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{run.stderr}")
    return json.loads(run.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated article counts (site, index and browser)"
    )
    parser.add_argument("--index-only", default="", help="comma-separated article counts to index without a site")
    parser.add_argument("--one-shard", action="store_true", help="with --index-only: one Pagefind index, not shards")
    parser.add_argument("--query", default="ceasefire")
    parser.add_argument("--shard-memory", action="store_true", help="Pagefind's memory by records and text, only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.shard_memory:
        shard_memory()
        return
    if args.one:
        print(json.dumps(one_site(args.one, args.query)))
        return
    if args.index:
        print(json.dumps(one_index(args.index, args.one_shard)))
        return
    print(
        f"{'articles':>8} {'shards':>6} {'index s':>8} {'pagefind MB':>11} {'index MB':>9} {'page kB':>8} "
        f"{'query kB':>9} {'(requests)':>10} {'next query kB':>13} {'filters kB':>10} {'results':>7}"
    )
    for size in (int(s) for s in args.sizes.split(",") if s):
        r = _in_process(["--one", str(size), "--query", args.query])
        print(
            f"{r['articles']:>8} {r['shards']:>6} {r['index s']:>8.1f} {r['pagefind MB']:>11.0f} {r['index MB']:>9.1f} "
            f"{r['page kB']:>8.1f} {r['query kB']:>9.1f} {r['query requests']:>10} {r['next query kB']:>13.1f} "
            f"{r['filters kB']:>10.1f} {r['results shown']:>7}",
            flush=True,
        )
    for size in (int(s) for s in args.index_only.split(",") if s):
        r = _in_process(["--index", str(size), *(["--one-shard"] if args.one_shard else [])])
        print(
            f"{r['articles']:>8} {r['shards']:>6} {r['index s']:>8.1f} {r['pagefind MB']:>11.0f} {r['index MB']:>9.1f} "
            f"{'(index only' + (', one shard)' if args.one_shard else ')'):>34}",
            flush=True,
        )


if __name__ == "__main__":
    main()
