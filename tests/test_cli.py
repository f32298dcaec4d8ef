"""Every command through click's runner: help, happy path and clean errors."""
from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import cli

COMMANDS = ("build", "query", "queries", "export", "stats", "view", "analyze", "claims", "diff", "asof", "mapping",
            "bench", "push", "serve")


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_missing_build_is_a_clear_error_not_a_traceback(runner, tmp_path):
    result = runner.invoke(cli, ["query", "sources", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "E500" in result.output and "Traceback" not in result.output


def test_no_sources_is_a_clear_error(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["build", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "E101" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.model
def test_build_prints_a_summary_and_where_outputs_are(runner, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("In 1972, North Korea established diplomatic relations with Chile.\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(src), "--out", str(tmp_path / "out"), "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "Statements by predicate" in result.output and "diplomaticRelations" in result.output
    assert str(tmp_path / "out" / "graph.ttl") in result.output


@pytest.mark.model
def test_partial_failure_exits_3_and_names_the_file(runner, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("In 1975, Burma established diplomatic relations with Kenya.\n", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(src), "--out", str(tmp_path / "out"), "--processes", "1"])
    assert result.exit_code == 3, result.output
    assert "empty.txt" in result.output
    strict = runner.invoke(cli, ["build", str(src), "--out", str(tmp_path / "out2"), "--strict"])
    assert strict.exit_code == 1 and "empty.txt" in strict.output


@pytest.mark.model
def test_query_formats_and_saved_queries(runner, corpus_build):
    out = str(corpus_build.out_dir)
    table = runner.invoke(cli, ["query", "predicate-counts", "--out", out])
    assert table.exit_code == 0 and "diplomaticRelations" in table.output
    as_json = runner.invoke(cli, ["query", "entity", "-p", "entity=Soviet Union", "--out", out, "-f", "json"])
    rows = json.loads(as_json.output)["rows"]
    assert rows and all(r["source"] and r["sentence"] for r in rows)
    csv = runner.invoke(cli, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--out", out, "-f", "csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0] == "n"
    bad = runner.invoke(cli, ["query", "SELECT WHERE {", "--out", out])
    assert bad.exit_code == 1 and "E600" in bad.output
    update = runner.invoke(cli, ["query", "DELETE WHERE { ?s ?p ?o }", "--out", out])
    assert update.exit_code == 1
    listed = runner.invoke(cli, ["queries"])
    assert "relations-by-year" in listed.output and "entity" in listed.output


@pytest.mark.model
@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                                        ("jsonld", "json-ld")])
def test_export_formats_parse_back(runner, corpus_build, tmp_path, fmt, parser):
    target = tmp_path / f"graph.{fmt}"
    result = runner.invoke(cli, ["export", "--out", str(corpus_build.out_dir), "-f", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    graph = rdflib.Dataset() if fmt in ("trig", "nquads", "jsonld") else rdflib.Graph()
    graph.parse(target, format=parser)
    assert len(graph) > 0 or sum(1 for _ in graph.quads()) > 0


@pytest.mark.model
def test_stats(runner, corpus_build):
    result = runner.invoke(cli, ["stats", "--out", str(corpus_build.out_dir)])
    assert result.exit_code == 0 and "Statements:" in result.output
    as_json = json.loads(runner.invoke(cli, ["stats", "--out", str(corpus_build.out_dir), "-f", "json"]).output)
    assert as_json["statements"] == corpus_build.statements
