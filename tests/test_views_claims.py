"""Disagreements between sources are visible in the view; `kg view --source` shows one source."""
from __future__ import annotations

from click.testing import CliRunner

from kg.cli import cli
from kg.jsonl import dumps_statements
from kg.model import Entity, Evidence, Qualifiers, Statement
from kg.settings import Settings
from kg.views import ViewOptions, build_view_model

CUBA = Entity("cuba", "Cuba", "State")
ANGOLA = Entity("angola", "Angola", "State")
CHILE = Entity("chile", "Chile", "State")


def _statement(source, obj, year, at=0, predicate="diplomaticRelations"):
    return Statement(subject=CUBA, predicate=predicate, object=obj, qualifiers=Qualifiers(year=year),
                     confidence=0.9, evidence=Evidence(source, at, at + 40, f"Sentence of {source} at {at}.", "rule"))


STATEMENTS = [
    _statement("a.txt", ANGOLA, 1975),
    _statement("b.txt", ANGOLA, 1977),  # another year for a one-off fact: a disagreement
    _statement("a.txt", CHILE, 1970, at=100),
    _statement("b.txt", CHILE, 1970, at=100),  # agreement
]


def test_a_disputed_fact_is_marked_on_its_edge_and_statements():
    model = build_view_model(STATEMENTS, ViewOptions())
    by_target = {e.target: e for e in model.edges}
    assert by_target["angola"].disputed and by_target["angola"].label.startswith("\u26a0")
    assert by_target["angola"].as_vis()["kgDisputed"] is True
    assert not by_target["chile"].disputed
    assert {r["disputed"] for r in model.statements if r["objectLabel"] == "Angola"} == {True}


def test_a_part_of_the_graph_keeps_disputes_with_statements_left_out():
    only_a = [s for s in STATEMENTS if s.evidence.source_id == "a.txt"]
    alone = build_view_model(only_a, ViewOptions())
    assert not any(e.disputed for e in alone.edges)
    told = build_view_model(only_a, ViewOptions(disputed=frozenset({("angola", "diplomaticRelations", "cuba")})))
    assert {e.target for e in told.edges if e.disputed} == {"angola"}


def test_kg_view_source_writes_what_one_source_says(tmp_path):
    (tmp_path / "statements.jsonl").write_text(dumps_statements(STATEMENTS, Settings().base_iri), encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", "--source", "b.txt", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "view-source-b-txt.html").read_text(encoding="utf-8")
    assert "Sentence of b.txt" in page and "Sentence of a.txt" not in page
    assert '"kgDisputed": true' in page or '"kgDisputed":true' in page
    unknown = CliRunner().invoke(cli, ["view", "--source", "c.txt", "--out", str(tmp_path)])
    assert unknown.exit_code == 2 and "a.txt" in unknown.output and "b.txt" in unknown.output
