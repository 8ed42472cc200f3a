"""The build cache: derived state in `.digest-cache/`, safe to delete at any time.

Every entry is stored with the key it was made under (a fingerprint of the code
and settings that made it); an entry under another key, or one that cannot be
read, is simply absent: a cache problem costs time, never a wrong build.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Optional

from .model import atomic_write

_UNREADABLE = (OSError, EOFError, pickle.PickleError, ValueError, TypeError, AttributeError, ImportError, IndexError)


def read_entry(path: Path, key: str) -> Optional[Any]:
    try:
        with open(path, "rb") as handle:
            saved_key, value = pickle.load(handle)
    except _UNREADABLE:
        return None
    return value if saved_key == key else None


def write_entry(path: Path, key: str, value: Any) -> None:
    try:
        atomic_write(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
