"""Checks shared by the hostile-input tests: run the real CLI, and inspect a built site for anything that runs.

A built site runs one script, digest's own search box (static/search.js, loaded from
the site itself), so the rule is simple: no other <script>, no element that loads or
embeds active content, no `on*` handler, and no URL in any attribute whose scheme is
not http(s), mailto or relative — in the pages and in every HTML fragment the feeds carry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html

ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcset", "ping"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore these inside a scheme ("java\tscript:"), so a check must too.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f]")
BUILD_TIMEOUT = 240


def run_digest(*args: str, timeout: float = BUILD_TIMEOUT, **kwargs) -> subprocess.CompletedProcess:
    """`python -m digest ARGS` as a user runs it; a hang fails the test instead of stalling it.

    In a process group of its own, so a hang is ended with its worker processes: left running,
    they would slow every test after it (the suite runs in parallel on few cores).
    """
    command = [sys.executable, "-m", "digest", *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kwargs
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    done = subprocess.CompletedProcess(command, process.returncode, out, err)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    return done


def tree(root: Path) -> dict[str, str]:
    """Every path under root (symlinks not followed) → a hash of its bytes, or its kind."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[key] = "dir"
            elif path.is_file():
                try:
                    found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    found[key] = "unreadable"
            else:
                found[key] = "special"
    return found


def changed_paths(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def unsafe_url(value: str) -> bool:
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", value))
    return match is not None and match.group(1).lower() not in SAFE_SCHEMES


def active_content(root) -> list[str]:
    """What in a parsed HTML tree could run: empty for a safe tree."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ACTIVE_TAGS and not _search_script(element):
            found.append(f"<{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and any(unsafe_url(part) for part in value.split(",")):
                found.append(f"<{tag} {name}={value[:60]!r}>")
            if name == "style" and re.search(r"expression|javascript|url\s*\(", value, re.I):
                found.append(f"<{tag} style={value[:60]!r}>")
    return found


def _search_script(element) -> bool:
    """The site's own search script: an empty <script> whose src is the site's static/search.js."""
    source = element.get("src") or ""
    return (
        element.tag == "script"
        and not (element.text or "").strip()
        and set(element.attrib) == {"src", "defer"}
        and re.fullmatch(r"(\.\./)*static/search\.js|/[^:]*/static/search\.js|/static/search\.js", source) is not None
    )


def html_fragment_problems(fragment: str) -> list[str]:
    if not fragment.strip():
        return []
    return active_content(lxml.html.fragment_fromstring(fragment, create_parent="div"))


def site_problems(site: Path) -> list[str]:
    """Every way the built site could run script, or a feed be broken; empty for a good site."""
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        root = lxml.html.fromstring(page.read_bytes())
        problems += [f"{page.relative_to(site)}: {what}" for what in active_content(root)]
    for feed in sorted([*site.rglob("*.xml"), *site.rglob("*.atom")]):
        name = feed.relative_to(site).as_posix()
        data = feed.read_bytes()
        try:
            lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False))
        except lxml.etree.XMLSyntaxError as error:
            problems.append(f"{name}: not well-formed XML: {error}")
            continue
        if name in ("sitemap.xml",):
            continue
        parsed = feedparser.parse(data)
        if parsed.bozo:
            problems.append(f"{name}: feedparser bozo: {parsed.bozo_exception}")
        for entry in parsed.entries:
            for text in [entry.get("summary", "")] + [c.value for c in entry.get("content", [])]:
                problems += [f"{name}: {what}" for what in html_fragment_problems(text)]
            if unsafe_url(entry.get("link", "")):
                problems.append(f"{name}: entry link {entry.get('link')!r}")
    for feed in sorted(site.rglob("*.json")):
        document = json.loads(feed.read_text(encoding="utf-8"))
        for item in document.get("items", []) if isinstance(document, dict) else []:
            problems += [f"{feed.relative_to(site)}: {w}" for w in html_fragment_problems(item.get("content_html", ""))]
    return problems


def sitemap_pages(site: Path, base_url: str = "http://127.0.0.1:8000/") -> list[str]:
    """Site-relative files of the pages the sitemap lists ("archive/" → "archive/index.html")."""
    root = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    pages = []
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        assert loc.text.startswith(base_url), loc.text
        path = loc.text[len(base_url) :]
        pages.append(path + "index.html" if path == "" or path.endswith("/") else path)
    return pages


def page_text(path: Path) -> str:
    return lxml.html.fromstring(path.read_bytes()).text_content()
