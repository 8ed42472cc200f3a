"""Inputs that once crashed digest (tests/hostile/regressions/, see its README): now one clear line each.

Each is read in a child process, so a regression that crashes the interpreter
(libyaml's recursion segfaulted) fails this test instead of killing the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REGRESSIONS = Path(__file__).parent / "hostile" / "regressions"

READ = """
import json, sys
from pathlib import Path
from digest.config import ConfigError, load_config, CONFIG_FILE
from digest.model import FrontMatterError, read_article
path = Path(sys.argv[1])
try:
    if path.suffix == ".md":
        read_article(path)
    else:
        root = Path(sys.argv[2])
        (root / CONFIG_FILE).write_bytes(path.read_bytes())
        load_config(root)
except (FrontMatterError, ConfigError) as error:
    print(json.dumps({"refused": str(error)}))
else:
    print(json.dumps({"refused": None}))
"""


@pytest.mark.parametrize(
    "path",
    sorted(p for p in REGRESSIONS.iterdir() if p.suffix in (".md", ".yaml") and p.name != "README.md"),
    ids=lambda p: p.name,
)
def test_a_past_crash_is_now_refused_with_one_line(path: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    refused = json.loads(done.stdout)["refused"]
    assert refused and "\n" not in refused and len(refused) < 300
