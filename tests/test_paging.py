"""Pages of a saved query: ``limit`` and ``offset`` give consecutive, disjoint slices of one fixed
order, whether the query pages inside the engine (``#@page``) or rows are skipped after it."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from kg.bench_graph import synthetic_statements
from kg.cli import cli
from kg.graph import BuildInfo, statement_quads
from kg.sparql import PAGE_MARKER, _collect, bind_page, bind_params, run_query, saved_query
from kg.store import load_quads, open_store

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    statements, sources = synthetic_statements(400, seed=3, sources=6)
    out = tmp_path_factory.mktemp("paging")
    load_quads(out / "store", statement_quads(statements, sources, BuildInfo("test", "test"), BASE))
    counts = Counter(e for s in statements for e in (s.subject, s.object))
    busiest = counts.most_common(1)[0][0]
    return out, busiest, sources[0].id


def _cases(built):
    _, busiest, source = built
    return [("entity", {"entity": busiest.label}), ("source-facts", {"source": source}),
            ("by-identifier", {"id": busiest.iso_code or busiest.wikidata}), ("visits", {}),
            ("negated-or-hedged", {})]


def test_the_fixture_has_enough_rows_to_page(built):
    out, busiest, _ = built
    assert len(run_query(out / "store", "entity", {"entity": busiest.label}).rows) > 60


@pytest.mark.parametrize("index", range(5))
def test_pages_put_together_are_the_whole_answer(built, index):
    store = built[0] / "store"
    name, params = _cases(built)[index]
    whole = run_query(store, name, params).rows
    assert whole, name
    pages, offset = [], 0
    while True:
        page = run_query(store, name, params, limit=25, offset=offset)
        pages += page.rows
        if not page.truncated:
            break
        assert len(page.rows) == 25
        offset += 25
    assert pages == list(whole)


def test_every_row_in_engine_pages_of_a_few_rows_is_the_same_answer(built, monkeypatch):
    store = built[0] / "store"
    name, params = _cases(built)[0]
    whole = run_query(store, name, params).rows
    monkeypatch.setattr("kg.sparql.PAGE_ROWS", 7)
    assert run_query(store, name, params).rows == whole


@pytest.mark.parametrize("index", range(3))
def test_the_portable_text_gives_the_same_rows(built, index):
    """Without a store to resolve names first (another engine), the names are matched inside the
    query and the page marker stays a comment: same rows."""
    store = built[0] / "store"
    name, params = _cases(built)[index]
    text = bind_params(saved_query(name), params)
    assert _collect(open_store(store, read_only=True), text, None, True).rows == run_query(store, name, params).rows


def test_the_page_marker_counts_only_outside_comments():
    text = f"SELECT * WHERE {{ ?s ?p ?o }} # the {PAGE_MARKER} line\n{PAGE_MARKER}\n"
    assert bind_page(text, 10, 20) == f"SELECT * WHERE {{ ?s ?p ?o }} # the {PAGE_MARKER} line\nLIMIT 11 OFFSET 20\n"
    assert bind_page(text, None, 0).endswith("line\n\n")


def test_offset_is_checked():
    with pytest.raises(Exception, match="Offset must be zero or more"):
        run_query("nowhere", "SELECT * WHERE { ?s ?p ?o }", offset=-1)


def test_cli_offset_pages(built):
    out, busiest, _ = built
    runner = CliRunner()
    args = ["query", "entity", "--out", str(out), "-p", f"entity={busiest.label}", "-f", "json", "--limit", "5"]
    first = runner.invoke(cli, args)
    second = runner.invoke(cli, args + ["--offset", "5"])
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert first.output != second.output
    whole = run_query(out / "store", "entity", {"entity": busiest.label}, limit=10).as_dicts()
    shown = json.loads(first.output)["rows"] + json.loads(second.output)["rows"]
    assert [(r["statement"], r["role"]) for r in shown] == [(r["statement"], r["role"]) for r in whole]
