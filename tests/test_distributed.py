"""Spreading the extraction: chunking, and identical output in one process, over two, and on Dask."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg.builder as build_module
import kg.distributed as distributed
from kg.builder import segments
from kg.distributed import ClusterError, Segment, chunked, light_source, segment_stream
from kg.model import SourceDocument
from kg.settings import Settings
from tests.conftest import SOURCES


def _doc(text: str, source_id: str) -> SourceDocument:
    return SourceDocument(id=source_id, path=Path(source_id), sha256="0" * 64, text=text, original_text=text)


def test_segment_stream_covers_every_text_and_drops_the_texts_from_the_source():
    docs = [_doc("First paragraph.\n\nSecond one here.\n\nThird.", "a.txt"), _doc("Short.", "b.txt")]
    found = list(segment_stream(enumerate(docs), lambda text: segments(text, limit=20)))
    for index, doc in enumerate(docs):
        pieces = [s for s in found if s.doc_index == index]
        assert "".join(s.text for s in pieces) == doc.text
        assert all(doc.text[s.start:s.start + len(s.text)] == s.text for s in pieces)
        assert all(s.source.text == "" and s.source.original_text == "" and s.source.id == doc.id for s in pieces)
    assert light_source(docs[0]).metadata == docs[0].metadata


def test_chunks_keep_order_and_respect_the_budget():
    light = light_source(_doc("", "a.txt"))
    stream = [Segment(0, i * 10, "x" * size, light) for i, size in enumerate([5, 5, 5, 30, 2, 2])]
    chunks = list(chunked(stream, chunk_chars=12))
    assert [[s.start for s in c] for c in chunks] == [[0, 10], [20], [30], [40, 50]]
    assert [s for c in chunks for s in c] == stream
    assert list(chunked([], chunk_chars=12)) == []


def test_an_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    chunks = [[Segment(0, 0, "Text.", light_source(_doc("Text.", "a.txt")))]]
    with pytest.raises(ClusterError) as caught:
        list(distributed.run_on_dask(Settings(), chunks, "tcp://127.0.0.1:9", timeout_s=2))
    assert caught.value.code == "E820" and "127.0.0.1:9" in str(caught.value)


@pytest.fixture
def small_sources(tmp_path, monkeypatch):
    """Two sources cut into several segments and chunks, so that work really is spread."""
    folder = tmp_path / "sources"
    folder.mkdir()
    first = sorted(SOURCES.glob("*.txt"))
    (folder / "a.txt").write_text(first[0].read_text(encoding="utf-8"), encoding="utf-8")
    second = first[-1].read_text(encoding="utf-8")
    cut = second.find("\n\n", 14_000)
    (folder / "b.txt").write_text(second[: cut if cut > 0 else 14_000], encoding="utf-8")
    monkeypatch.setattr(build_module, "SEGMENT_CHARS", 4_000)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(distributed, "CHUNK_CHARS", 5_000)
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "statements.jsonl")}


@pytest.mark.model
def test_two_processes_give_the_output_of_one(small_sources, tmp_path):
    one = build_module.build([small_sources], tmp_path / "one", Settings(n_process=1), html=False)
    build_module.build([small_sources], tmp_path / "two", Settings(n_process=2), html=False)
    assert one.statements > 0
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
    documents, _ = build_module.read_sources([small_sources])
    documents.sort(key=lambda d: d.id)
    run = build_module.extract_documents(documents, Settings(n_process=2))
    assert run.processes == 2
    assert run.extractions == build_module.extract_documents(documents, Settings(n_process=1)).extractions


@pytest.mark.model
def test_a_dask_cluster_gives_the_output_of_a_local_build(small_sources, tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    local = build_module.build([small_sources], tmp_path / "local", Settings(n_process=1), html=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        remote = build_module.build([small_sources], tmp_path / "dask", Settings(n_process=1), html=False,
                                    dask_address=cluster.scheduler_address)
    assert remote.cache_misses == 2 and remote.statements == local.statements
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
