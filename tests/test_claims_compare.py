"""diff() between two sources and as_of() a year."""
from __future__ import annotations

from kg.claims_compare import as_of, diff, fact_key
from test_claims_fixture import (
    CAMEROON, EGYPT, GENRES, KIM, MOSCOW, NAM, NORTH_KOREA, PAPER, POLEMIC, SOVIET_UNION, TELEGRAM, UN,
    fixture_statements, statement,
)


def _keys(claims) -> list[tuple]:
    return [c.key for c in claims]


# --- diff ---------------------------------------------------------------------------------

def test_diff_sorts_facts_into_only_a_only_b_agreed_and_disagreements():
    result = diff(fixture_statements(), PAPER, TELEGRAM, GENRES)
    assert ("kim-il-sung", "visited", "moscow") in _keys(result.only_a)  # the 1956 visit
    assert ("kim-il-sung", "visited", "moscow") in _keys(result.only_b)  # the 1961 visit
    assert ("north-korea", "memberOf", "non-aligned-movement") in _keys(result.only_b)
    assert ("north-korea", "providedAid", "angola") in _keys(result.only_a)  # the polemic is not compared
    assert _keys(result.agreed) == [("egypt", "diplomaticRelations", "north-korea")]
    assert sorted(c.type for c in result.disagreements) == ["hedging", "quantity", "year"]
    # a disputed fact is listed as a disagreement, not as agreed or as one-sided
    every_listed = _keys(result.only_a) + _keys(result.only_b) + _keys(result.agreed)
    assert ("cameroon", "diplomaticRelations", "north-korea") not in every_listed
    assert {c.sources for c in result.disagreements} == {tuple(sorted((PAPER, TELEGRAM)))}


def test_diff_ignores_other_sources_and_is_mirrored_when_swapped():
    forward = diff(fixture_statements(), PAPER, POLEMIC, GENRES)
    backward = diff(fixture_statements(), POLEMIC, PAPER, GENRES)
    assert _keys(forward.only_a) == _keys(backward.only_b)
    assert _keys(forward.only_b) == _keys(backward.only_a)
    assert forward.disagreements == backward.disagreements
    assert all(TELEGRAM not in c.sources for c in forward.only_a + forward.only_b + forward.agreed)
    assert sorted(c.type for c in forward.disagreements) == ["period", "polarity", "year"]


def test_a_shared_fact_stays_agreed_when_another_occasion_of_it_is_disputed():
    aid = [statement(SOVIET_UNION, "providedAid", NORTH_KOREA, PAPER, "a", year=1960, quantity="100"),
           statement(SOVIET_UNION, "providedAid", NORTH_KOREA, TELEGRAM, "b", year=1960, quantity="200"),
           statement(SOVIET_UNION, "providedAid", NORTH_KOREA, PAPER, "c", 10, year=1970, quantity="50"),
           statement(SOVIET_UNION, "providedAid", NORTH_KOREA, TELEGRAM, "d", 10, year=1970, quantity="50")]
    result = diff(aid, PAPER, TELEGRAM)
    assert [c.years for c in result.agreed] == [(1970,)]
    assert [c.type for c in result.disagreements] == ["quantity"]


def test_fact_key_separates_occasions_of_recurring_facts_only():
    visit_a = statement(KIM, "visited", MOSCOW, PAPER, "a", year=1956)
    visit_b = statement(KIM, "visited", MOSCOW, PAPER, "b", year=1961)
    rel_a = statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, PAPER, "a", year=1972)
    rel_b = statement(CAMEROON, "diplomaticRelations", NORTH_KOREA, PAPER, "b", year=1975)
    assert fact_key(visit_a) != fact_key(visit_b)
    assert fact_key(rel_a) == fact_key(rel_b)


# --- as of --------------------------------------------------------------------------------

def _held(statements, year, **options) -> dict[tuple, object]:
    return {h.key: h for h in as_of(statements, year, GENRES, **options)}


def test_as_of_counts_relations_established_by_then_and_not_ended():
    stmts = [statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, PAPER, "a", year=1972),
             statement(NORTH_KOREA, "diplomaticRelations", EGYPT, PAPER, "b", 10, year=1963, end_year=1970)]
    assert set(_held(stmts, 1975)) == {("cameroon", "diplomaticRelations", "north-korea")}
    assert set(_held(stmts, 1965)) == {("egypt", "diplomaticRelations", "north-korea")}
    assert set(_held(stmts, 1970)) == {("egypt", "diplomaticRelations", "north-korea")}  # its last year
    assert _held(stmts, 1950) == {}


def test_an_end_reported_by_another_source_closes_an_open_ended_fact():
    stmts = [statement(NORTH_KOREA, "memberOf", NAM, PAPER, "joined", year=1976),
             statement(NORTH_KOREA, "memberOf", NAM, TELEGRAM, "left", year=1976, end_year=1980)]
    assert set(_held(stmts, 1978)) == {("north-korea", "memberOf", "non-aligned-movement")}
    assert _held(stmts, 1985) == {}
    # an end before the open statement began is an earlier period, not the end of this one
    rejoined = [statement(NORTH_KOREA, "memberOf", NAM, PAPER, "rejoined", year=1990),
                statement(NORTH_KOREA, "memberOf", NAM, TELEGRAM, "left", year=1976, end_year=1980)]
    assert set(_held(rejoined, 1995)) == {("north-korea", "memberOf", "non-aligned-movement")}


def test_as_of_leaders_in_office_and_agreements_signed_by_then():
    stmts = fixture_statements()
    held = _held(stmts, 1960)
    assert ("kim-il-sung", "leaderOf", "north-korea") in held
    assert held[("kim-il-sung", "leaderOf", "north-korea")].since == 1945
    assert held[("kim-il-sung", "leaderOf", "north-korea")].until == 1994
    assert held[("kim-il-sung", "leaderOf", "north-korea")].disputed
    assert ("north-korea", "signedAgreement", "soviet-union") not in held  # signed in 1961
    assert ("north-korea", "signedAgreement", "soviet-union") in _held(stmts, 1961)
    assert ("kim-il-sung", "leaderOf", "north-korea") not in _held(stmts, 1995)


def test_as_of_leaves_out_events_denials_undated_and_by_default_hedged_facts():
    stmts = fixture_statements() + [statement(NORTH_KOREA, "recognized", CAMEROON, PAPER, "undated", 999)]
    held = _held(stmts, 1995)
    assert ("kim-il-sung", "visited", "moscow") not in held
    assert ("north-korea", "memberOf", "non-aligned-movement") not in held  # denied
    assert ("north-korea", "recognized", "cameroon") not in held
    un = ("north-korea", "memberOf", "united-nations")
    assert [a.source_id for a in held[un].attestations] == [PAPER]
    with_hedged = _held(stmts, 1995, include_hedged=True)
    assert sorted(a.source_id for a in with_hedged[un].attestations) == sorted([PAPER, TELEGRAM])
    only_hedged = [s for s in stmts if s.evidence.source_id == TELEGRAM and s.object == UN]
    assert _held(only_hedged, 1995) == {}
    assert un in _held(only_hedged, 1995, include_hedged=True)


def test_as_of_marks_undisputed_facts():
    held = _held(fixture_statements(), 1975)
    assert not held[("egypt", "diplomaticRelations", "north-korea")].disputed
    assert held[("cameroon", "diplomaticRelations", "north-korea")].disputed
