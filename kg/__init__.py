"""kg: a knowledge-graph builder for historical and international-relations texts.

    >>> import kg
    >>> result = kg.build(["sources"], out="output")
    >>> rows = kg.query("relations-by-year", out="output")
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"


def build(sources=("sources",), out="output", settings=None, **kwargs):
    """Build the graph from sources (files or folders) into ``out``; returns a ``BuildResult``."""
    from .builder import build as _build

    return _build(sources, out, settings, **kwargs)


def query(sparql_or_name: str, out="output", params: dict | None = None, **kwargs):
    """Run SPARQL (a string, a .rq path or a saved query's name) on a build's store."""
    from .sparql import run_query

    return run_query(Path(out) / "store", sparql_or_name, params=params or {}, **kwargs)


__all__ = ["__version__", "build", "query"]
