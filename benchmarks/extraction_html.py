"""How well digest reads saved web pages: article text kept, page chrome dropped, metadata found.

    python benchmarks/extraction_html.py PATH [--limit N] [--speed] [--jobs 1 2]

PATH is the article-extraction benchmark (181 real news pages, each with the article
body a person marked; see /work/shared/corpora/README.md). Each page goes through
`digest.ingest.seed.ingest_seed` as a `.html` seed, exactly as `digest build` reads it, and
through trafilatura alone with the same settings, to show what digest's own rules
(bylines, chrome, the headline) add or take away on top of the extractor.

Scoring (words, case-folded, punctuation ignored; nothing here is tuned to the corpus)
    article kept   share of the marked body's word 3-grams found in the output
    chrome dropped the page's visible text, one line per block element, is labelled: a line
                   is *article* when at least half of its 3-grams (its words, for lines of
                   under 3 words) are in the marked body, else *chrome*. The headline (the
                   page's <h1> or <title>) is neither: it is the article's title, not text.
                   Chrome dropped is the share of chrome words, line by line, whose line is
                   not in the output (in the same sense: half its 3-grams).
    lost by rules  share of the body's 3-grams trafilatura kept that digest's output lacks
    metadata       title: found, and equal to the page's og:title or <h1> where it has one (either
                   also without the og:site_name it may start or end with);
                   date: found, and equal to the date in the URL where the URL has one;
                   author: found where the page states one (meta author, itemprop or rel
                   author, JSON-LD author), and named in that statement.
With --speed, the pages are ingested as a project by benchmarks/ingest_speed.py (a cold
ingest per jobs setting, tagging included): pages per second.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import Config  # noqa: E402
from digest.ingest.readers.html import _extract, decode_html, page_blocks  # noqa: E402
from digest.ingest.seed import ingest_seed  # noqa: E402
from digest.markdown import plain_paragraphs  # noqa: E402

_TOKEN = re.compile(r"[^\W_]+")
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "math", "select"}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "button",
    "label",
}
_URL_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[/-](\d\d)[/-](\d\d)(?!\d)")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def grams(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def covered(line: list[str], body_grams: set, body_words: set) -> bool:
    """Half of the line's 3-grams (its words, for a short line) are in the other text."""
    if len(line) < 3:
        return bool(line) and all(word in body_words for word in line)
    mine = grams(line)
    return len(mine & body_grams) * 2 >= len(mine)


# ---------------------------------------------------------------- the page as a reader sees it


def visible_lines(html: str) -> Iterator[str]:
    """The page's visible text, one line per block element."""
    import lxml.html

    document = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    body = document.find("body")
    parts: list[str] = []

    def flush() -> Iterator[str]:
        line = " ".join("".join(parts).split())
        parts.clear()
        if line:
            yield line

    def walk(element) -> Iterator[str]:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        hidden = element.get("hidden") is not None or "display:none" in (element.get("style") or "").replace(" ", "")
        if not tag or tag in _SKIP or hidden:
            if element.tail:
                parts.append(element.tail)
            return
        if tag in _BLOCKS:
            yield from flush()
        if element.text:
            parts.append(element.text)
        for child in element:
            yield from walk(child)
        if tag in _BLOCKS:
            yield from flush()
        if element.tail:
            parts.append(element.tail)

    yield from walk(body if body is not None else document)
    yield from flush()


def stated(html: str) -> dict[str, str]:
    """What the page's own markup states: headline, author."""
    import lxml.html

    document = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    found: dict[str, str] = {}
    og = document.xpath("//meta[@property='og:title']/@content")
    h1 = [" ".join(e.text_content().split()) for e in document.iter("h1")]
    found["titles"] = "\n".join([*og[:1], *[h for h in h1 if h][:1]])
    found["site"] = " ".join(document.xpath("//meta[@property='og:site_name']/@content")[:1])
    authors = document.xpath("//meta[@name='author' or @property='article:author' or @name='byl']/@content")
    authors += [" ".join(e.text_content().split()) for e in document.xpath("//*[@itemprop='author' or @rel='author']")]
    for script in document.xpath("//script[@type='application/ld+json']/text()"):
        authors += re.findall(r'"author"\s*:\s*(?:\[\s*)?\{[^}]*?"name"\s*:\s*"([^"]+)"', script)
        authors += re.findall(r'"author"\s*:\s*"([^"]+)"', script)
    found["authors"] = "\n".join(a for a in authors if a.strip() and not a.startswith("http"))
    return found


# ---------------------------------------------------------------- one page


@dataclass
class Score:
    body_grams: int = 0
    kept_grams: int = 0
    chrome_words: int = 0
    chrome_dropped: int = 0
    chrome_lines: int = 0
    chrome_lines_dropped: int = 0

    def add(self, other: "Score") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def kept(self) -> float:
        return self.kept_grams / self.body_grams if self.body_grams else 1.0

    @property
    def dropped(self) -> float:
        return self.chrome_dropped / self.chrome_words if self.chrome_words else 1.0


@dataclass
class PageResult:
    sha: str
    url: str
    extractor: Score
    digest: Score
    lost_by_rules: int = 0  # body 3-grams trafilatura kept and digest lacks
    rejected: str = ""
    meta: dict[str, Optional[bool]] = field(default_factory=dict)  # None: the page states nothing to check


def score(output: str, lines: list[list[str]], body: list[str], headline: set[tuple[str, ...]]) -> tuple[Score, set]:
    out_words = tokens(output)
    out_grams, out_set = grams(out_words), set(out_words)
    body_grams, body_set = grams(body), set(body)
    result = Score(body_grams=len(body_grams), kept_grams=len(body_grams & out_grams))
    for line in lines:
        if tuple(line) in headline or covered(line, body_grams, body_set):
            continue
        result.chrome_words += len(line)
        result.chrome_lines += 1
        if not covered(line, out_grams, out_set):
            result.chrome_dropped += len(line)
            result.chrome_lines_dropped += 1
    return result, body_grams & out_grams


def one_page(sha: str, url: str, html_bytes: bytes, body_text: str, config: Config) -> PageResult:
    html = decode_html(html_bytes)
    marks = stated(html)
    headline = {tuple(tokens(t)) for t in marks["titles"].split("\n") if t}
    lines = [words for words in (tokens(line) for line in visible_lines(html)) if words]
    body = tokens(body_text)
    document = _extract(html, with_metadata=True)
    # read back through Markdown like digest's output, so that only what the rules removed tells them apart
    blocks = page_blocks(document.body, "") if document is not None and document.body is not None else ()
    alone = plain_paragraphs("\n\n".join(block.markdown for block in blocks))
    extractor, alone_grams = score(alone, lines, body, headline)
    outcome = ingest_seed(html_bytes, f"seeds/{sha}.html", config)
    article = outcome.article
    digest_text = plain_paragraphs(article.body) if article is not None else ""
    ours, our_grams = score(digest_text, lines, body, headline)
    result = PageResult(sha, url, extractor, ours, len(alone_grams - our_grams), outcome.rejected)
    result.meta = metadata(article, url, marks)
    return result


def title_keys(marks: dict[str, str]) -> list[list[str]]:
    """The headline as stated: og:title and <h1>, each also without the og:site_name it may start or end with."""
    site = tokens(marks["site"])
    keys = []
    for title in filter(None, marks["titles"].split("\n")):
        words = tokens(title)
        keys.append(words)
        if site and words[-len(site) :] == site and len(words) > len(site):
            keys.append(words[: -len(site)])
        if site and words[: len(site)] == site and len(words) > len(site):
            keys.append(words[len(site) :])
    return keys


def metadata(article, url: str, marks: dict[str, str]) -> dict[str, Optional[bool]]:
    stated_titles = title_keys(marks)
    url_date = _URL_DATE.search(url)
    authors = marks["authors"]
    found: dict[str, Optional[bool]] = {}
    found["title found"] = article is not None and bool(article.title)
    found["title as stated"] = (
        (article is not None and tokens(article.title) in stated_titles) if stated_titles else None
    )
    found["date found"] = article is not None and article.date is not None and not article.date_inferred
    found["date as in URL"] = (
        (
            article is not None
            and article.date is not None
            and article.date.isoformat()[:10] == "-".join(url_date.groups())
        )
        if url_date
        else None
    )
    author = str(article.extra.get("author", "")) if article is not None else ""
    found["author found"] = bool(author) if authors else None
    found["author as stated"] = (bool(author) and set(tokens(author)) <= set(tokens(authors))) if authors else None
    return found


# ---------------------------------------------------------------- the corpus


def load(root: Path, limit: Optional[int]) -> list[tuple[str, str, bytes, str]]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (
            sha,
            truth[sha]["url"],
            gzip.decompress((root / "html" / f"{sha}.html.gz").read_bytes()),
            truth[sha]["articleBody"],
        )
        for sha in sorted(truth)[:limit]
    ]


def report(results: list[PageResult], seconds: float) -> None:
    extractor, ours = Score(), Score()
    for result in results:
        extractor.add(result.extractor)
        ours.add(result.digest)
    lost = sum(r.lost_by_rules for r in results)
    trafilatura_kept = extractor.kept_grams
    print(f"{len(results)} pages, {seconds:.0f} s (extraction and ingest, one process)\n")
    print(f"{'':<22}{'article kept':>13}{'median/page':>12}{'chrome dropped':>15}{'lines':>8}{'median/page':>12}")
    for name, total, get in (
        ("trafilatura alone", extractor, lambda r: r.extractor),
        ("digest", ours, lambda r: r.digest),
    ):
        kept_median = statistics.median(get(r).kept for r in results)
        dropped_median = statistics.median(get(r).dropped for r in results)
        lines = total.chrome_lines_dropped / total.chrome_lines if total.chrome_lines else 1.0
        print(
            f"{name:<22}{total.kept:>12.1%}{kept_median:>12.1%}{total.dropped:>15.1%}{lines:>8.1%}{dropped_median:>12.1%}"
        )
    print(
        f"\narticle text trafilatura kept that digest's rules removed: {lost / trafilatura_kept if trafilatura_kept else 0:.2%}"
        f" ({lost} of {trafilatura_kept} 3-grams)"
    )
    worst = sorted((r for r in results if r.lost_by_rules), key=lambda r: -r.lost_by_rules)[:5]
    for r in worst:
        print(f"  {r.lost_by_rules:>5} 3-grams  {r.url}")
    rejected = [r for r in results if r.rejected]
    print(f"\npages refused: {len(rejected)}")
    for r in rejected:
        print(f"  {r.url}: {r.rejected}")
    print(f"\n{'metadata':<20}{'pages that state it':>20}{'right':>8}")
    for key in results[0].meta:
        checked = [r.meta[key] for r in results if r.meta[key] is not None]
        share = sum(1 for ok in checked if ok) / len(checked) if checked else 0.0
        print(f"{key:<20}{len(checked):>20}{share:>8.1%}")


def speed(pages: list[tuple[str, str, bytes, str]], jobs: list[int], repeat: int) -> None:
    from benchmarks.ingest_speed import run_once

    with tempfile.TemporaryDirectory(prefix="digest-html-speed-") as tmp:
        project = Path(tmp)
        (project / "seeds").mkdir()
        for sha, _, html, _ in pages:
            (project / "seeds" / f"{sha}.html").write_bytes(html)
        # pages per CPU-second: what one idle core gives, whatever else the machine is doing
        print(f"\n{'jobs':>4} {'pages':>6} {'seconds (runs)':>24} {'pages/s (runs)':>20} {'per CPU-s (runs)':>20}")
        for count in jobs:
            runs = [run_once(project, count) for _ in range(repeat)]
            seconds = " ".join(f"{row['seconds']:.1f}" for row in runs)
            rates = " ".join(f"{row['read'] / row['seconds']:.1f}" for row in runs)
            per_cpu = " ".join(f"{row['read'] / row['cpu']:.1f}" for row in runs)
            print(f"{count:>4} {runs[0]['read']:>6} {seconds:>24} {rates:>20} {per_cpu:>20}")


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the article-extraction-benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by sha)")
    parser.add_argument("--speed", action="store_true", help="also time a cold ingest of the pages as a project")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per jobs setting")
    args = parser.parse_args(argv)
    pages = load(args.corpus, args.limit)
    config = Config()
    start = time.perf_counter()
    results = [one_page(sha, url, html, body, config) for sha, url, html, body in pages]
    report(results, time.perf_counter() - start)
    if args.speed:
        speed(pages, args.jobs, args.repeat)


if __name__ == "__main__":
    main()
