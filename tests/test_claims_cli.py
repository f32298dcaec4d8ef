"""`kg claims`, `kg diff` and `kg asof` end to end on a build folder written from the fixture."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli_claims import asof, claims, diff, load_build
from kg.errors import OutputMissingError
from test_claims_fixture import ANGOLA, GENRES, NORTH_KOREA, PAPER, POLEMIC, TELEGRAM, fixture_statements, \
    statement, write_build


@pytest.fixture()
def build_dir(tmp_path):
    return write_build(tmp_path / "output")


def run(command, *args):
    result = CliRunner().invoke(command, [str(a) for a in args])
    return result


def test_claims_table_shows_each_disagreement_side_by_side(build_dir):
    result = run(claims, "--out", build_dir)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("6 disagreement(s) between sources")
    assert "year: Cameroon --diplomaticRelations--> North Korea" in result.output
    assert 'paper.txt [scholarly] asserts (1972): "In 1972 the DPRK established relations with Cameroon."' \
        in result.output
    assert "archive/telegram 1975.txt [archival] asserts (1975)" in result.output
    assert 'polemic.txt [polemic] denies (military): "The DPRK never armed anyone in Angola."' in result.output
    assert "visited" not in result.output


def test_claims_json_and_csv_carry_the_same_conflicts(build_dir):
    as_json = json.loads(run(claims, "--out", build_dir, "--format", "json").output)
    assert sorted(c["type"] for c in as_json) == ["hedging", "period", "polarity", "quantity", "year", "year"]
    quantity = next(c for c in as_json if c["type"] == "quantity")
    assert [s["value"] for s in quantity["sides"]] == ["2000", "5000"]
    assert quantity["sides"][1]["attestations"][0]["source"] == TELEGRAM
    assert quantity["sides"][1]["attestations"][0]["genre"] == "archival"

    rows = list(csv.DictReader(io.StringIO(run(claims, "--out", build_dir, "--format", "csv").output)))
    assert {row["conflict"] for row in rows} == {"1", "2", "3", "4", "5", "6"}
    assert len(rows) == sum(len(side["attestations"]) for c in as_json for side in c["sides"])
    assert {row["genre"] for row in rows} == {"scholarly", "archival", "polemic"}


def test_claims_filters_and_all(build_dir):
    only_quantity = json.loads(run(claims, "--out", build_dir, "-f", "json", "--type", "quantity").output)
    assert [c["predicate"] for c in only_quantity] == ["sentPersonnel"]
    about_kim = json.loads(run(claims, "--out", build_dir, "-f", "json", "--entity", "kim il-sung").output)
    assert [c["predicate"] for c in about_kim] == ["leaderOf"]
    everything = json.loads(run(claims, "--out", build_dir, "-f", "json", "--all").output)
    aid = next(c for c in everything if c["predicate"] == "providedAid")
    assert aid["support"] == {"sources": 2, "mentions": 2, "asserting_sources": 1, "hedging_sources": 0,
                              "denying_sources": 1, "denied": True, "genres": ["polemic", "scholarly"]}
    table = run(claims, "--out", build_dir, "--all", "--predicate", "providedAid").output
    assert "2 source(s), 2 mention(s), DENIED by 1; genres: polemic, scholarly" in table


def test_diff_names_sources_by_id_or_unique_file_name(build_dir):
    result = run(diff, PAPER, "telegram 1975.txt", "--out", build_dir)
    assert result.exit_code == 0, result.output
    assert "Only in paper.txt: 4" in result.output
    assert "Only in archive/telegram 1975.txt: 3" in result.output
    assert "In both, agreeing: 1" in result.output
    assert "Disagreements: 3" in result.output
    as_json = json.loads(run(diff, PAPER, TELEGRAM, "--out", build_dir, "-f", "json").output)
    assert as_json["source_b"] == TELEGRAM
    assert len(as_json["only_a"]) == 4 and len(as_json["disagreements"]) == 3
    rows = list(csv.DictReader(io.StringIO(run(diff, PAPER, TELEGRAM, "--out", build_dir, "-f", "csv").output)))
    assert {row["section"] for row in rows} == {"only_a", "only_b", "agreed", "disagree"}


def test_diff_refuses_unknown_or_identical_sources(build_dir):
    unknown = run(diff, PAPER, "nowhere.txt", "--out", build_dir)
    assert unknown.exit_code == 2
    assert "is not a source of this build" in unknown.output and POLEMIC in unknown.output
    same = run(diff, PAPER, PAPER, "--out", build_dir)
    assert same.exit_code == 2 and "two different sources" in same.output


def test_asof_answers_what_held_in_a_year(build_dir):
    result = run(asof, "1975", "--out", build_dir)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("4 fact(s) held in 1975")
    assert "Egypt --diplomaticRelations--> North Korea  (since 1963;" in result.output
    assert "Kim Il Sung --leaderOf--> North Korea  (since 1945 until 1994;" in result.output
    assert "DISPUTED" in result.output
    plain = json.loads(run(asof, "1995", "--out", build_dir, "-f", "json").output)
    hedged = json.loads(run(asof, "1995", "--out", build_dir, "-f", "json", "--include-hedged").output)
    un = [h for h in hedged if h["object"]["key"] == "united-nations"]
    assert un and [a["stance"] for a in un[0]["attestations"]] == ["hedges", "asserts"]
    assert [h for h in plain if h["object"]["key"] == "united-nations"][0]["sources"] == [PAPER]
    only_members = json.loads(run(asof, "1995", "--out", build_dir, "-f", "json", "--predicate", "memberOf").output)
    assert {h["predicate"] for h in only_members} == {"memberOf"}
    rows = list(csv.DictReader(io.StringIO(run(asof, "1975", "--out", build_dir, "-f", "csv").output)))
    assert {row["predicate"] for row in rows} == {"diplomaticRelations", "leaderOf", "signedAgreement"}


@pytest.mark.parametrize("command, args", [(claims, []), (diff, [PAPER, TELEGRAM]), (asof, ["1975"])])
def test_every_command_fails_clearly_without_a_build(tmp_path, command, args):
    result = run(command, *args, "--out", tmp_path / "nothing")
    assert result.exit_code == 1
    assert "[E500] No build.json in" in result.output and "kg build" in result.output


def test_a_corrupt_build_is_reported_not_a_traceback(tmp_path):
    folder = write_build(tmp_path / "out")
    (folder / "statements.jsonl").write_text('{"doc": "x"}\n{not json\n', encoding="utf-8")
    result = run(claims, "--out", folder)
    assert result.exit_code == 1 and "[E500]" in result.output and "statements.jsonl" in result.output
    with pytest.raises(OutputMissingError):
        load_build(tmp_path / "missing")


def test_control_characters_from_sources_are_escaped_on_the_terminal(tmp_path):
    nasty = "Pyongyang \x1b[31msent\x1b[0m arms\nto Angola \u202eslogan\x85."
    stmts = [statement(NORTH_KOREA, "providedAid", ANGOLA, PAPER, nasty),
             statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "It did not.", polarity="negated")]
    folder = write_build(tmp_path / "out", stmts)
    for fmt in ("table", "csv", "json"):
        output = run(claims, "--out", folder, "--format", fmt).output
        for raw in ("\x1b", "\u202e", "\x85"):
            assert raw not in output, (fmt, raw)
        assert "\\x1b" in output or "\\u001b" in output
    table = run(claims, "--out", folder).output
    assert "\\x1b[31msent\\x1b[0m arms to Angola \\u202eslogan\\x85." in table
    # JSON stays faithful: decoding gives back the source sentence
    decoded = json.loads(run(claims, "--out", folder, "--format", "json").output)
    assert decoded[0]["sides"][0]["attestations"][0]["sentence"] == nasty


def test_genres_come_from_the_build_manifest(tmp_path):
    folder = write_build(tmp_path / "out", fixture_statements(), {**GENRES, PAPER: "news"})
    output = run(claims, "--out", folder, "--type", "polarity").output
    assert "paper.txt [news] asserts" in output


def test_type_option_offers_every_conflict_type():
    from kg.claims import CONFLICT_TYPES

    option = next(p for p in claims.params if p.name == "types")
    assert tuple(option.type.choices) == CONFLICT_TYPES
