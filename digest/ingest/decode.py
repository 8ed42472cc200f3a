"""A seed file's bytes → clean text, or a one-line reason why not.

Scraped text arrives in any encoding and with any junk in it; everything that
cannot become an article is refused here with a reason a user can act on,
before any other rule sees it.
"""

from __future__ import annotations

import codecs
import html
import html.entities
import re
import unicodedata
from pathlib import Path
from typing import Union

from .pagetext import is_document, page_text

# A news article is a few KB; 10 MB of text is not an article but a mistake.
MAX_SEED_BYTES = 10 * 1024 * 1024

_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"RIFF", "RIFF media file"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"7z\xbc\xaf", "7-zip archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "executable"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"SQLite format 3", "SQLite database"),
)

_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0/C1 controls other than tab and newline, and the bidi embedding/override marks that
# can make a line display differently from what it says.
_JUNK_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\u00ad]")

# Markup a text seed may carry from a page it was copied from. Only HTML's own element
# names count as tags, so "if a<b and c>d" in an article is text, not a tag.
_BLOCK_ELEMENTS = (
    "address|article|aside|blockquote|body|br|caption|center|dd|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_INLINE_ELEMENTS = (
    "a|abbr|audio|b|bdi|bdo|button|cite|code|del|dfn|em|font|i|iframe|img|input|ins|kbd|label|link|mark|meta|"
    "option|path|picture|q|s|samp|select|small|source|span|strong|sub|sup|svg|textarea|time|u|var|video|wbr"
)
# A tag has no attributes or at least one name=value pair: "<b and c>" is not a tag.
_TAG_REST = r"(?:\s+[^<>=]*=[^<>]*)?\s*/?>"
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_ELEMENTS}){_TAG_REST}", re.IGNORECASE)
_MARKUP = (
    rf"</?(?:{_BLOCK_ELEMENTS}|{_INLINE_ELEMENTS}){_TAG_REST}"
    r"|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>"
    r"|<!--.*?-->|<!DOCTYPE[^>]*>|<\?xml[^>]*>"
)
_ANY_MARKUP = re.compile(_MARKUP, re.IGNORECASE)
_TAG_START = re.compile(
    rf"</?(?:{_BLOCK_ELEMENTS}|{_INLINE_ELEMENTS}|script|style|noscript|template){_TAG_REST}|<!--|<!DOCTYPE",
    re.IGNORECASE,
)
# Only references with their semicolon: "AT&T" or "Barnes&noble" are text, never "&not".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ENTITY_PASSES = 3  # "&amp;#39;" was escaped twice on its way through a CMS and a scraper


class Rejected(Exception):
    """A seed that cannot become an article; str(error) is the reason."""


def read_seed(path: Path, seeds_dir: Path) -> bytes:
    """The seed's bytes, or Rejected: symlinks out of seeds/, unreadable, or too big."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(seeds_dir.resolve()):
                raise Rejected("symlink points outside the seeds folder")
        if not path.is_file():
            raise Rejected("not a regular file")
        # Check the size first: a 50 MB file must not be read into memory to be refused.
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            raise Rejected(f"too large ({_megabytes(size)}; the limit is {_megabytes(MAX_SEED_BYTES)})")
        with path.open("rb") as handle:
            data = handle.read(MAX_SEED_BYTES + 1)
    except PermissionError:
        raise Rejected("cannot read: permission denied") from None
    except OSError as error:
        raise Rejected(f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_SEED_BYTES:  # it grew while we looked
        raise Rejected(f"too large (the limit is {_megabytes(MAX_SEED_BYTES)})")
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def decode(data: Union[bytes, str]) -> str:
    """Text with normalised newlines, spaces and Unicode; Rejected when it is not text."""
    text = data if isinstance(data, str) else _decode_bytes(data)
    text = clean_text(remove_html_residue(text))
    if not text.strip():
        raise Rejected("empty file" if not data else "no text (whitespace only)")
    return text


def decode_markup(data: bytes) -> str:
    """The bytes as text, like decode(), with any markup kept: for the readers that parse it (pages, notes)."""
    text = clean_text(_decode_bytes(data))
    if not text.strip():
        raise Rejected("no text (whitespace only)")
    return text


def _decode_bytes(data: bytes) -> str:
    if not data:
        raise Rejected("empty file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise Rejected(f"binary file ({kind})")
    for bom in _UTF16_BOMS:
        if data.startswith(bom):
            encoding = {2: "utf-16", 4: "utf-32"}[len(bom)]
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Rejected(f"undecodable text (starts like {encoding.upper()} but is not)") from None
    if b"\x00" in data:
        raise Rejected("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return _guess_legacy(data)


def _guess_legacy(data: bytes) -> str:
    """Not UTF-8: most often Windows-1252 or Latin-1 from an old scraper."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else None
    if encoding is None:
        raise Rejected("undecodable text (not UTF-8, and no other encoding fits)")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise Rejected("undecodable text (not UTF-8, and no other encoding fits)") from None
    if _control_ratio(text) > 0.02:
        raise Rejected("binary file (not text in any encoding)")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / len(sample)


def remove_html_residue(text: str) -> str:
    """Text with the HTML a copy-and-paste or a naive scraper left in it undone, entities decoded.
    Only a text that carries page structure (a paragraph, heading, line-break or division tag) is
    read as HTML (pagetext: blocks and the text's own line breaks become lines; scripts, styles,
    navigation and footers go); in any other text ("the note read <script>…</script> and the clerk
    kept it") markup is what the writer quotes and stays, to be shown as text. A whole saved page
    is read as a page."""
    if is_document(text):
        return decode_entities(page_text(text))  # entities escaped twice on the way
    if "<" in text and _BLOCK_TAG.search(text):
        text = page_text(_escape_stray_brackets(text), keep_newlines=True)
    return decode_entities(text)


def _escape_stray_brackets(text: str) -> str:
    """ "if a<b and c>d" stays text when the rest is read as HTML: only a "<" that opens a tag by
    HTML's grammar is markup."""
    return re.sub("<", lambda m: "<" if _TAG_START.match(text, m.start()) else "&lt;", text)


def strip_tags(text: str) -> str:
    """Every tag out, for metadata (a title, a tag) that must never carry markup."""
    return " ".join(_ANY_MARKUP.sub(" ", decode_entities(text)).split()) if "<" in text or "&" in text else text


def decode_entities(text: str) -> str:
    """ "Chipmaker&#39;s", "Apple &amp; Google", "&amp;#8217;" → the characters they stand for."""
    for _ in range(_ENTITY_PASSES):
        if "&" not in text:
            break
        decoded = _ENTITY.sub(_entity_text, text)
        if decoded == text:
            break
        text = decoded
    return text


def _entity_text(match: re.Match) -> str:
    """A reference's character; an unknown name ("&notanentity;") stays as written, not "¬anentity;"."""
    reference = match.group(0)
    if reference[1] == "#":
        return html.unescape(reference)
    return html.entities.html5.get(reference[1:], reference)


def clean_text(text: str) -> str:
    """NFC, \\n newlines, one plain space for every kind of space, no invisible junk."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _JUNK_CHARS.sub("", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))
