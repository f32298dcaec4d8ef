"""Shared fixtures: one real build of the bundled sources per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """The bundled sources built once (one process, so it is quick to start) into a temp folder."""
    from kg.builder import build
    from kg.settings import Settings

    out = tmp_path_factory.mktemp("corpus-build")
    result = build([SOURCES], out, Settings(n_process=1))
    return result
