"""Files a build makes while it plans (feeds, digests.json, the search index), held until the
output step writes them into site/.

Most are small and stay in memory. The search index is not: about 6 kB an article, so
hundreds of megabytes for a large archive, which the main process would hold through the
whole render. Its files are spilled into one unnamed temporary file beside the cache as
they are made, and read back one at a time when written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO, Iterator, Mapping, MutableMapping, Optional


class MadeFiles(MutableMapping[str, bytes]):
    """Site path → bytes; `spill` puts files on disk instead of in memory. Use as a context
    manager: the spool file is gone when the block ends (or the process does)."""

    def __init__(self, spool_dir: Path) -> None:
        self._spool_dir = spool_dir
        self._memory: dict[str, bytes] = {}
        self._spilled: dict[str, tuple[int, int]] = {}  # path → (offset, size) in the spool
        self._spool: Optional[IO[bytes]] = None

    def __enter__(self) -> "MadeFiles":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._spilled.clear()

    def spill(self, files: Mapping[str, bytes]) -> None:
        spool = self._open_spool()
        if spool is None:  # no place on disk: kept in memory, as before
            self.update(files)
            return
        spool.seek(0, 2)
        for path, data in files.items():
            self._spilled[path] = (spool.tell(), len(data))
            self._memory.pop(path, None)
            spool.write(data)

    def _open_spool(self) -> Optional[IO[bytes]]:
        if self._spool is None:
            try:
                self._spool_dir.mkdir(parents=True, exist_ok=True)
                self._spool = tempfile.TemporaryFile(prefix=".tmp-made-", dir=self._spool_dir)
            except OSError:
                return None
        return self._spool

    def __getitem__(self, path: str) -> bytes:
        if path in self._memory:
            return self._memory[path]
        offset, size = self._spilled[path]
        assert self._spool is not None, "read after the block ended"
        self._spool.seek(offset)
        return self._spool.read(size)

    def __setitem__(self, path: str, data: bytes) -> None:
        self._spilled.pop(path, None)
        self._memory[path] = data

    def __delitem__(self, path: str) -> None:
        if self._memory.pop(path, None) is None:
            del self._spilled[path]

    def __iter__(self) -> Iterator[str]:
        yield from self._memory
        yield from (path for path in self._spilled if path not in self._memory)

    def __len__(self) -> int:
        return len(self._memory) + len(self._spilled)
