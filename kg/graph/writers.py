"""Write a dataset to files: Turtle, TriG, N-Quads, JSON-LD.

All through pyoxigraph's serialisers (rdflib's take about 40 s for a million triples, pyoxigraph
under one), in the order the quads come (``statement_quads`` gives a fixed order), with a fixed
prefix table, and atomically: each file is written beside its target and moved over it only once
complete, so an interrupted build never leaves a half-written graph.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from ..errors import ExportError
from ..settings import Settings
from ..vocab import PREFIXES
from .dataset import data_prefixes

# file suffix -> (format, whether the format keeps named graphs)
FORMATS: dict[str, tuple[RdfFormat, bool]] = {
    "ttl": (RdfFormat.TURTLE, False),
    "trig": (RdfFormat.TRIG, True),
    "nq": (RdfFormat.N_QUADS, True),
    "nt": (RdfFormat.N_TRIPLES, False),
    "jsonld": (RdfFormat.JSON_LD, True),
}


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Run ``write`` on a temporary file in ``path``'s folder, then move it over ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.", "Check the folder exists and is writable.") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); outputs are meant to be read and published
        os.chmod(tmp_name, 0o666 & ~_current_umask())
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.",
                              "Check the disk has space and the folder is writable.") from exc
        raise
    return path


def _prefixes(extra: Mapping[str, str] | None) -> dict[str, str]:
    """Ontology prefixes plus ``extra``; without ``extra``, the data prefixes of the configured base IRI."""
    merged = dict(PREFIXES)
    merged.update(extra if extra is not None else data_prefixes(Settings().base_iri))
    return dict(sorted(merged.items()))


def merged_triples(quads: Iterable[Quad]) -> list[Triple]:
    """The triples of every graph, named graphs merged, first occurrence order, no repeats."""
    return list(dict.fromkeys(q.triple for q in quads))


def _write(quads: Sequence[Quad], path: Path, fmt: RdfFormat, keeps_graphs: bool,
           prefixes: Mapping[str, str] | None) -> Path:
    data = list(quads) if keeps_graphs else merged_triples(quads)
    use_prefixes = _prefixes(prefixes) if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None

    def write(fh: IO[bytes]) -> None:
        serialize(data, fh, fmt, prefixes=use_prefixes)

    return atomic_write(Path(path), write)


def write_turtle(quads: Sequence[Quad], path: Path, prefixes: Mapping[str, str] | None = None) -> Path:
    """All triples, named graphs merged (Turtle has no graphs; TriG and N-Quads keep them)."""
    return _write(quads, path, RdfFormat.TURTLE, False, prefixes)


def write_trig(quads: Sequence[Quad], path: Path, prefixes: Mapping[str, str] | None = None) -> Path:
    return _write(quads, path, RdfFormat.TRIG, True, prefixes)


def write_nquads(quads: Sequence[Quad], path: Path) -> Path:
    return _write(quads, path, RdfFormat.N_QUADS, True, None)


def write_ntriples(quads: Sequence[Quad], path: Path) -> Path:
    return _write(quads, path, RdfFormat.N_TRIPLES, False, None)


def write_jsonld(quads: Sequence[Quad], path: Path) -> Path:
    """Expanded JSON-LD with one ``@graph`` per source (pyoxigraph writes no ``@context``)."""
    return _write(quads, path, RdfFormat.JSON_LD, True, None)


def write_outputs(quads: Sequence[Quad], out_dir: Path, stem: str = "graph",
                  formats: Sequence[str] = ("ttl", "trig", "nq"),
                  prefixes: Mapping[str, str] | None = None) -> dict[str, Path]:
    """Write ``out_dir/stem.{format}`` for each format; returns the paths written, by format."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"Unknown graph format(s): {', '.join(unknown)}.",
                          f"Choose among: {', '.join(FORMATS)}.")
    written = {}
    for suffix in formats:
        fmt, keeps_graphs = FORMATS[suffix]
        written[suffix] = _write(quads, Path(out_dir) / f"{stem}.{suffix}", fmt, keeps_graphs, prefixes)
    return written
