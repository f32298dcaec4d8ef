"""The benchmark's parts: corpus and graph generators, timers, and the report's shape."""
from __future__ import annotations

import json
import os

import pytest

from kg.bench import TARGETS, MemorySampler
from kg.bench_corpus import NameSwapper, generate_corpus, paragraphs, write_corpus
from kg.bench_graph import query_cases, synthetic_statements, time_oxigraph, time_rdflib
from kg.extract.gazetteer import GazetteerEntry, Gazetteer
from kg.model import ENTITY_TYPES
from kg.vocab import RELATIONS
from tests.conftest import SOURCES

TEXT = ("Heading\n\n"
        "In 1975 North Korea established diplomatic relations with Togo, and Kim Il Sung received the envoy.\n\n"
        "The Soviet Union sent advisers to Vietnam, according to reports that North Korea later denied.\n")


def _swapper() -> NameSwapper:
    entries = [GazetteerEntry(key, label, "State", (label,)) for key, label in
               (("north-korea", "North Korea"), ("togo", "Togo"), ("vietnam", "Vietnam"), ("cuba", "Cuba"),
                ("soviet-union", "Soviet Union"))]
    entries.append(GazetteerEntry("kim-il-sung", "Kim Il Sung", "Person", ("Kim Il Sung",)))
    entries.append(GazetteerEntry("sihanouk", "Norodom Sihanouk", "Person", ("Norodom Sihanouk", "Sihanouk")))
    return NameSwapper.from_gazetteer(Gazetteer.from_entries(entries))


def test_paragraphs_drop_headings_and_join_wrapped_lines():
    assert paragraphs("Title\n\nA line that wraps\nonto the next line and goes on for quite long enough to count as prose.") == [
        "A line that wraps onto the next line and goes on for quite long enough to count as prose."]


def test_corpus_is_deterministic_sized_and_varied():
    swapper = _swapper()
    first = generate_corpus([TEXT], 0.01, seed=3, swapper=swapper, doc_chars=1000)
    again = generate_corpus([TEXT], 0.01, seed=3, swapper=swapper, doc_chars=1000)
    other = generate_corpus([TEXT], 0.01, seed=4, swapper=swapper, doc_chars=1000)
    assert first == again and first != other
    assert len(first) == 10 and all(len(d.text) >= 1000 for d in first)
    assert len({d.text for d in first}) == len(first), "every document differs"
    assert len({d.name for d in first}) == len(first)


def test_names_are_swapped_for_names_of_the_same_type_consistently():
    import random

    swapper = _swapper()
    mapping: dict[str, str] = {}
    swapped = swapper.swap(TEXT, random.Random(1), mapping)
    states = {"North Korea", "Togo", "Vietnam", "Cuba", "Soviet Union"}
    assert mapping and all(new in states for old, new in mapping.items() if old in states)
    assert mapping["Kim Il Sung"] in {"Kim Il Sung", "Norodom Sihanouk"}
    # the same name becomes the same other name throughout the document
    assert swapped.count(mapping["North Korea"]) >= 2


def test_no_prose_is_a_clear_error():
    from kg.errors import NoSourcesError

    with pytest.raises(NoSourcesError):
        generate_corpus(["Title\n\nShort."], 0.01)


def test_write_corpus(tmp_path):
    docs = generate_corpus([TEXT], 0.002, doc_chars=1000)
    folder = write_corpus(docs, tmp_path / "c")
    assert sorted(p.name for p in folder.iterdir()) == [d.name for d in docs]


def test_synthetic_statements_are_shaped_like_extracted_ones():
    statements, sources = synthetic_statements(300, seed=1, sources=20)
    assert len(statements) == 300 and len(sources) == 20
    assert {s.predicate for s in statements} <= RELATIONS and len({s.predicate for s in statements}) > 10
    assert all(s.subject.type in ENTITY_TYPES and s.object.type in ENTITY_TYPES for s in statements)
    assert {s.evidence.source_id for s in statements} == {d.id for d in sources}
    assert any(s.qualifiers.hedged for s in statements) and any(s.qualifiers.quantity for s in statements)
    assert synthetic_statements(300, seed=1, sources=20)[0] == statements


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory):
    from kg.builder import kg_version, write_graph_outputs
    from kg.graph import BuildInfo, write_nquads
    from kg.settings import Settings
    from kg.store import read_quads

    folder = tmp_path_factory.mktemp("graph")
    statements, sources = synthetic_statements(150, seed=2, sources=10)
    steps: dict[str, float] = {}
    written = write_graph_outputs(folder, statements, sources, BuildInfo(kg_version(), "m"), Settings(),
                                  html=False, timings=steps)
    assert written.triples > 150 * 10 and {"quads", "turtle", "trig", "jsonl", "store"} <= steps.keys()
    write_nquads(read_quads(folder / "store"), folder / "graph.nq")
    return folder, statements, sources


def test_every_saved_query_is_timed_in_scope(small_graph):
    from kg.sparql import list_saved_queries

    folder, statements, sources = small_graph
    cases = query_cases(statements, sources)
    assert {c.query for c in cases} == {q.name for q in list_saved_queries()}
    assert {c.scope for c in cases} == {"entity", "graph"}
    busiest = next(c for c in cases if c.name == "entity@entity").params["entity"]  # keys
    median = next(c for c in cases if c.name == "entity@entity:median").params["entity"]
    mentions = lambda key: sum(key in (s.subject.key, s.object.key) for s in statements)  # noqa: E731
    assert mentions(busiest) > mentions(median) > 0
    assert {c.name for c in cases if c.scope == "entity"} >= {"source-facts@source", "successors@state",
                                                              "by-identifier@id:median"}
    timings, _ = time_oxigraph(folder / "store", cases[:3], runs=2)
    assert set(timings) == {c.name for c in cases[:3]} and all(ms > 0 for ms in timings.values())


def test_rdflib_timing_reports_medians_failures_and_time_outs(small_graph):
    folder, statements, sources = small_graph
    cases = [c for c in query_cases(statements, sources) if c.name in ("predicate-counts", "sources")]
    results, load_s, notes = time_rdflib(folder / "graph.nq", cases, timeout_s=60, runs=1)
    assert load_s is not None and load_s > 0
    assert all(results[c.name] is not None and results[c.name] > 0 for c in cases), notes
    slow, _, slow_notes = time_rdflib(folder / "graph.nq", cases[:1], timeout_s=0.000001, runs=1)
    assert slow[cases[0].name] is None and "stopped" in slow_notes[cases[0].name]


def test_memory_sampler_sees_this_process():
    with MemorySampler(interval_s=0.01) as sampler:
        block = bytearray(50_000_000)
        block[::4096] = b"x" * len(block[::4096])
    assert sampler.peak_bytes > 50_000_000
    assert sampler.peak_rss_sum_bytes >= sampler.peak_bytes * 0.9


def test_memory_sampler_counts_pages_a_forked_child_shares_once():
    import multiprocessing

    block = bytearray(200_000_000)
    block[::4096] = b"x" * len(block[::4096])
    context = multiprocessing.get_context("fork")
    ready, done = context.Event(), context.Event()
    child = context.Process(target=_hold_shared_pages, args=(ready, done))
    child.start()
    try:
        assert ready.wait(30)
        sampler = MemorySampler()
        pss, rss = sampler.tree_memory()
    finally:
        done.set()
        child.join()
    if MemorySampler._pss(os.getpid()) is None:
        pytest.skip("this kernel has no /proc/PID/smaps_rollup")
    # the 200 MB block is resident in both processes: RSS counts it twice, PSS once
    assert rss - pss > 150_000_000
    assert block[0] == ord("x")


def _hold_shared_pages(ready, done) -> None:
    ready.set()
    done.wait(30)


@pytest.mark.model
def test_bench_command_writes_every_figure(tmp_path):
    from click.testing import CliRunner

    from kg.cli_scale import bench

    path = tmp_path / "bench.json"
    result = CliRunner().invoke(bench, ["--size", "0.05", "--graph-triples", "3000", "--no-rdflib", "--json",
                                        str(path), "--sources", str(SOURCES)], obj={"quiet": True})
    assert result.exit_code == 0, result.output
    report = json.loads(path.read_text())
    for key in ("spacy_words_per_s", "kg_words_per_s", "overhead_ratio", "parallel_speedup", "incremental_ratio",
                "noop_ratio", "peak_rss_mb", "graph_write_s", "queries"):
        assert key in report, key
    assert report["parallel_identical"] is True
    assert report["noop_cache"] == [report["documents"], 0] and report["incremental_cache"][1] == 1
    assert 0 < report["noop_ratio"] < 1 and 0 < report["incremental_ratio"] < 1
    assert set(report["targets_met"]) >= set(TARGETS)
    for name, query in report["queries"].items():
        assert query["scope"] in ("entity", "graph") and query["oxigraph_ms"] > 0, name
        assert "rdflib_ms" in query


def test_summary_gives_the_rdflib_ratio_or_its_lower_bound():
    from kg.bench import summary

    report = {"documents": 2, "words": 1000, "processes": 2, "batch_size": 32, "spacy_words_per_s": 5000,
              "kg_words_per_s": 6000, "overhead_ratio": 1.2, "spacy_words_per_s_one_process": 3000,
              "kg_words_per_s_one_process": 2900, "overhead_ratio_one_process": 0.97, "parallel_speedup": 1.8,
              "parallel_identical": True, "full_build_s": 10, "incremental_build_s": 0.9, "incremental_ratio": 0.09,
              "noop_build_s": 0.1, "noop_ratio": 0.01, "peak_rss_mb": 900, "graph_triples": 1000,
              "graph_write_s": 1.0, "graph_write_steps": {},
              "targets_met": {},
              "queries": {
                  "fast": {"scope": "graph", "oxigraph_ms": 10.0, "rdflib_ms": 250.0, "rdflib_ratio": 25.0,
                           "within_target": True},
                  "slow": {"scope": "entity", "oxigraph_ms": 200.0, "rdflib_ms": None, "within_target": False,
                           "rdflib_ms_at_least": 30000.0, "rdflib_ratio_at_least": 150.0}}}
    lines = summary(report).splitlines()
    fast = next(line for line in lines if line.strip().startswith("fast"))
    slow = next(line for line in lines if line.strip().startswith("slow"))
    assert "250" in fast and "25.0x" in fast and "MISSED" not in fast
    assert ">30,000" in slow and ">150x" in slow and slow.endswith("MISSED")
