"""networkx analytics over hand-built statements: measures, communities, partners, paths."""
from __future__ import annotations

import pytest

from kg import analytics
from kg.analytics import (UnknownEntityError, analyze, communities_of, connecting_paths, entity_graph,
                          find_entity, neighbourhood_statements, select_statements, top_partners)

from test_views_fixtures import (EAST_GERMANY, ETHIOPIA, NORTH_KOREA, SOVIET_UNION, entity,
                                 sample_statements, statement)


def star_and_tail():
    hub = entity("hub", "Hub")
    leaves = [entity(f"leaf-{i}", f"Leaf {i}") for i in range(5)]
    tail = entity("tail", "Tail")
    return [statement(hub, "trade", leaf, start=i) for i, leaf in enumerate(leaves)] + [
        statement(leaves[0], "trade", tail, start=99)]


def test_hub_is_most_central_by_every_measure():
    result = analyze(star_and_tail())
    for measure in ("pagerank", "degree", "betweenness"):
        assert result.ranked(measure)[0].entity.key == "hub"
    by_key = result.by_key()
    assert by_key["hub"].degree == 5
    assert by_key["leaf-0"].degree == 2
    assert by_key["tail"].betweenness == 0
    assert by_key["leaf-0"].betweenness > by_key["leaf-1"].betweenness
    assert result.betweenness_sample is None
    assert abs(sum(m.pagerank for m in result.measures) - 1) < 1e-6


def test_statement_counts_weight_pagerank_but_not_degree():
    a, b, c = entity("a", "A"), entity("b", "B"), entity("c", "C")
    statements = [statement(a, "trade", b, start=i) for i in range(5)] + [statement(a, "trade", c)]
    by_key = analyze(statements).by_key()
    assert by_key["a"].degree == 2 and by_key["a"].statements == 6
    assert by_key["b"].pagerank > by_key["c"].pagerank


def test_two_cliques_give_two_communities_largest_first():
    left = [entity(f"l{i}", f"L{i}") for i in range(5)]
    right = [entity(f"r{i}", f"R{i}") for i in range(4)]
    statements = [statement(x, "trade", y) for group in (left, right)
                  for i, x in enumerate(group) for y in group[i + 1:]]
    statements.append(statement(left[0], "opposed", right[0]))
    found = communities_of(entity_graph(statements))
    assert found == (tuple(sorted(e.key for e in left)), tuple(sorted(e.key for e in right)))


def test_analysis_is_deterministic_and_large_graphs_sample_betweenness(monkeypatch):
    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS_MAX_NODES", 10)
    nodes = [entity(f"n{i:03d}", f"N{i}") for i in range(60)]
    statements = [statement(nodes[i], "trade", nodes[(i * 7 + 3) % 60], start=i) for i in range(60)]
    statements += [statement(nodes[i], "met", nodes[i + 1], start=100 + i) for i in range(59)]
    first = analyze(statements, betweenness_sample=12)
    second = analyze(list(reversed(statements)), betweenness_sample=12)
    assert first.betweenness_sample == 12
    assert first == second


def test_negated_facts_are_not_connections_unless_asked():
    statements = sample_statements()
    kept = select_statements(statements)
    assert all(s.qualifiers.polarity == "affirmed" for s in kept)
    assert len(select_statements(statements, include_negated=True)) == len(statements)
    assert not any(s.qualifiers.hedged for s in select_statements(statements, include_hedged=False))


def test_find_entity_by_key_label_alias_any_case():
    statements = sample_statements()
    assert find_entity(statements, "north-korea") == NORTH_KOREA
    assert find_entity(statements, "  north   KOREA ") == NORTH_KOREA
    assert find_entity(statements, "dprk") == NORTH_KOREA
    assert find_entity(statements, "german democratic republic") == EAST_GERMANY


def test_unknown_entity_lists_close_matches():
    with pytest.raises(UnknownEntityError) as caught:
        find_entity(sample_statements(), "Ethopia")
    assert caught.value.code == "E800"
    assert "Close matches: Ethiopia" in str(caught.value)
    with pytest.raises(UnknownEntityError) as caught:
        find_entity(sample_statements(), "Atlantis")
    assert "Close matches" not in str(caught.value)


def test_top_partners_group_by_relation_and_direction():
    partners = top_partners(sample_statements(), "north-korea")
    rows = {(p.relation, p.direction, p.partner.key): p for p in partners}
    aid_in = rows[("providedAid", "in", "soviet-union")]
    assert aid_in.statements == 2 and aid_in.years == (1961, 1965) and aid_in.sources == ("b.txt",)
    assert ("providedAid", "out", "ethiopia") in rows
    assert ("leaderOf", "in", "kim-il-sung") in rows
    assert [p.relation for p in partners] == sorted(p.relation for p in partners)


def test_connecting_paths_shortest_first_with_evidence():
    statements = select_statements(sample_statements())
    paths = connecting_paths(statements, "soviet-union", "ethiopia")
    assert paths
    first = paths[0]
    assert [e.key for e in first.entities] == ["soviet-union", "north-korea", "ethiopia"]
    assert first.hops[0].statements[0].evidence.sentence == "Moscow extended credits to Pyongyang in 1961."
    assert len(first.hops[0].statements) == 2
    lengths = [len(p.hops) for p in paths]
    assert lengths == sorted(lengths)
    assert connecting_paths(statements, "soviet-union", "ethiopia", max_hops=1) == ()


def test_no_path_between_separate_components():
    a, b, c, d = (entity(k, k.upper()) for k in "abcd")
    statements = [statement(a, "trade", b), statement(c, "trade", d)]
    assert connecting_paths(statements, "a", "d") == ()


def test_neighbourhood_by_depth():
    statements = sample_statements()
    one = neighbourhood_statements(statements, ETHIOPIA.key, 1)
    keys = {k for s in one for k in (s.subject.key, s.object.key)}
    assert keys == {"ethiopia", "north-korea", "east-germany"}
    two = neighbourhood_statements(statements, ETHIOPIA.key, 2)
    assert SOVIET_UNION.key in {s.subject.key for s in two}
    assert len(two) == len(statements)
