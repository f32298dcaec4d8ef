"""support() and conflicts(): grouping facts, counting who asserts, hedges and denies them, and
deciding when two sources disagree."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.claims import (
    ClaimRules, RelationRule, claim_key, conflict_keys, conflicts, default_rules, parse_rules, support,
)
from kg.errors import RuleError
from kg.vocab import RELATIONS
from test_claims_fixture import (
    ANGOLA, CAMEROON, EGYPT, GENRES, KIM, MOSCOW, NORTH_KOREA, PAPER, POLEMIC, SOVIET_UNION, TELEGRAM, UN,
    fixture_statements, statement,
)


def _types(found) -> list[tuple[str, str]]:
    return [(c.type, c.predicate) for c in found]


# --- support ------------------------------------------------------------------------------

def test_symmetric_facts_in_either_order_are_one_claim_with_sorted_parties():
    claims = support(fixture_statements(), GENRES)
    egypt = [c for c in claims if c.key == ("egypt", "diplomaticRelations", "north-korea")]
    assert len(egypt) == 1
    assert (egypt[0].subject, egypt[0].object) == (EGYPT, NORTH_KOREA)
    assert egypt[0].sources == tuple(sorted((PAPER, TELEGRAM)))
    assert egypt[0].support.sources == 2 and egypt[0].support.mentions == 2


def test_directed_facts_keep_their_direction():
    a = statement(SOVIET_UNION, "providedAid", NORTH_KOREA, PAPER, "Moscow gave aid to Pyongyang.")
    b = statement(NORTH_KOREA, "providedAid", SOVIET_UNION, PAPER, "Pyongyang gave aid to Moscow.", 50)
    assert sorted(c.key for c in support([a, b], GENRES)) == [
        ("north-korea", "providedAid", "soviet-union"), ("soviet-union", "providedAid", "north-korea")]


def test_support_sorts_statements_by_stance_and_summarises_them():
    stmts = [
        statement(NORTH_KOREA, "providedAid", ANGOLA, PAPER, "Pyongyang sent arms to Angola."),
        statement(NORTH_KOREA, "providedAid", ANGOLA, PAPER, "North Korean arms reached Angola.", 90),
        statement(NORTH_KOREA, "providedAid", ANGOLA, TELEGRAM, "Arms reportedly came from the DPRK.", hedged=True),
        statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "The DPRK never armed Angola.", polarity="negated"),
        statement(NORTH_KOREA, "providedAid", ANGOLA, "unlisted.txt", "Some say it did not.", polarity="negated",
                  hedged=True),
    ]
    (claim,) = support(stmts, GENRES)
    assert len(claim.assertions) == 2 and len(claim.hedges) == 1 and len(claim.denials) == 2
    summary = claim.support
    assert (summary.sources, summary.mentions) == (4, 5)
    assert (summary.asserting_sources, summary.hedging_sources, summary.denying_sources) == (1, 1, 2)
    assert summary.denied
    # a source missing from the build's genres is "other"
    assert summary.genres == ("archival", "other", "polemic", "scholarly")
    assert {a.genre for a in claim.denials} == {"polemic", "other"}


def test_the_same_statement_twice_counts_once():
    s = statement(KIM, "visited", MOSCOW, PAPER, "Kim Il Sung visited Moscow.")
    (claim,) = support([s, s], GENRES)
    assert claim.support.mentions == 1


def test_claim_key_orders_only_symmetric_relations():
    rel = statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, PAPER, "x")
    aid = statement(NORTH_KOREA, "providedAid", CAMEROON, PAPER, "x")
    assert claim_key(rel) == ("cameroon", "diplomaticRelations", "north-korea")
    assert claim_key(aid) == ("north-korea", "providedAid", "cameroon")


# --- conflicts on the fixture -------------------------------------------------------------

def test_fixture_conflicts_are_exactly_the_disagreements_it_was_built_with():
    found = conflicts(fixture_statements(), GENRES)
    assert sorted(_types(found)) == sorted([
        ("year", "diplomaticRelations"), ("period", "leaderOf"), ("hedging", "memberOf"),
        ("polarity", "providedAid"), ("year", "signedAgreement"), ("quantity", "sentPersonnel")])


def test_conflict_sides_carry_each_source_sentence_and_genre():
    found = {c.type + "/" + c.predicate: c for c in conflicts(fixture_statements(), GENRES)}
    quantity = found["quantity/sentPersonnel"]
    assert [side.value for side in quantity.sides] == ["2000", "5000"]
    assert [side.sources for side in quantity.sides] == [(PAPER,), (TELEGRAM,)]
    assert quantity.sides[1].attestations[0].genre == "archival"
    assert "5000 Soviet soldiers" in quantity.sides[1].attestations[0].statement.evidence.sentence
    assert "1975" in quantity.scope
    polarity = found["polarity/providedAid"]
    assert [side.value for side in polarity.sides] == ["affirmed", "negated"]
    assert polarity.sides[1].attestations[0].genre == "polemic"


def test_conflict_keys_for_the_views():
    keys = conflict_keys(fixture_statements())
    assert ("cameroon", "diplomaticRelations", "north-korea") in keys
    assert ("kim-il-sung", "visited", "moscow") not in keys
    assert ("egypt", "diplomaticRelations", "north-korea") not in keys
    assert ("north-korea", "signedAgreement", "soviet-union") in keys


# --- what counts as a disagreement --------------------------------------------------------

def relations(year_a, year_b, predicate="diplomaticRelations", source_b=TELEGRAM, **extra):
    return [statement(NORTH_KOREA, predicate, CAMEROON, PAPER, "a", year=year_a, **extra),
            statement(CAMEROON if predicate == "diplomaticRelations" else NORTH_KOREA, predicate,
                      NORTH_KOREA if predicate == "diplomaticRelations" else CAMEROON, source_b, "b", 10,
                      year=year_b, **extra)]


def test_one_off_facts_with_different_years_conflict_but_repeatable_ones_do_not():
    assert _types(conflicts(relations(1972, 1975))) == [("year", "diplomaticRelations")]
    assert _types(conflicts(relations(1972, 1975, "recognized"))) == [("year", "recognized")]
    assert conflicts(relations(1972, 1972)) == []
    assert conflicts(relations(1972, None)) == []  # an undated statement does not contradict a date
    for repeatable in ("visited", "met", "providedAid", "supported", "opposed", "trade"):
        assert conflicts(relations(1972, 1975, repeatable)) == [], repeatable


def test_one_source_never_disagrees_with_itself():
    assert conflicts(relations(1972, 1975, source_b=PAPER)) == []


def test_different_end_years_of_a_one_off_fact_conflict():
    stmts = [statement(NORTH_KOREA, "memberOf", UN, PAPER, "a", year=1991, end_year=2000),
             statement(NORTH_KOREA, "memberOf", UN, TELEGRAM, "b", year=1991, end_year=2003)]
    assert _types(conflicts(stmts)) == [("end_year", "memberOf")]


def test_agreements_conflict_on_years_only_for_the_same_name():
    def signed(source, year, name, offset=0):
        return statement(NORTH_KOREA, "signedAgreement", SOVIET_UNION, source, "s", offset, year=year, kind_text=name)
    same = [signed(PAPER, 1961, "Treaty of Friendship"), signed(TELEGRAM, 1962, "The treaty of friendship")]
    assert _types(conflicts(same)) == [("year", "signedAgreement")]
    assert conflicts([signed(PAPER, 1961, "Treaty of Friendship"), signed(TELEGRAM, 1962, "Consular Treaty")]) == []
    assert conflicts([signed(PAPER, 1961, None), signed(TELEGRAM, 1962, None)]) == []


def test_tenures_conflict_when_they_overlap_and_differ():
    def led(source, start, end, offset=0):
        return statement(KIM, "leaderOf", NORTH_KOREA, source, "l", offset, year=start, end_year=end)
    assert _types(conflicts([led(PAPER, 1948, 1994), led(POLEMIC, 1945, 1994)])) == [("period", "leaderOf")]
    assert conflicts([led(PAPER, 1948, 1960), led(POLEMIC, 1970, 1994)]) == []  # two tenures
    assert conflicts([led(PAPER, 1948, 1994), led(POLEMIC, 1975, None)]) == []  # a year inside the tenure
    assert conflicts([led(PAPER, 1948, 1994), led(POLEMIC, 1948, 1994)]) == []


def troops(source, quantity, year=1975, unit=None, kind="troops", offset=0):
    return statement(SOVIET_UNION, "sentPersonnel", NORTH_KOREA, source, "t", offset, year=year, quantity=quantity,
                     unit=unit, kind=kind)


def test_quantities_conflict_only_for_the_same_year_unit_and_kind():
    assert _types(conflicts([troops(PAPER, "2000"), troops(TELEGRAM, "5000")])) == [("quantity", "sentPersonnel")]
    assert _types(conflicts([troops(PAPER, "2000", None), troops(TELEGRAM, "5000", None)])) == [
        ("quantity", "sentPersonnel")]
    assert conflicts([troops(PAPER, "2000", 1975), troops(TELEGRAM, "5000", 1980)]) == []
    assert conflicts([troops(PAPER, "2000", 1975), troops(TELEGRAM, "5000", None)]) == []
    assert conflicts([troops(PAPER, "20", unit="percent"), troops(TELEGRAM, "5000")]) == []
    assert conflicts([troops(PAPER, "200", kind="advisors"), troops(TELEGRAM, "5000")]) == []
    # the same number written differently is not a disagreement
    assert conflicts([troops(PAPER, "2,000"), troops(TELEGRAM, "2000.0")]) == []
    assert conflicts([troops(PAPER, "2000", unit="Million  Rubles"), troops(TELEGRAM, "2000", unit="million rubles")]) \
        == []


def test_a_denial_disagrees_only_with_what_it_can_be_about():
    aid = statement(NORTH_KOREA, "providedAid", ANGOLA, PAPER, "a", year=1976, kind="military")
    denial = statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "d", polarity="negated")
    assert _types(conflicts([aid, denial])) == [("polarity", "providedAid")]
    other_year = statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "d", year=1980, polarity="negated")
    other_kind = statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "d", kind="economic", polarity="negated")
    assert conflicts([aid, other_year]) == []
    assert conflicts([aid, other_kind]) == []


def test_asserted_against_hedged_is_a_disagreement_and_hedged_against_denied_too():
    plain = statement(NORTH_KOREA, "providedAid", ANGOLA, PAPER, "a")
    hedged = statement(NORTH_KOREA, "providedAid", ANGOLA, TELEGRAM, "h", hedged=True)
    denied = statement(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "d", polarity="negated")
    assert _types(conflicts([plain, hedged])) == [("hedging", "providedAid")]
    assert _types(conflicts([hedged, denied])) == [("polarity", "providedAid")]


def test_denials_give_no_year_to_compare():
    stmts = [statement(NORTH_KOREA, "memberOf", UN, PAPER, "a", year=1991),
             statement(NORTH_KOREA, "memberOf", UN, TELEGRAM, "b", year=1975, polarity="negated")]
    assert conflicts(stmts) == []


@settings(max_examples=30, deadline=None)
@given(st.permutations(fixture_statements()))
def test_results_do_not_depend_on_statement_order(shuffled):
    assert support(shuffled, GENRES) == support(fixture_statements(), GENRES)
    assert conflicts(shuffled, GENRES) == conflicts(fixture_statements(), GENRES)


# --- rules as data ------------------------------------------------------------------------

def test_packaged_rules_cover_every_relation_of_the_ontology():
    assert set(default_rules().relations) == set(RELATIONS)


def test_unknown_relations_are_treated_as_repeatable():
    assert ClaimRules(relations={}).for_relation("newRelation") == RelationRule("repeatable", None)


@pytest.mark.parametrize("data, message", [
    ({"relations": {"befriended": {"time": "once"}}}, "not a relation"),
    ({"relations": {"visited": {"time": "sometimes"}}}, "time must be"),
    ({"relations": {"visited": {"time": "once", "as_of": "forever"}}}, "as_of must be"),
    ({"relations": {}, "quantity_scope": ["colour"]}, "unknown qualifiers"),
    ({}, "'relations'"),
])
def test_malformed_rules_fail_with_a_rule_error(data, message):
    with pytest.raises(RuleError, match=message):
        parse_rules(data)


def test_custom_rules_change_what_counts():
    every_visit_once = parse_rules({"relations": {"visited": {"time": "once"}}})
    visits = [statement(KIM, "visited", MOSCOW, PAPER, "a", year=1956),
              statement(KIM, "visited", MOSCOW, TELEGRAM, "b", year=1961)]
    assert conflicts(visits) == []
    assert _types(conflicts(visits, rules=every_visit_once)) == [("year", "visited")]
