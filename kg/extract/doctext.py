"""``Doc.text`` rebuilt once per Doc.

spaCy builds ``Doc.text`` anew from every token on each access, so code that slices the text
once per sentence or per candidate becomes quadratic in the document's length.
"""
from __future__ import annotations

from spacy.tokens import Doc

_KEY = "kg_text"


def doc_text(doc: Doc) -> str:
    # the extraction pass never changes a Doc's tokens, so the text can be kept with it
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def entities_in(span) -> list:
    """The entity spans inside ``span``, read from its tokens' IOB tags (``Span.ents`` walks the
    whole Doc's entities on every call)."""
    from spacy.tokens import Span

    doc = span.doc
    found = []
    i, end = span.start, span.end
    while i < end:
        tok = doc[i]
        if tok.ent_iob_ == "B" or (tok.ent_iob_ == "I" and i == span.start):
            j = i + 1
            while j < end and doc[j].ent_iob_ == "I":
                j += 1
            found.append(Span(doc, i, j, label=tok.ent_type_, span_id=tok.ent_id_))
            i = j
        else:
            i += 1
    return found
