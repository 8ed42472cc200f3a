"""content/: finding what each seed made before, telling untouched files from edited ones, writing safely.

A content file vouches for itself: `ingest_hash` is the sha256 of the file's text
without that line. If the text no longer matches, a person changed it and the
file is theirs; no cache is needed to know that, so deleting caches loses nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional

from ..model import (
    FENCE,
    Article,
    FrontMatterError,
    dump_article,
    dump_yaml,
    load_yaml_mapping,
    slugify,
    split_front_matter,
)

HASH_LENGTH = 16  # hex digits: plenty to tell an edit from an untouched file
SLUG_LENGTH = 80
_HASH_LINE = re.compile(r"^ingest_hash:[^\n]*\n", re.MULTILINE)
_SEED_HASH_LINE = re.compile(r"^seed_hash:\s*['\"]?(?P<hash>[0-9a-f]+)['\"]?\s*$", re.MULTILINE)
_ORIGIN_LINE = re.compile(r"^origin:\s*['\"]?(?P<origin>[^'\"\n]+)['\"]?\s*$", re.MULTILINE)


@dataclass
class ContentFile:
    path: Path
    origin: str
    seed_hash: str  # "" when the file does not say (or says it where it cannot be read)
    untouched: bool  # the text is exactly what ingest wrote
    url: str = ""  # the original article's address, where the file states one
    added: object = None  # its `added:` field as written (when the article entered the site), if any

    @property
    def identity(self) -> tuple[str, ...]:
        """The keys a copy of the same article elsewhere shares (see readers.base.RawArticle.identity)."""
        from .readers.base import identity_url

        entry = split_origin(self.origin)[1]
        keys = [f"entry:{entry}"] if entry else []
        return tuple(keys + [f"url:{identity_url(self.url)}"] if self.url else keys)


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


_ENTRY_SUFFIX = re.compile(rf"#([0-9a-f]{{{HASH_LENGTH}}})$")


def split_origin(origin: str) -> tuple[str, str]:
    """(the seed file, the entry's key or ""): a feed entry's origin is "seeds/world.xml#<key hash>";
    a seed whose own name holds a "#" is still one file."""
    match = _ENTRY_SUFFIX.search(origin)
    return (origin[: match.start()], match.group(1)) if match else (origin, "")


def _hash_line(text: str) -> Optional[re.Match[str]]:
    """Where the front matter's ingest_hash line is; None when there is none."""
    opening = FENCE.match(text)
    closing = FENCE.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    return _HASH_LINE.search(text[: closing.start()], opening.end())


def _without_hash_line(text: str) -> Optional[str]:
    """The text with its front matter's ingest_hash line removed; None when there is none."""
    match = _hash_line(text)
    return None if match is None else _replaced(text, match)


def _replaced(text: str, match: re.Match[str], by: str = "") -> str:
    return text[: match.start()] + by + text[match.end() :]


def render_content(article: Article) -> str:
    """The content file's text, carrying the hash of itself."""
    extra = {key: value for key, value in article.extra.items() if key != "ingest_hash"}
    # a placeholder in the line's final place
    text = dump_article(replace(article, extra={**extra, "ingest_hash": ""}))
    placeholder = _hash_line(text)
    assert placeholder is not None
    draft = _replaced(text, placeholder)
    # the same text with the hash in the placeholder's line, as YAML writes it (a hash of digits is quoted)
    line = dump_yaml({"ingest_hash": short_hash(draft.encode("utf-8"))})
    return _replaced(text, placeholder, line)


def is_untouched(text: str) -> bool:
    match = re.search(r"^ingest_hash:\s*['\"]?([0-9a-f]+)", text[: 256 * 1024], re.MULTILINE)
    rest = _without_hash_line(text)
    return match is not None and rest is not None and short_hash(rest.encode("utf-8")) == match.group(1)


def read_content_file(path: Path) -> Optional[ContentFile]:
    """What the file says it was made from; None for a file no seed made (or that cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        front, _ = split_front_matter(text)
        data = load_yaml_mapping(front)
        origin, seed_hash, url = data.get("origin"), data.get("seed_hash"), data.get("url")
        added = data.get("added")
    except FrontMatterError:
        # A broken edit still belongs to its seed: find its origin and seed lines by eye, and keep the file.
        head = text[: 256 * 1024]
        match, seed = _ORIGIN_LINE.search(head), _SEED_HASH_LINE.search(head)
        origin = match.group("origin").strip() if match else None
        return ContentFile(path, origin, seed.group("hash") if seed else "", False) if origin else None
    if not isinstance(origin, str) or not origin.strip():
        return None
    url = url.strip() if isinstance(url, str) else ""
    return ContentFile(path, origin.strip(), str(seed_hash or ""), is_untouched(text), url, added)


# file name → (its stamp, (origin, seed_hash, untouched, url, added) or None): what a scan found, so the next one reads
# only the files that changed since (plain tuples: the cache is read on every build)
Facts = dict[str, tuple[Any, Optional[tuple[str, str, bool, str, object]]]]


@dataclass
class ContentScan:
    by_origin: dict[str, ContentFile]  # origin → its content file (the first by name)
    taken: set[str]  # lower-cased names and stems of every file in content/
    facts: Facts


def scan_content(
    content_dir: Path, stamps: Optional[dict[str, Any]] = None, known: Optional[Facts] = None
) -> ContentScan:
    """What content/ holds. `stamps`: cache.input_stamps(content_dir), taken before; a file whose
    stamp is the one in `known` (an earlier scan's facts) is not read again."""
    scan = ContentScan({}, set(), {})
    if not content_dir.is_dir():
        return scan
    stamps, known = stamps or {}, known or {}
    for name in sorted(entry.name for entry in os.scandir(content_dir)):  # names: cheaper to sort than paths
        stem, dot, suffix = name.rpartition(".")
        scan.taken.add((stem if dot and stem else name).lower())
        scan.taken.add(name.lower())
        path = content_dir / name
        stamp, earlier = stamps.get(name), known.get(name)
        # a stamp says it is a regular file already
        if suffix != "md" or not dot or name.startswith(".") or (stamp is None and not path.is_file()):
            continue
        if stamp is not None and earlier is not None and earlier[0] == stamp:
            found = ContentFile(path, *earlier[1]) if earlier[1] is not None else None
        else:
            found = read_content_file(path)
        if stamp is not None:
            scan.facts[name] = (
                stamp,
                (found.origin, found.seed_hash, found.untouched, found.url, found.added) if found else None,
            )
        if found is not None and found.origin not in scan.by_origin:
            scan.by_origin[found.origin] = found
    return scan


def allocate_slug(title: str, origin: str, taken: set[str]) -> str:
    """A slug no other file uses, case-insensitively; a clash gets a suffix from the seed's own name."""
    base = slugify(title, max_length=SLUG_LENGTH)
    suffixed = f"{base[: SLUG_LENGTH - 7].rstrip('-')}-{short_hash(origin.encode('utf-8', 'surrogatepass'))[:6]}"
    candidates = itertools.chain([base, suffixed], (f"{suffixed}-{number}" for number in range(2, 10_000)))
    for slug in candidates:
        if slug.lower() not in taken and f"{slug}.md".lower() not in taken:
            taken.add(slug.lower())
            taken.add(f"{slug}.md".lower())
            return slug
    raise RuntimeError("no free slug")  # unreachable in practice: 10,000 clashes of one title and origin
