"""The project's static/ folder: the user's own files (CNAME, a verification file, PDFs,
pictures), copied into site/ as they are, at the same relative path.

Hidden files are published too (`.well-known/`, `.nojekyll`, `.htaccess` are what
hosts look for); only version-control folders, desktop clutter and editors' scratch
files are left out. A path the site makes itself (a page, a feed, the theme's
`static/style.css`) stays the site's: the static file is named in one line and not
copied, so links, feeds and the sitemap always describe the pages that are there.
"""

from __future__ import annotations

from pathlib import Path

from .cache import InputStamp, input_stamps
from .config import Config

_NEVER_PUBLISHED = {".git", ".hg", ".svn", ".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__"}
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo")


def is_published(name: str) -> bool:
    """Whether a file or folder of that name in static/ is copied into site/."""
    return not (name in _NEVER_PUBLISHED or name.startswith(("#", ".#")) or name.endswith(_SCRATCH_SUFFIXES))


def static_files(config: Config) -> dict[str, InputStamp]:
    """site-relative path → the stamp of its file in static/ (links to files followed)."""
    return input_stamps(config.static_dir, skip=lambda name: not is_published(name))


def static_source(config: Config, path: str) -> Path:
    return config.static_dir / path


def blocked_by_site(path: str, site_paths: set[str], site_folders: set[str]) -> bool:
    """A static path the site uses itself: the same file, a folder of its files, or a file above them."""
    if path in site_paths or path in site_folders:
        return True
    parts = path.split("/")
    return any("/".join(parts[:depth]) in site_paths for depth in range(1, len(parts)))


def folders_of(paths: set[str]) -> set[str]:
    """Every folder that holds one of the paths ("a/b/c.html" → "a", "a/b")."""
    folders: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return folders
