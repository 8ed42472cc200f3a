"""Imported by the fork server ingest's workers start from (digest.workers): the models ingest
reads, loaded once there, and the code that reads seeds, so that every worker begins with them
(and shares their memory) instead of loading them itself. Not for importing anywhere else."""

from __future__ import annotations

from . import seed  # noqa: F401  (what a worker runs)
from .chrome import default_model
from .nlp import load_model

load_model()
default_model()
