"""What each file in seeds/ is, and whether a build reads it: one table.

Every file in seeds/ is either read or named in one line with the reason it is
not (`seeds/report.docx: skipped: Word documents are not read; save it as text`);
nothing is passed over without a word. A file's kind comes from its suffix when
the table knows the suffix, and otherwise from its first bytes, so a page saved
without a suffix, or a PDF called `story`, is still recognised. Two sorts of
names are ignored silently, as every static site generator does: hidden files
(`.DS_Store`, `.gitkeep`) and editors' scratch files (`x.txt~`, `#x.txt#`, vim's
`4913`), which are never articles and come and go on every save.

The kinds read here (text, HTML pages, feeds, JSON Feeds, Markdown notes) go to
`readers/`, which tells them apart again by content: a page saved as `.txt` is
read as a page, whatever this table guessed from its name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .decode import _MAGIC


@dataclass(frozen=True)
class SeedKind:
    name: str
    suffixes: tuple[str, ...] = ()
    reason: str = ""  # why a file of this kind is not read ("" when it is read)

    @property
    def read(self) -> bool:
        return not self.reason


TEXT = SeedKind("text", (".txt", ".text"))
HTML = SeedKind("HTML page", (".html", ".htm", ".xhtml", ".shtml"))
FEED = SeedKind("feed", (".xml", ".rss", ".atom", ".rdf"))
JSON = SeedKind("JSON file", (".json",))  # a JSON Feed is read; other JSON is refused by the reader, with why
MARKDOWN = SeedKind("Markdown note", (".md", ".markdown", ".mdown"))
WORD = SeedKind("Word document", (".docx", ".doc", ".docm", ".dotx"), "Word documents are not read; save it as text")
FOLDER = SeedKind("folder", (), "folders in seeds/ are not read; move the articles into seeds/ itself")
NOT_A_FILE = SeedKind("special file", (), "not a regular file")

KINDS: tuple[SeedKind, ...] = (
    TEXT,
    HTML,
    FEED,
    JSON,
    MARKDOWN,
    WORD,
    SeedKind("OpenDocument text", (".odt", ".ott"), "OpenDocument files are not read; save it as text"),
    SeedKind("rich text", (".rtf",), "RTF files are not read; save it as text"),
    SeedKind("PDF document", (".pdf",), "PDF documents are not read; copy the article's text into a .txt file"),
    SeedKind("e-book", (".epub", ".mobi", ".azw3"), "e-books are not read; copy the article's text into a .txt file"),
    SeedKind("spreadsheet", (".xlsx", ".xls", ".ods", ".csv", ".tsv"), "spreadsheets are not articles"),
    SeedKind("slides", (".pptx", ".ppt", ".odp", ".key"), "slides are not articles"),
    SeedKind("e-mail", (".eml", ".msg", ".mbox"), "e-mails are not read; save the article's text as a .txt file"),
    SeedKind(
        "saved web page",
        (".mhtml", ".mht", ".webarchive", ".warc"),
        "saved web pages are not read; save the article as text (.txt)",
    ),
    SeedKind(
        "image",
        (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".heic", ".avif", ".tif", ".tiff", ".bmp"),
        "images are not articles; put pictures in static/ to publish them",
    ),
    SeedKind(
        "audio or video",
        (".mp3", ".m4a", ".wav", ".ogg", ".mp4", ".mov", ".webm", ".mkv"),
        "audio and video files are not articles",
    ),
    SeedKind(
        "archive",
        (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar"),
        "archives are not read; unpack the articles into seeds/",
    ),
)
_BY_SUFFIX = {suffix: kind for kind in KINDS for suffix in kind.suffixes}
_BY_NAME = {kind.name: kind for kind in KINDS}

SNIFF_BYTES = 4096
# What a file's first bytes say, for a name the table does not know.
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b")
_BINARY = {
    "PDF document": "PDF document",
    "zip archive": "archive",
    "gzip archive": "archive",
    "bzip2 archive": "archive",
    "7-zip archive": "archive",
    "xz archive": "archive",
    "Office document": "Word document",
    "PNG image": "image",
    "JPEG image": "image",
    "GIF image": "image",
}

# Editors' and tools' scratch files: vim's 4913 probe and .swp, emacs' #autosave#, backups~, partial downloads.
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")
_SCRATCH_NAMES = {"4913"}


def is_scratch(name: str) -> bool:
    """Dotfiles (digest's own .tmp-* included), swap files and backups: never inputs."""
    return name.startswith((".", "#")) or name.endswith(_SCRATCH_SUFFIXES) or name in _SCRATCH_NAMES


def kind_of(path: Path) -> SeedKind:
    """The kind of one entry of seeds/: by its suffix, else by its first bytes."""
    known = _BY_SUFFIX.get(path.suffix.lower())
    if known is TEXT:
        return TEXT  # meant to be read: the text reader says why it cannot be (a folder, a pipe, a dead link)
    try:
        if path.is_dir():
            return FOLDER
        if not path.is_file():
            return NOT_A_FILE
    except OSError:
        return TEXT
    if known is not None:
        return known
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return TEXT
    return sniff(head)


def sniff(head: bytes) -> SeedKind:
    """A kind from a file's first bytes; text (which the text reader may still refuse) when nothing else fits."""
    for magic, described in _MAGIC:
        if head.startswith(magic):
            return _by_magic(described, head)
    if head.lstrip().startswith(b"{\\rtf"):
        return _BY_NAME["rich text"]
    if _HTML_START.match(head):
        return HTML
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") and _FEED_ROOT.search(head):
        return FEED
    if head.lstrip().startswith(b"{") and b"jsonfeed.org" in head:
        return JSON
    return TEXT


def _by_magic(described: str, head: bytes) -> SeedKind:
    if described == "zip archive":  # Office and OpenDocument files are zips: their first entry tells them apart
        if b"word/" in head or b"[Content_Types].xml" in head:
            return WORD
        if b"opendocument.text" in head:
            return _BY_NAME["OpenDocument text"]
    name = _BINARY.get(described)
    if name is not None:
        return _BY_NAME[name]
    return SeedKind(described, (), f"a {described} is not an article")


@dataclass(frozen=True)
class SeedScan:
    read: list[tuple[str, str, SeedKind]]  # (path, origin, kind) of every seed to read, sorted by name
    skipped: list[str]  # one line per entry that is not read: "seeds/x.docx: skipped: …"


def scan_seeds(folder: Path, prefix: str) -> SeedScan:
    """Every entry of seeds/ (not recursive), each either to read or named with the reason it is not.

    `prefix`: how messages and origins name the folder ("seeds/").
    """
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if not is_scratch(entry.name))
    except (FileNotFoundError, NotADirectoryError):
        return SeedScan([], [])
    except OSError as error:
        return SeedScan([], [f"{prefix}: cannot read the folder: {error.strerror or error}"])
    read: list[tuple[str, str, SeedKind]] = []
    skipped: list[str] = []
    for name in names:
        # A text seed is known by its name alone: no Path is made for it (ten thousand add up on every build).
        kind = TEXT if _BY_SUFFIX.get(os.path.splitext(name)[1].lower()) is TEXT else kind_of(folder / name)
        if kind.read:
            read.append((os.path.join(folder, name), prefix + name, kind))
        else:
            shown = prefix + name + ("/" if kind is FOLDER else "")
            skipped.append(f"{shown}: skipped: {kind.reason}")
    return SeedScan(read, skipped)
