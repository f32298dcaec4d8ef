"""Queries users did not write carefully, or wrote with intent: malformed text, federated
SERVICE calls, LOAD, runaway joins, huge answers; and the shared terminal-safe text function."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import QueryError
from kg.sparql import (
    DEFAULT_LIMIT, DEFAULT_TIMEOUT_S, QueryResult, QuerySyntaxError, format_result, keywords, remote_keywords,
    run_query,
)
from kg.store import load_quads, open_store
from kg.textsafe import is_terminal_safe, json_safe, terminal_safe

from test_graph_fixtures import sample_quads

KG = [sys.executable, "-m", "kg"]
UNSAFE_CHARS = ["\x1b", "\x07", "\x08", "\x9b", "\x9d", "\x85", "\u202e", "\u202d", "\u2066", "\u2067", "\u2068",
                "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\x00", "\x7f", "\ud800"]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    load_quads(out / "store", sample_quads())
    return out


def _quad_count(store: Path) -> int:
    return len(open_store(store, read_only=True))


# --- textsafe ---------------------------------------------------------------------------------

def test_terminal_safe_escapes_ansi_c1_bidi_and_surrogates():
    hostile = "Red\x1b[31m \x1b]0;title\x07 \x9b2J \u202eesrever\u202c \u2066iso\u2069 lone\ud800 end"
    shown = terminal_safe(hostile)
    assert shown == ("Red\\x1b[31m \\x1b]0;title\\x07 \\x9b2J \\u202eesrever\\u202c \\u2066iso\\u2069 "
                     "lone\\ud800 end")
    shown.encode("utf-8")  # printable: no lone surrogate is left to raise UnicodeEncodeError
    assert terminal_safe("two\nlines\r\n\tand tab") == "two lines and tab"
    assert terminal_safe("two\nlines\tx", line_breaks="escape") == "two\\nlines\\tx"
    assert terminal_safe(None) == "" and terminal_safe(1975) == "1975"
    readable = "Côte d'Ivoire — 北朝鮮 — Ελλάδα — ‘quoted’ العربية"
    assert terminal_safe(readable) == readable and is_terminal_safe(readable)
    with pytest.raises(ValueError):
        terminal_safe("x", line_breaks="keep")


@given(st.text())
def test_terminal_safe_output_is_one_inert_line(text):
    for mode in ("space", "escape"):
        shown = terminal_safe(text, line_breaks=mode)
        assert "\n" not in shown and "\r" not in shown
        assert not any(char in shown for char in UNSAFE_CHARS)
        assert is_terminal_safe(shown)
        shown.encode("utf-8")
    if is_terminal_safe(text) and not any(c in text for c in "\t\n\r\x0b\x0c"):
        assert terminal_safe(text) == text  # safe text is left exactly as it was


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                    max_leaves=12))
def test_json_safe_is_lossless_and_inert(value):
    text = json_safe(value)
    assert json.loads(text) == value
    assert not any(char in text for char in UNSAFE_CHARS if char != "\n")
    text.encode("utf-8")


# --- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z .SERVICE<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  # a comment { }\n  ?s ?p ?o .\n"
    "  OPTIONAL { SeRvIcE ?endpoint { ?s ex:p ?q } }\n}",
    "ASK { FILTER(1 < 2) SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused_before_the_engine_runs(out_dir, text):
    assert remote_keywords(text) == ["SERVICE"]
    with pytest.raises(QueryError, match="SERVICE refused") as raised:
        run_query(out_dir / "store", text)
    assert "allow-service" in str(raised.value)


def test_words_that_only_look_like_service_are_not_refused(out_dir):
    text = ('PREFIX service: <http://example.org/service#>\n'
            'SELECT ?service WHERE { ?service service:SERVICE "SERVICE" . '
            '?service <http://example.org/SERVICE> ?o . ?s service:a.SERVICE ?x } # SERVICE <http://x>')
    assert remote_keywords(text) == []
    assert keywords(text) == ["PREFIX", "SELECT", "WHERE"]
    assert run_query(out_dir / "store", text).rows == ()


def test_service_allowed_reaches_the_engine(out_dir):
    # port 9 (discard) refuses at once: the engine tried, and its failure is a clear QueryError
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError) as raised:
        run_query(out_dir / "store", text, allow_service=True, timeout_s=20)
    assert "refused:" not in str(raised.value) and "The query failed" in str(raised.value)


def test_load_needs_both_update_and_service(tmp_path):
    store = tmp_path / "store"
    load_quads(store, sample_quads())
    before = _quad_count(store)
    load = "LOAD <http://127.0.0.1:9/data.ttl>"
    with pytest.raises(QueryError, match="LOAD refused"):
        run_query(store, load)
    with pytest.raises(QueryError, match="LOAD refused"):
        run_query(store, load, allow_update=True)
    with pytest.raises(QueryError, match="UPDATE is refused"):
        run_query(store, load, allow_service=True)
    assert _quad_count(store) == before


def test_unbound_service_variable_is_a_clear_error(out_dir):
    with pytest.raises(QueryError, match="The query failed"):
        run_query(out_dir / "store", "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", allow_service=True)


# --- malformed queries ------------------------------------------------------------------------

def test_syntax_error_names_line_and_column(out_dir):
    text = "PREFIX kg: <https://w3id.org/histkg/ontology#>\nSELECT ?s\nWHERE {\n  ?s a kg:Statement .\n  ?s ?p }\n"
    with pytest.raises(QuerySyntaxError) as raised:
        run_query(out_dir / "store", text)
    error = raised.value
    assert error.code == "E600" and error.line >= 5 and error.column >= 1
    message = str(error)
    # the position is the engine's own, and the hint quotes what it read up to there
    assert f"line {error.line}, column {error.column} (engine: error at {error.line}:{error.column})" in message
    assert 'kg:Statement . ?s ?p }"' in message
    assert "\n" not in message


def test_syntax_error_on_one_long_line_and_in_updates(tmp_path, out_dir):
    text = "SELECT ?s WHERE { ?s ?p ?o . FILTER(?s = ) }"
    with pytest.raises(QuerySyntaxError) as raised:
        run_query(out_dir / "store", text)
    assert raised.value.line == 1 and 35 <= raised.value.column <= len(text) + 1
    store = tmp_path / "store"
    load_quads(store, sample_quads())
    with pytest.raises(QuerySyntaxError, match="Malformed SPARQL update at line 1"):
        run_query(store, "INSERT DATA { <http://x/a> <http://x/b> }", allow_update=True)


def test_syntax_error_text_from_the_query_cannot_drive_the_terminal(out_dir):
    with pytest.raises(QuerySyntaxError) as raised:
        run_query(out_dir / "store", "SELECT ?s WHERE { ?s ?p \x1b[2J\u202e }")
    assert is_terminal_safe(str(raised.value))


# --- bounds -----------------------------------------------------------------------------------

def test_defaults_are_documented_values():
    assert DEFAULT_LIMIT == 1000 and DEFAULT_TIMEOUT_S == 30.0
    limit = next(p for p in cli.commands["query"].params if p.name == "limit")
    timeout = next(p for p in cli.commands["query"].params if p.name == "timeout")
    assert limit.default == DEFAULT_LIMIT and timeout.default == DEFAULT_TIMEOUT_S
    readme = (Path(__file__).resolve().parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert f"{DEFAULT_LIMIT}" in readme and f"{DEFAULT_TIMEOUT_S:g} s" in readme


def test_limit_cuts_rows_and_says_so(out_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--out", str(out_dir), "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().splitlines()[-1] == "(3 rows, truncated by the limit)"
    as_json = runner.invoke(cli, ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--out", str(out_dir), "--limit", "2",
                                  "-f", "json"])
    data = json.loads(as_json.output)
    assert len(data["rows"]) == 2 and data["truncated"] is True


def test_a_runaway_query_is_stopped_by_the_timeout(tmp_path):
    # a five-way cross join over the fixture graph (~10^13 rows): it never ends by itself; the
    # command must give up at --timeout and end its process (Oxigraph cannot cancel a query)
    out = tmp_path / "out"
    load_quads(out / "store", sample_quads())
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o "
               "FILTER(STR(?a) != STR(?o)) }")
    started = time.monotonic()
    done = subprocess.run([*KG, "query", runaway, "--out", str(out), "--timeout", "1"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "did not finish within 1 s" in done.stderr and "Traceback" not in done.stderr
    assert elapsed < 30


# --- through the command line -----------------------------------------------------------------

def test_cli_refusals_are_one_line_errors(out_dir):
    runner = CliRunner()
    before = _quad_count(out_dir / "store")
    cases = {
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }": "SERVICE refused",
        "DROP ALL": "UPDATE is refused",
        "SELECT ?s WHERE {\n ?s ?p }": "line 2, column",
    }
    for text, expected in cases.items():
        result = runner.invoke(cli, ["query", text, "--out", str(out_dir)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: [E60") and expected in lines[0], result.output
    assert _quad_count(out_dir / "store") == before


def test_table_and_json_formats_keep_hostile_values_inert():
    hostile = "Angola\x1b[2J\x9b31m\u202eesrever\u2066x\u2069\u2028next"
    result = QueryResult(("label\x1b[1m",), ((hostile,), ("plain",)))
    table = format_result(result, "table")
    assert all(is_terminal_safe(line) for line in table.splitlines())
    assert len(table.splitlines()) == 5  # header, rule, 2 rows, footer: nothing forged a row
    as_json = format_result(result, "json")
    assert all(char not in as_json for char in UNSAFE_CHARS)
    assert json.loads(as_json)["rows"][0]["label\x1b[1m"] == hostile
