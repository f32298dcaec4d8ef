"""A component that starts a sentence after every line break, before the parser runs.

Ingest joins lines that a PDF or a hard-wrapped file broke inside a paragraph, so a line break
left in cleaned text always ends something: a paragraph, a heading, a dateline, a table row.
Without this the parser runs a heading into the sentence below it ("North Koreans in Ethiopia
Ethiopia under Mengistu ...") and a fact's subject comes from the heading.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

LINE_BREAKS_NAME = "kg_line_breaks"


@Language.component(LINE_BREAKS_NAME)
def start_sentences_after_line_breaks(doc: Doc) -> Doc:
    for i in range(1, len(doc)):
        previous = doc[i - 1]
        if "\n" in previous.whitespace_ or (previous.text.isspace() and "\n" in previous.text):
            if not doc[i].text.isspace():
                doc[i].is_sent_start = True
    return doc
