"""How ingest's titles read: headlines found in page dumps, and headlines written from a lead.

    python benchmarks/title_quality.py [--bbc PATH] [--pages PATH] [--limit N]

--bbc: a folder of articles with the headline on the first line (the BBC News corpus).
Each article is ingested twice: as it is (is the stated headline found?) and with
its headline dropped (how does the generated one read?).

--pages: the article-extraction benchmark (html/*.html.gz). Each page is turned into
text as a naive scraper would hand it over (one block per line, scripts and styles
dropped), from its <article>/<main> element and from its whole <body>, and also handed
over whole, markup and all, as a .txt seed (a saved page); the title
ingest finds is compared with the page's <h1> (and <title>).

Printed per set: titles stated/generated, matches with the real headline, the length
of generated titles (median, 90th percentile, max, share ≤ 90 characters) and the
share that read as fragments (ending on a function word or a possessive, an
unclosed quote or bracket, or cut with an ellipsis). The fragment count is a lower
bound: a title that stops before a verb's object ("has denied a report") reads
whole to these rules; read a sample with --show.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import re
import statistics
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.config import Config
from digest.ingest.decode import decode
from digest.ingest.normalise import normalise
from digest.ingest.title import TITLE_CHARS

CORPORA = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "corpora"
FUNCTION_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "and",
    "or",
    "but",
    "as",
    "that",
    "which",
    "who",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "its",
    "their",
    "his",
    "her",
    "this",
    "than",
    "into",
    "about",
    "if",
    "while",
    "after",
    "before",
    "because",
    "not",
    "among",
    "between",
    "against",
    "over",
    "under",
    "through",
    "during",
    "without",
    "within",
    "towards",
    "toward",
    "across",
    "despite",
    "amid",
    "like",
    "per",
    "via",
}
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "td",
    "th",
    "dt",
    "dd",
    "pre",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "ul",
    "ol",
    "table",
    "tr",
    "figure",
    "main",
}
DROPPED = {"script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select"}


@dataclass
class Tally:
    name: str
    articles: int = 0
    stated: int = 0
    matches: int = 0  # the real headline, exactly (case and spacing aside)
    close: int = 0  # or nearly (similarity ≥ 0.8)
    lengths: list[int] = field(default_factory=list)  # of generated titles
    fragments: list[str] = field(default_factory=list)

    def add(self, title: str, stated: bool, expected: list[str]) -> None:
        self.articles += 1
        self.stated += stated
        wanted = [_normal(text) for text in expected if text]
        if wanted:
            self.matches += _normal(title) in wanted
            self.close += max(difflib.SequenceMatcher(None, _normal(title), text).ratio() for text in wanted) >= 0.8
        if not stated:
            self.lengths.append(len(title))
            if is_fragment(title):
                self.fragments.append(title)

    def row(self) -> str:
        lengths = sorted(self.lengths) or [0]
        p90 = lengths[int(0.9 * (len(lengths) - 1))]
        within = sum(length <= TITLE_CHARS for length in self.lengths)
        generated = len(self.lengths)
        share = f"{100 * within / generated:.1f}%" if generated else "-"
        fragments = f"{len(self.fragments)} ({100 * len(self.fragments) / generated:.1f}%)" if generated else "-"
        return (
            f"{self.name:<28} {self.articles:>6} {self.stated:>6} {self.matches:>7} {self.close:>6} {generated:>6} "
            f"{statistics.median(lengths):>6.0f} {p90:>5} {max(lengths):>5} {share:>7} {fragments:>12}"
        )


HEADER = (
    f"{'set':<28} {'titles':>6} {'stated':>6} {'= real':>7} {'≈ real':>6} {'gen.':>6} "
    f"{'median':>6} {'p90':>5} {'max':>5} {'≤ 90':>7} {'fragments':>12}"
)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[‘’'“”\"]", "'", text).casefold().split())


def is_fragment(title: str) -> bool:
    """A title that stops mid-phrase: on a function word, inside a quote or bracket, or with an ellipsis."""
    words = title.split()
    if not words or words[-1].lower().strip(",;:") in FUNCTION_WORDS or title.endswith(("…", ",", ";", ":")):
        return True
    if re.search(r"[’']s$", words[-1]):  # "…, USA Track & Field's"
        return True
    return title.count("(") != title.count(")") or title.count('"') % 2 == 1 or title.count("“") != title.count("”")


def ingest_title(text: str, name: str) -> tuple[str, bool]:
    """(title, whether the text stated it) for one article text."""
    normalised = normalise(decode(text), f"seeds/{name}.txt", Config())
    return normalised.article.title, normalised.title_stated


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the BBC corpus has a latin-1 file
        return data.decode("latin-1")


def bbc_rows(root: Path, limit: int) -> Iterator[Tally]:
    kept, dropped = Tally("BBC, headline kept"), Tally("BBC, headline dropped")
    for path in sorted(root.glob("*.txt"))[:limit]:
        headline, _, body = read_text(path).strip().partition("\n")
        title, stated = ingest_title(f"{headline}\n\n{body.strip()}", path.stem)
        kept.add(title, stated, [headline.strip()])
        title, stated = ingest_title(body.strip(), path.stem)
        dropped.add(title, stated, [headline.strip()])
    yield kept
    yield dropped


def page_text(html: bytes, scope: str) -> tuple[str, list[str]]:
    """(the page as scraper text, its real headlines: <h1> texts and the <title>)."""
    import lxml.html

    root = lxml.html.fromstring(_html_text(html))
    for element in root.iter(*DROPPED):
        element.drop_tree()
    headlines = [" ".join(h.text_content().split()) for h in root.iter("h1")]
    titles = root.findall(".//title")
    if titles:
        headlines.append(" ".join(titles[0].text_content().split()))
    container = (
        root.find(".//body")
        if scope == "body"
        else next(
            (found for tag in ("article", "main") if (found := root.find(f".//{tag}")) is not None),
            root.find(".//body"),
        )
    )
    if container is None:
        return "", headlines
    return "\n".join(_blocks(container)), headlines


def _html_text(html: bytes) -> str:
    """The page's characters: UTF-8 when it is, else what its bytes look like (charset-normalizer)."""
    try:
        text = html.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(html).best()
        text = str(best) if best is not None else html.decode("latin-1")
    return re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding


def _blocks(element) -> Iterator[str]:
    """Text of each block that holds no other block: one line per paragraph, heading or list item."""
    for block in element.iter(*BLOCKS):
        if any(child.tag in BLOCKS for child in block.iterdescendants()):
            own = " ".join((block.text or "").split())  # text directly inside a wrapper still shows
            if own:
                yield own
            continue
        text = " ".join(block.text_content().split())
        if text:
            yield text


def page_rows(root: Path, limit: int) -> Iterator[Tally]:
    names = {"article": "pages, <article>/<main>", "body": "pages, <body> text", "html": "pages saved as .txt"}
    for scope, name in names.items():
        tally = Tally(name)
        for path in sorted((root / "html").glob("*.html.gz"))[:limit]:
            html = gzip.decompress(path.read_bytes())
            text, headlines = page_text(html, scope)
            if scope == "html":  # the whole page, markup and all, as a text seed
                text = _html_text(html)
            if not text.strip():
                continue
            title, stated = ingest_title(text, path.name.split(".")[0])
            tally.add(title, stated, headlines)
        yield tally


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc", type=Path, default=CORPORA / "bbc-news")
    parser.add_argument("--pages", type=Path, default=CORPORA / "article-extraction-benchmark")
    parser.add_argument("--limit", type=int, default=100_000, help="articles per corpus")
    parser.add_argument("--show", type=int, default=0, help="print this many fragments per set")
    args = parser.parse_args(argv)
    tallies: list[Tally] = []
    print(HEADER)
    for rows in (
        bbc_rows(args.bbc, args.limit) if args.bbc.is_dir() else iter(()),
        page_rows(args.pages, args.limit) if args.pages.is_dir() else iter(()),
    ):
        for tally in rows:
            print(tally.row(), flush=True)
            tallies.append(tally)
    for tally in tallies:
        for title in tally.fragments[: args.show]:
            print(f"  {tally.name}: {title}")


if __name__ == "__main__":
    main()
