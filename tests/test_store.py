"""The embedded store: bulk load, swap-in replacement, read-only opening."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import OutputMissingError
from kg.store import load_quads, open_store, read_quads, store_exists

from test_graph_fixtures import sample_quads


def test_load_then_read_only(tmp_path):
    quads = sample_quads()
    path = tmp_path / "out" / "store"
    assert load_quads(path, quads) == len(set(quads))
    assert store_exists(path)
    store = open_store(path, read_only=True)
    assert set(store) == set(quads)
    with pytest.raises((OSError, RuntimeError)):
        store.add(quads[0])  # read-only really is read-only


def test_reload_replaces_the_whole_content_and_leaves_no_staging(tmp_path):
    path = tmp_path / "store"
    load_quads(path, sample_quads())
    only = [ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x"))]
    assert load_quads(path, only) == 1
    assert list(open_store(path, read_only=True)) == only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_loaded_store_is_released_at_once(tmp_path):
    # load_quads drops its handle before the swap: the store can be opened for writing right away
    path = tmp_path / "store"
    load_quads(path, sample_quads())
    writable = open_store(path)
    writable.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("y")))
    assert len(writable) == len(set(sample_quads())) + 1


def test_failed_load_keeps_the_old_store(tmp_path):
    path = tmp_path / "store"
    load_quads(path, sample_quads())

    def quads_then_failure():
        yield sample_quads()[0]
        raise RuntimeError("extraction crashed mid-stream")

    with pytest.raises(RuntimeError):
        load_quads(path, quads_then_failure())
    assert len(open_store(path, read_only=True)) == len(set(sample_quads()))


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(OutputMissingError) as info:
        open_store(tmp_path / "nothing", read_only=True)
    assert info.value.code == "E500" and "kg build" in str(info.value)


def test_read_quads_gives_everything_in_a_fixed_order(tmp_path):
    path = tmp_path / "store"
    load_quads(path, sample_quads())
    first = read_quads(path)
    assert set(first) == set(sample_quads())
    assert isinstance(first[0].graph_name, ox.DefaultGraph)
    load_quads(path, list(reversed(sample_quads())))
    assert read_quads(path) == first
