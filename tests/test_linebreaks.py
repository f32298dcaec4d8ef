"""Line breaks left by ingest end sentences before the parser runs."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.linebreaks import start_sentences_after_line_breaks


def test_a_token_after_a_line_break_starts_a_sentence():
    doc = Doc(Vocab(), words=["North", "Koreans", "in", "Ethiopia", "\n", "Ethiopia", "under", "Mengistu", "was",
                              "an", "ally", "."],
              spaces=[True, True, True, False, False, True, True, True, True, True, False, False])
    doc = start_sentences_after_line_breaks(doc)
    assert doc[5].is_sent_start is True
    assert doc[1].is_sent_start is None and doc[6].is_sent_start is None


def test_text_without_line_breaks_is_left_to_the_parser():
    doc = Doc(Vocab(), words=["Cuba", "sent", "troops", "to", "Angola", "."])
    doc = start_sentences_after_line_breaks(doc)
    assert all(t.is_sent_start is None for t in doc[1:])


@pytest.mark.model
def test_the_pipeline_keeps_a_heading_out_of_the_next_sentence():
    from kg.extract.pipeline import load_pipeline
    from kg.settings import Settings

    nlp = load_pipeline(Settings(n_process=1))
    doc = nlp("Aid to Africa\nIn 1975 Cuba sent troops to Angola.")
    assert [s.text.strip() for s in doc.sents] == ["Aid to Africa", "In 1975 Cuba sent troops to Angola."]
