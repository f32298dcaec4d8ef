"""The embedded Oxigraph store a build leaves in its output folder, for SPARQL.

A store is a folder (RocksDB files). ``load_quads`` never edits a store in place: it bulk-loads
a fresh one beside the old and swaps the folders, so a failed or interrupted build leaves the
previous store whole, and a reader never sees half a graph. Queries open the store read-only.
Any other SPARQL 1.1 store can serve the same data: load the build's ``graph.nq`` or ``graph.trig``.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import DefaultGraph, Quad, Store

from .errors import ExportError, OutputMissingError

STORE_DIRNAME = "store"


def store_exists(path: Path) -> bool:
    """Whether ``path`` looks like an Oxigraph store folder (RocksDB keeps a CURRENT file)."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def open_store(path: Path, read_only: bool = False) -> Store:
    """Open the store at ``path``; read-only stores must exist, writable ones are created."""
    path = Path(path)
    if read_only:
        if not store_exists(path):
            raise OutputMissingError(f"No graph store at {path}.")
        try:
            return Store.read_only(str(path))
        except OSError as exc:
            raise OutputMissingError(f"The graph store at {path} cannot be opened: {exc}.",
                                     "Rebuild it with `kg build`.") from exc
    try:
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(path))
    except OSError as exc:
        raise ExportError(f"Cannot open the graph store at {path} for writing: {exc}.",
                          "Another process may hold it open; close it and retry.") from exc


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def load_quads(store_path: Path, quads: Iterable[Quad]) -> int:
    """Replace the whole content of the store at ``store_path`` with ``quads``; returns the quad count.

    The new store is bulk-loaded in a sibling folder and renamed over the old one, so the old
    store stays intact until the new one is complete.
    """
    store_path = Path(store_path)
    parent = store_path.parent
    staging = parent / f".{store_path.name}.loading-{os.getpid()}"
    retired = parent / f".{store_path.name}.old-{os.getpid()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_tree(staging)
        store = Store(str(staging))
        store.bulk_extend(quads)
        store.flush()
        count = len(store)
        # RocksDB holds a lock on the folder until the store is dropped; drop it before renaming.
        # Nothing else refers to it, so it is freed right here (no gc.collect(): a full collection
        # walks every object of the build's process, 0.1 s with the spaCy model loaded)
        del store
        if store_path.exists():
            _remove_tree(retired)
            os.replace(store_path, retired)
        os.replace(staging, store_path)
        _remove_tree(retired)
    except OSError as exc:
        _remove_tree(staging)
        raise ExportError(f"Cannot write the graph store at {store_path}: {exc}.",
                          "Check the disk has space and no other process has the store open.") from exc
    return count


def _quad_order(quad: Quad) -> tuple:
    # default graph (entities, sources, build) first, then each source's graph, subjects grouped
    return (not isinstance(quad.graph_name, DefaultGraph), str(quad.graph_name), str(quad.subject),
            str(quad.predicate), str(quad.object))


def read_quads(store_path: Path) -> list[Quad]:
    """Every quad of the store at ``store_path``, in a fixed order (for exports that must be stable)."""
    store = open_store(Path(store_path), read_only=True)
    return sorted(store, key=_quad_order)
