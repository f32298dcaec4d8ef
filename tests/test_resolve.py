"""resolve(): mentions to canonical entities, short forms, order independence, attribution."""
from __future__ import annotations

import random

import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.model import Evidence, Extraction, Mention, Qualifiers
from kg.resolve import resolve, resolve_entities, slug


def _m(text, type_="State", key=None, start=0):
    return Mention(text=text, start=start, end=start + len(text), type=type_, key=key)


def _ex(subject, predicate, obj, doc="a.txt", at=0, **q):
    return Extraction(subject=subject, predicate=predicate, object=obj, qualifiers=Qualifiers(**q),
                      confidence=0.8, evidence=Evidence(doc, at, at + 10, f"sentence {at}", "rule-x"))


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_gazetteer_mentions_become_gazetteer_entities(gaz):
    [st] = resolve([_ex(_m("DPRK", key="north-korea"), "recognized", _m("the GDR"))], gazetteer=gaz)
    assert st.subject.key == "north-korea" and st.subject.label == "North Korea" and st.subject.iso_code == "PRK"
    assert st.object.key == "east-germany" and st.object.type == "State"
    assert "DPRK" in st.subject.aliases and "Democratic People's Republic of Korea" in st.subject.aliases
    assert list(st.subject.aliases) == sorted(set(st.subject.aliases))


def test_unknown_mentions_get_slug_keys_without_titles_or_possessive(gaz):
    [st] = resolve([_ex(_m("Comrade Horst Brie's", "Person"), "met", _m("Vigoa", "Person"))], gazetteer=gaz)
    assert st.subject.key == "horst-brie" and st.subject.label == "Horst Brie"
    assert st.object.key == "vigoa" and st.object.type == "Person"
    assert "Comrade Horst Brie's" in st.subject.aliases


def test_short_form_joins_the_one_full_name_in_the_document(gaz):
    exs = [_ex(_m("Horst Brie", "Person"), "diplomatOf", _m("East Germany"), at=0),
           _ex(_m("Brie", "Person"), "met", _m("Vigoa", "Person"), at=20),
           _ex(_m("Brie", "Person"), "met", _m("Vigoa", "Person"), doc="b.txt", at=20)]
    a0, a1, b = resolve(exs, gazetteer=gaz)
    assert a1.subject.key == "horst-brie"
    assert b.subject.key == "brie"  # another document never saw the full name


def test_ambiguous_short_form_stays_its_own_entity(gaz):
    exs = [_ex(_m("Kim Il Sung", "Person", "kim-il-sung"), "met", _m("Kim Jong Il", "Person", "kim-jong-il")),
           _ex(_m("Kim", "Person"), "visited", _m("Beijing", "Place"), at=30)]
    by_at = {s.evidence.char_start: s for s in resolve(exs, gazetteer=gaz)}
    assert by_at[30].subject.key == "kim"
    only_one = resolve([exs[1], _ex(_m("Kim Il Sung", "Person"), "visited", _m("Moscow", "Place"), at=50)],
                       gazetteer=gaz)
    assert {s.subject.key for s in only_one} == {"kim-il-sung"}


def test_same_key_across_documents_is_one_entity(gaz):
    exs = [_ex(_m("DPRK", key="north-korea"), "trade", _m("Japan"), doc="a.txt"),
           _ex(_m("North Koreans", key="north-korea"), "trade", _m("Japan"), doc="b.txt")]
    a, b = resolve(exs, gazetteer=gaz)
    assert a.subject == b.subject
    assert {"DPRK", "North Koreans"} <= set(a.subject.aliases)


def test_year_chooses_between_states_sharing_a_name(gaz):
    congo = _m("Congo")
    early, late = resolve([_ex(_m("Cuba"), "providedAid", congo, at=0, year=1965),
                           _ex(_m("Cuba"), "providedAid", congo, doc="b.txt", at=0)],
                          gazetteer=gaz, doc_years={"b.txt": 1975})
    assert early.object.key in ("democratic-republic-of-the-congo", "republic-of-the-congo")
    kampuchea = resolve([_ex(_m("Vietnam"), "militaryConflict", _m("Kampuchea", key="democratic-kampuchea"),
                             year=1978)], gazetteer=gaz)
    assert kampuchea[0].object.key == "democratic-kampuchea"


def test_attributed_to_resolves_through_gazetteer_and_document(gaz):
    exs = [_ex(_m("DPRK", key="north-korea"), "providedAid", _m("Ethiopia"), attributed_to="Honecker"),
           _ex(_m("Horst Brie", "Person"), "met", _m("Vigoa", "Person"), at=40, attributed_to="Brie"),
           _ex(_m("DPRK", key="north-korea"), "trainedForces", _m("Zimbabwe"), at=80,
               attributed_to="US intelligence")]
    by_at = {s.evidence.char_start: s for s in resolve(exs, gazetteer=gaz)}
    assert by_at[0].qualifiers.attributed_to == "Erich Honecker"
    assert by_at[40].qualifiers.attributed_to == "Horst Brie"
    assert by_at[80].qualifiers.attributed_to == "US intelligence"


def test_result_is_independent_of_input_order(gaz):
    exs = [_ex(_m("Horst Brie", "Person"), "met", _m("Vigoa", "Person"), at=0),
           _ex(_m("Brie", "Person"), "met", _m("Comrade Vigoa", "Person"), at=10),
           _ex(_m("Pyongyang", "State", "north-korea"), "recognized", _m("Angola"), at=20, year=1975),
           _ex(_m("the Soviets", key="soviet-union"), "providedAid", _m("DPRK", key="north-korea"), doc="b.txt"),
           _ex(_m("Kim", "Person"), "visited", _m("Moscow", "Place"), doc="b.txt", at=5)]
    expected = resolve(exs, gazetteer=gaz)
    for seed in range(5):
        shuffled = exs[:]
        random.Random(seed).shuffle(shuffled)
        assert resolve(shuffled, gazetteer=gaz) == expected
    assert [s.evidence.source_id for s in expected] == sorted(s.evidence.source_id for s in expected)


def test_exact_duplicates_collapse(gaz):
    ex = _ex(_m("Cuba"), "supported", _m("Angola"))
    assert len(resolve([ex, ex], gazetteer=gaz)) == 1


def test_resolve_entities_for_bare_mentions(gaz):
    out = resolve_entities([("a.txt", _m("Mengistu", "Person")), ("a.txt", _m("Ethiopians"))], gazetteer=gaz)
    assert {e.key for e in out.values()} == {"mengistu-haile-mariam", "ethiopia"}


def test_slug():
    assert slug("István Kádas") == "istvan-kadas"
    assert slug("Korean Workers’ Party") == "korean-workers-party"


def test_short_form_names_the_person_a_document_is_about(gaz):
    from pathlib import Path

    from kg.model import SourceDocument

    text = ("Kim Il Sung ruled. " * 6) + "Kim Jong Il was his son. Kim visited Beijing."
    doc = SourceDocument(id="a.txt", path=Path("a.txt"), sha256="0", text=text, original_text=text)
    exs = [_ex(_m("Kim Il Sung", "Person", "kim-il-sung"), "met", _m("Kim Jong Il", "Person", "kim-jong-il")),
           _ex(_m("Kim", "Person"), "visited", _m("Beijing", "Place"), at=30)]
    by_at = {s.evidence.char_start: s for s in resolve(exs, gazetteer=gaz, documents=[doc])}
    assert by_at[30].subject.key == "kim-il-sung"
    even = "Kim Il Sung met Kim Jong Il. " * 6 + "Kim visited Beijing."
    balanced = SourceDocument(id="a.txt", path=Path("a.txt"), sha256="0", text=even, original_text=even)
    by_at = {s.evidence.char_start: s for s in resolve(exs, gazetteer=gaz, documents=[balanced])}
    assert by_at[30].subject.key == "kim"


def test_ngram_counts_match_counting_every_two_and_three_word_sequence():
    import random
    from collections import Counter

    from kg.resolve import _ngram_counts

    rng = random.Random(3)
    words = tuple(rng.choice(["kim", "il", "sung", "jong", "visited", "beijing"]) for _ in range(400))
    every = Counter(words[i:i + 2] for i in range(len(words) - 1))
    every.update(Counter(words[i:i + 3] for i in range(len(words) - 2)))
    wanted = {("kim", "il", "sung"), ("kim", "jong"), ("sung", "visited"), ("beijing", "kim", "kim"), ("nobody", "x")}
    counts = _ngram_counts(words, wanted)
    assert {gram: counts.get(gram, 0) for gram in wanted} == {gram: every.get(gram, 0) for gram in wanted}
    assert _ngram_counts(("kim",), {("kim", "il")}) == {}
