"""Identifiers: every id comes from the verified Wikidata table or from ISO 3166 (pycountry);
the table maps onto the gazetteer; the mapping export; the saved queries that join through ids."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pycountry
import pytest
from click.testing import CliRunner

from kg.cli_ids import mapping
from kg.errors import ExportError, OutputMissingError, RuleError
from kg.extract.gazetteer import DATA_DIR, load_gazetteer, read_wikidata_table
from kg.identifiers import (
    MAPPING_COLUMNS, format_mapping, iso_standard, mapping_rows, qid_from_iri, wikidata_iri, write_mapping,
)
from kg.sparql import run_query
from kg.store import load_quads

from test_graph_fixtures import BASE, sample_quads, sample_statements

SHARED_TABLE = Path(__file__).resolve().parents[2] / "shared" / "ids" / "wikidata.tsv"
ISO_3166_1 = {c.alpha_3 for c in pycountry.countries}
ISO_3166_3 = {c.alpha_4 for c in pycountry.historic_countries}
KG = "https://w3id.org/histkg/ontology#"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def table():
    return read_wikidata_table()


# -- the table and the gazetteer -----------------------------------------------------------------

def test_every_table_row_maps_to_exactly_one_gazetteer_entry_of_its_type(gaz, table):
    assert len(table) == 149
    unmapped = [(row.entity_id, row.key) for row in table if row.key not in gaz]
    assert unmapped == [], "rows without a gazetteer entry (add the entity or a wikidata_keymap.tsv line)"
    wrong_type = [(row.key, row.type, gaz.get(row.key).type) for row in table if gaz.get(row.key).type != row.type]
    assert wrong_type == []
    keys = [row.key for row in table]
    assert len(keys) == len(set(keys)), "two rows map to one entry"
    qids = [row.qid for row in table]
    assert len(qids) == len(set(qids)), "one item linked to two entities"


def test_gazetteer_wikidata_ids_are_exactly_the_table(gaz, table):
    from_table = {row.key: row.qid for row in table}
    assert {e.key: e.wikidata for e in gaz.entries if e.wikidata} == from_table


def test_every_row_keeps_its_evidence(table):
    assert all(row.evidence.strip() for row in table)
    burma = next(row for row in table if row.key == "burma")
    assert burma.qid == "Q836" and "Myanmar" in burma.evidence


@pytest.mark.skipif(not SHARED_TABLE.exists(), reason="the shared folder is not beside the checkout")
def test_packaged_table_is_the_shared_table_byte_for_byte():
    assert (DATA_DIR / "wikidata.tsv").read_bytes() == SHARED_TABLE.read_bytes()


def test_every_iso_code_comes_from_pycountry(gaz):
    for entry in gaz.entries:
        if entry.iso_code:
            assert entry.type == "State", entry.key
            assert entry.iso_code in ISO_3166_1 | ISO_3166_3, entry.key
            # dissolved states carry ISO 3166-3, current states ISO 3166-1
            if entry.valid_to is not None and entry.iso_code in ISO_3166_3:
                assert iso_standard(entry.iso_code) == "ISO 3166-3"
        if entry.former_iso_code:
            assert entry.former_iso_code in ISO_3166_3, entry.key
    iso_keys = [e.iso_code for e in gaz.entries if e.iso_code]
    assert len(iso_keys) == len(set(iso_keys)), "one ISO code on two entities"


def test_iso_3166_3_successor_codes_agree_with_the_successions(gaz):
    """ISO 3166-3 codes end with the successor's alpha-2 (DDDE -> DE): the gazetteer must agree."""
    alpha2_to_alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    alpha2_to_alpha3.update({c.alpha_2: c.alpha_4 for c in pycountry.historic_countries
                             if c.alpha_2 not in alpha2_to_alpha3 and c.alpha_4 == "CSXX"})
    by_iso = {e.iso_code: e.key for e in gaz.entries if e.iso_code}
    checked = 0
    for entry in gaz.entries:
        code = entry.iso_code
        if not code or len(code) != 4 or code[2:] not in alpha2_to_alpha3:
            continue  # HH (no single successor), AA (code reassigned)
        successor = by_iso.get(alpha2_to_alpha3[code[2:]])
        assert successor is not None, code
        assert successor in {s.successor for s in gaz.successors_of(entry.key)}, (entry.key, successor)
        checked += 1
    assert checked >= 10


def test_malformed_table_rows_are_refused(tmp_path):
    (tmp_path / "wikidata.tsv").write_text("entity_id\tlabel\ttype\tqid\tevidence\nx\tX\tState\t15180\tsomewhere\n",
                                           encoding="utf-8")
    with pytest.raises(RuleError, match="not a Wikidata item id"):
        read_wikidata_table(tmp_path)
    (tmp_path / "wikidata.tsv").write_text("key\tqid\n", encoding="utf-8")
    with pytest.raises(RuleError, match="header"):
        read_wikidata_table(tmp_path)


def test_the_keymap_maps_table_ids_onto_gazetteer_keys(tmp_path):
    (tmp_path / "wikidata.tsv").write_text(
        "entity_id\tlabel\ttype\tqid\tevidence\nussr\tUSSR\tState\tQ15180\tsomewhere\n", encoding="utf-8")
    (tmp_path / "wikidata_keymap.tsv").write_text(
        "entity_id\tgazetteer_key\treason\nussr\tsoviet-union\tthe gold's id\n", encoding="utf-8")
    [row] = read_wikidata_table(tmp_path)
    assert (row.entity_id, row.key, row.qid) == ("ussr", "soviet-union", "Q15180")


def test_wikidata_iris():
    assert wikidata_iri("Q16957") == "http://www.wikidata.org/entity/Q16957"
    assert qid_from_iri("http://www.wikidata.org/entity/Q16957") == "Q16957"
    assert qid_from_iri("http://example.org/Q1") is None
    with pytest.raises(ExportError):
        wikidata_iri("16957")


# -- the mapping file ----------------------------------------------------------------------------

def test_mapping_from_quads_lists_every_entity_with_its_ids():
    rows = {r.key: r for r in mapping_rows(sample_quads())}
    assert (rows["north-korea"].iso_code, rows["north-korea"].wikidata, rows["north-korea"].iso_standard) == (
        "PRK", "Q423", "ISO 3166-1")
    assert (rows["soviet-union"].iso_standard, rows["soviet-union"].wikidata_iri) == (
        "ISO 3166-3", "http://www.wikidata.org/entity/Q15180")
    assert "russia" in rows and rows["russia"].wikidata == "Q159"  # a successor, described by the build
    assert rows["kim-il-sung"].iso_code is None and rows["kim-il-sung"].type == "Person"
    linked = mapping_rows(sample_quads(), linked_only=True)
    assert "kim-il-sung" not in {r.key for r in linked} and "north-korea" in {r.key for r in linked}


def test_mapping_from_statements_matches_quads_for_their_entities():
    from_statements = {r.key: r for r in mapping_rows(sample_statements(), BASE)}
    from_quads = {r.key: r for r in mapping_rows(sample_quads())}
    for key, row in from_statements.items():
        assert row == from_quads[key]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_write_mapping_formats(tmp_path, fmt):
    path = tmp_path / "sub" / f"ids.{fmt}"
    count = write_mapping(sample_quads(), path, fmt)
    text = path.read_text(encoding="utf-8")
    if fmt == "json":
        records = json.loads(text)
    else:
        records = list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        assert tuple(records[0]) == MAPPING_COLUMNS
    assert len(records) == count
    korea = next(r for r in records if r["key"] == "north-korea")
    assert korea["wikidata"] == "Q423" and korea["iso_code"] == "PRK"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


def test_write_mapping_refuses_unknown_formats(tmp_path):
    with pytest.raises(ExportError, match="Unknown mapping format"):
        write_mapping(sample_quads(), tmp_path / "x.xml", "xml")
    assert not (tmp_path / "x.xml").exists()


def test_mapping_is_deterministic():
    assert format_mapping(mapping_rows(sample_quads())) == format_mapping(mapping_rows(list(reversed(sample_quads()))))


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    load_quads(out / "store", sample_quads())
    return out


def test_mapping_command(build_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(mapping, ["--out", str(build_dir), "--linked-only", "-f", "tsv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t") == list(MAPPING_COLUMNS) and any("\tQ423\t" in line for line in lines)
    target = tmp_path / "ids.json"
    result = runner.invoke(mapping, ["--out", str(build_dir), "-o", str(target)])
    assert result.exit_code == 0 and json.loads(target.read_text())[0]["iri"].startswith(BASE)
    missing = runner.invoke(mapping, ["--out", str(tmp_path / "nothing")])
    assert missing.exit_code != 0 and isinstance(missing.exception, OutputMissingError)


# -- saved queries that join through the ids -----------------------------------------------------

def test_by_identifier_finds_an_entity_by_wikidata_id_or_iso_code(build_dir):
    store = build_dir / "store"
    by_qid = run_query(store, "by-identifier", {"id": "Q423"}).as_dicts()
    assert len(by_qid) == 6 and {r["entityLabel"] for r in by_qid} == {"North Korea"}
    for spelling in ("http://www.wikidata.org/entity/Q423", "PRK", "prk", "q423"):
        assert run_query(store, "by-identifier", {"id": spelling}).as_dicts() == by_qid
    soviet = run_query(store, "by-identifier", {"id": "SUHH"}).as_dicts()
    assert {(r["predicate"], r["otherLabel"], r["otherWikidata"], r["wikidata"]) for r in soviet} == {
        ("providedAid", "North Korea", "Q423", "Q15180"), ("diplomaticRelations", "North Korea", "Q423", "Q15180")}
    assert run_query(store, "by-identifier", {"id": "Q1"}).rows == ()


def test_successor_chain_of_a_state(build_dir):
    store = build_dir / "store"
    rows = run_query(store, "successors", {"state": "USSR"}).as_dicts()
    assert {r["toLabel"] for r in rows} >= {"Russia", "Ukraine", "Belarus", "Kazakhstan", "Estonia"}
    russia = next(r for r in rows if r["toLabel"] == "Russia")
    assert (russia["year"], russia["type"], russia["fromIso"], russia["toIso"], russia["toWikidata"]) == (
        1991, "continuation", "SUHH", "RUS", "Q159")
    for spelling in ("SUHH", "Q15180", "soviet-union"):
        assert run_query(store, "successors", {"state": spelling}).as_dicts() == rows
    back = run_query(store, "predecessors", {"state": "Ukraine"}).as_dicts()
    assert {(r["fromLabel"], r["type"]) for r in back} == {("Soviet Union", "dissolution"),
                                                           ("Ukrainian SSR", "independence")}
    assert run_query(store, "successors", {"state": "North Korea"}).rows == ()


def test_federation_example_is_not_a_saved_query():
    from kg.sparql import list_saved_queries

    names = {q.name for q in list_saved_queries()}
    assert {"by-identifier", "successors", "predecessors"} <= names
    assert not any("federation" in name for name in names)
    example = Path(__file__).resolve().parents[1] / "kg" / "queries" / "examples" / "wikidata-federation.rq"
    assert "SERVICE <https://query.wikidata.org/sparql>" in example.read_text(encoding="utf-8")


# -- a real build --------------------------------------------------------------------------------

@pytest.mark.model
def test_every_id_in_a_real_build_comes_from_the_table_or_pycountry(tmp_path, table):
    from kg.builder import build
    from kg.store import read_quads

    sources = Path(__file__).resolve().parents[1] / "sources"
    build([sources], tmp_path / "out", html=False)
    quads = read_quads(tmp_path / "out" / "store")
    table_iris = {wikidata_iri(row.qid) for row in table}
    iso = [q.object.value for q in quads if q.predicate.value == KG + "isoCode"]
    same_as = [q.object.value for q in quads if q.predicate.value == OWL_SAME_AS]
    assert iso and same_as
    assert set(iso) <= ISO_3166_1 | ISO_3166_3
    assert set(same_as) <= table_iris
    # and each link sits on the entity the table names
    qid_of = {row.key: row.qid for row in table}
    for q in quads:
        if q.predicate.value == OWL_SAME_AS:
            assert qid_of[q.subject.value.rsplit("/", 1)[-1]] == qid_from_iri(q.object.value)
