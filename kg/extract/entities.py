"""spaCy components that put our entity types and gazetteer keys on ``doc.ents``.

Two thin factories, constructible from config alone (so worker processes and saved pipelines
rebuild them from the packaged data):

- ``kg_gazetteer_ruler``: an EntityRuler filled with the gazetteer's patterns. Placed before the
  statistical ``ner`` for names (states, people, organizations...), so gazetteer spans win and
  the NER works around them; placed after it, without overwriting, for ideologies, whose
  capitalised adjectives ("Socialist ...") are often the first word of a party's name.
- ``kg_entities``: after ``ner``; maps NER labels to our types, trims articles, possessives and
  titles, splits spans that swallowed their neighbours, drops page furniture, and sets the span
  id (``ent_id_``) to the gazetteer key. The contract is in docs/ARCHITECTURE.md.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span, Token

from ..errors import RuleError
from ..model import ENTITY_TYPES
from .gazetteer import DATA_DIR, Gazetteer, is_acronym, load_gazetteer

NER_LABELS_FILE = "ner_labels.json"
CONTEXTUAL_NAMES_FILE = "contextual_names.json"
_URLISH = re.compile(r"(?:https?:|www\.|\.org\b|\.com\b|\.edu\b|@|/)", re.IGNORECASE)
_POSSESSIVE_TOKENS = frozenset({"'s", "\u2019s", "'", "\u2019", "s"})
# names of places, people and peoples carry no numbers; organizations and events may ("Group of 77")
_NUMBER_FREE_LABELS = frozenset({"GPE", "PERSON", "NORP", "LOC"})
_LIST_SEPARATORS = frozenset({",", ";", "and", "&", "or", "/"})
_ORDINAL = re.compile(r"^(?:[IVXLC]+|\d+(?:st|nd|rd|th)?)$")
# words after which an article belongs inside a name ("Republic of the Congo", "Bank for the ...")
_ARTICLE_INSIDE_AFTER = frozenset({"ADP", "CCONJ", "PART", "DET"})
_ARTICLE_INSIDE_AFTER_WORDS = frozenset({"of", "for", "to", "in", "on", "at", "and", "&", "'s", "\u2019s"})


@dataclass(frozen=True)
class NerLabelRules:
    """How statistical NER labels become our types (data: ``data/ner_labels.json``)."""

    label_map: dict[str, str]
    gazetteer_only: frozenset[str]
    place_words: frozenset[str]
    leading_words: frozenset[str]
    max_tokens: int
    not_names: frozenset[str] = frozenset()
    numbered_event_heads: frozenset[str] = frozenset()  # "the XI Party *Congress*" is a meeting
    ordinal_words: frozenset[str] = frozenset()

    def is_numbered_event(self, span: Span) -> bool:
        """"XI Party Congress", "20th Congress", "Fifth Plenum": a numbered meeting of a body."""
        if len(span) < 2 or span[-1].text not in self.numbered_event_heads:
            return False
        first = span[0].text
        return bool(_ORDINAL.match(first)) or first.lower() in self.ordinal_words


@lru_cache(maxsize=1)
def load_ner_label_rules() -> NerLabelRules:
    path = DATA_DIR / NER_LABELS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        label_map = dict(data["map"])
    except (OSError, ValueError, KeyError) as err:
        raise RuleError(f"{path.name} cannot be read: {err}", hint="Restore the file from the package.") from err
    unknown = sorted(set(label_map.values()) - set(ENTITY_TYPES))
    if unknown:
        raise RuleError(f"{path.name} maps to unknown types {unknown}", hint=f"Use one of {', '.join(ENTITY_TYPES)}.")
    return NerLabelRules(
        label_map=label_map,
        gazetteer_only=frozenset(data.get("gazetteer_only", ())),
        place_words=frozenset(w.lower() for w in data.get("place_words", ())),
        leading_words=frozenset(w.lower() for w in data.get("leading_words", ())),
        max_tokens=int(data.get("max_tokens", 12)),
        not_names=frozenset(w.lower() for w in data.get("not_names", ())),
        numbered_event_heads=frozenset(data.get("numbered_event_heads", ())),
        ordinal_words=frozenset(w.lower() for w in data.get("ordinal_words", ())),
    )


@dataclass(frozen=True)
class ContextualName:
    """A word that names a state only in the right document ("the North", "the Korean side")."""

    surface: str
    readings: tuple[str, ...]
    after: frozenset[str] = frozenset()  # the previous word must be one of these (empty: any)
    before: frozenset[str] = frozenset()  # the next word must be one of these (empty: any)
    not_before: frozenset[str] = frozenset()  # ... and none of these


@dataclass(frozen=True)
class ContextualNames:
    names: tuple[ContextualName, ...] = ()
    min_cues: int = 5
    dominance: float = 3.0

    def by_surface(self) -> dict[str, ContextualName]:
        return {n.surface: n for n in self.names}


@lru_cache(maxsize=1)
def load_contextual_names() -> ContextualNames:
    path = DATA_DIR / CONTEXTUAL_NAMES_FILE
    if not path.exists():
        return ContextualNames()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(ContextualName(
            surface=n["surface"], readings=tuple(n["readings"]),
            after=frozenset(w.lower() for w in n.get("after", ())),
            before=frozenset(w.lower() for w in n.get("before", ())),
            not_before=frozenset(w.lower() for w in n.get("not_before", ()))) for n in data["names"])
        return ContextualNames(names, int(data.get("min_cues", 5)), float(data.get("dominance", 3.0)))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise RuleError(f"{path.name} cannot be read: {err}",
                        hint="Each name needs a surface and its readings; see the file's `about`.") from err


# -- the ruler ------------------------------------------------------------------------------------

@Language.factory(
    "kg_gazetteer_ruler",
    default_config={"types": [], "exclude_types": [], "overwrite_ents": False},
)
def make_gazetteer_ruler(nlp: Language, name: str, types: list[str], exclude_types: list[str],
                         overwrite_ents: bool) -> EntityRuler:
    """An EntityRuler with the packaged gazetteer's patterns of the given types (all when empty)."""
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="LOWER", overwrite_ents=overwrite_ents)
    # phrase patterns are matched on LOWER, which the tokenizer alone sets: without this the
    # ruler would run the whole statistical pipeline over its 2,500 patterns (3 s per load)
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(gazetteer_patterns(nlp, load_gazetteer(), types, exclude_types))
    return ruler


def gazetteer_patterns(nlp: Language, gazetteer: Gazetteer, types: Iterable[str] = (),
                       exclude_types: Iterable[str] = ()) -> list[dict]:
    wanted, unwanted = set(types), set(exclude_types)
    tokenize = lambda text: [t.text for t in nlp.make_doc(text)]  # noqa: E731 - the pipeline's own tokenizer
    return [p for p in _cached_patterns(gazetteer, tokenize)
            if (not wanted or p["label"] in wanted) and p["label"] not in unwanted]


_PATTERN_CACHE: dict[int, list[dict]] = {}


def _cached_patterns(gazetteer: Gazetteer, tokenize) -> list[dict]:
    # the two rulers of one pipeline share one pattern build (about half a second)
    cached = _PATTERN_CACHE.get(id(gazetteer))
    if cached is None:
        cached = _PATTERN_CACHE[id(gazetteer)] = gazetteer.patterns(tokenize)
    return cached


# -- the entity component -------------------------------------------------------------------------

@Language.factory("kg_entities", default_config={})
def make_entity_component(nlp: Language, name: str) -> "EntityTyper":
    return EntityTyper(name=name)


class EntityTyper:
    """Turns ruler and NER spans into typed, keyed, trimmed spans on ``doc.ents``."""

    def __init__(self, name: str = "kg_entities", gazetteer: Gazetteer | None = None,
                 rules: NerLabelRules | None = None, contextual: ContextualNames | None = None):
        self.name = name
        self.gazetteer = gazetteer or load_gazetteer()
        self.rules = rules or load_ner_label_rules()
        self.contextual = contextual if contextual is not None else load_contextual_names()

    def __reduce__(self):
        # worker processes rebuild the component from the packaged data, not from a pickled index
        return (EntityTyper, (self.name,))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for ent in doc.ents:
            spans.extend(self.retype(ent))
        spans = _non_overlapping(spans)
        doc.ents = _non_overlapping(spans + self.contextual_spans(doc, spans))
        return doc

    def contextual_spans(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """"the North", "the Korean side": states the document's own entities make clear.

        A reading needs ``min_cues`` mentions pointing to it and ``dominance`` times as many as
        any rival reading; a document about both Koreas equally gets no reading at all."""
        by_surface = self.contextual.by_surface()
        if not by_surface:
            return []
        taken = {i for span in spans for i in range(span.start, span.end)}
        found = [t for t in doc if t.text in by_surface and t.i not in taken and self._fits(t, by_surface[t.text])]
        if not found:
            return []
        cues = self._cue_counts(spans)
        out = []
        for tok in found:
            reading = self._clear_reading(by_surface[tok.text].readings, cues)
            if reading is not None:
                out.append(Span(doc, tok.i, tok.i + 1, label=self.gazetteer.get(reading).type, span_id=reading))
        return out

    @staticmethod
    def _fits(tok: Token, name: ContextualName) -> bool:
        # the layout's line breaks are tokens of their own: "the South\nKorean economy"
        doc = tok.doc
        prev = next((doc[i].lower_ for i in range(tok.i - 1, -1, -1) if not doc[i].is_space), "")
        nxt = next((doc[i] for i in range(tok.i + 1, len(doc)) if not doc[i].is_space), None)
        if name.after and prev not in name.after:
            return False
        if name.before and (nxt is None or nxt.lower_ not in name.before):
            return False
        if nxt is not None and (nxt.lower_ in name.not_before or (nxt.is_alpha and nxt.is_title and not name.before)):
            return False  # "the North Atlantic": part of another name
        return True

    def _cue_counts(self, spans: list[Span]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for span in spans:
            key = span.id_ or span.ent_id_
            if not key:
                continue
            for reading in {key, self.gazetteer.actor_for(key)}:
                if reading:
                    counts[reading] = counts.get(reading, 0) + 1
        return counts

    def _clear_reading(self, readings: tuple[str, ...], cues: dict[str, int]) -> str | None:
        ranked = sorted((r for r in readings if r in self.gazetteer), key=lambda r: (-cues.get(r, 0), r))
        if not ranked:
            return None
        best = cues.get(ranked[0], 0)
        runner_up = cues.get(ranked[1], 0) if len(ranked) > 1 else 0
        if best >= self.contextual.min_cues and best >= self.contextual.dominance * runner_up:
            return ranked[0]
        return None

    # a span from the gazetteer ruler already has our label and key
    def retype(self, ent: Span) -> list[Span]:
        if ent.label_ in ENTITY_TYPES and ent.ent_id_:
            return self._gazetteer_span(ent)
        if ent.label_ in ENTITY_TYPES:
            return self._typed_span(ent, ent.label_)
        if ent.label_ in self.rules.label_map or ent.label_ in self.rules.gazetteer_only:
            return self._ner_span(ent)
        return []

    def _gazetteer_span(self, ent: Span) -> list[Span]:
        text = ent.text
        # a proper name found lowercased is a common word ("turkey", "china" the porcelain)
        if not any(ch.isupper() for ch in text) and not self.gazetteer.allows_lowercase(text):
            return []
        if ent.label_ == "Person":
            trimmed = self._trim_titles(ent)
            if trimmed is not ent and self.gazetteer.keys_for(trimmed.text)[:1] == (ent.ent_id_,):
                ent = trimmed
        return [Span(ent.doc, ent.start, ent.end, label=ent.label_, span_id=ent.ent_id_)]

    def _ner_span(self, ent: Span) -> list[Span]:
        if len(ent) > self.rules.max_tokens or _URLISH.search(ent.text):
            return []
        out: list[Span] = []
        for part in self._split(ent):
            part = self._trim(part)
            if part is None:
                continue
            if ent.label_ == "PERSON":
                part = self._trim_titles(part)
            keyed = self._keyed(part, ner_label=ent.label_)
            if keyed is not None:
                out.append(keyed)
                continue
            if ent.label_ in self.rules.gazetteer_only:
                continue
            type_ = self.rules.label_map[ent.label_]
            if type_ == "State" and any(t.lower_ in self.rules.place_words for t in part):
                type_ = "Place"
            if self.rules.is_numbered_event(part):
                type_ = "Event"
            typed = self._plausible(part, type_)
            if typed is not None:
                out.append(typed)
        return out

    def _typed_span(self, ent: Span, type_: str) -> list[Span]:
        part = self._trim(ent)
        if part is None:
            return []
        keyed = self._keyed(part, ner_label=None)
        return [keyed] if keyed is not None else [s for s in [self._plausible(part, type_)] if s is not None]

    def _keyed(self, span: Span, ner_label: str | None) -> Span | None:
        keys = self.gazetteer.keys_for(span.text)
        if not keys:
            return None
        entry = self.gazetteer.get(keys[0])
        if not any(ch.isupper() for ch in span.text) and not self.gazetteer.allows_lowercase(span.text):
            return None
        if entry.type == "Person" and ner_label == "PERSON":
            span = self._trim_titles(span)
        return Span(span.doc, span.start, span.end, label=entry.type, span_id=entry.key)

    def _plausible(self, span: Span, type_: str) -> Span | None:
        """Unknown names must look like names: a capitalised word, some letters, not one letter."""
        text = span.text
        if text.lower() in self.rules.not_names:
            return None
        if len(text) < 2 or not any(t.is_title or t.is_upper for t in span if t.is_alpha):
            return None
        if all(t.like_num or t.is_punct or t.is_space for t in span):
            return None
        return Span(span.doc, span.start, span.end, label=type_)

    # -- trimming and splitting ------------------------------------------------------------------
    def _trim(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in self.rules.leading_words or _edge_junk(doc[start])):
            start += 1
        # a name does not end in "of" or "and": the NER cut it short ("Socialist Party of")
        while end > start and (doc[end - 1].text in _POSSESSIVE_TOKENS or _edge_junk(doc[end - 1])
                               or doc[end - 1].lower_ in self.rules.leading_words
                               or doc[end - 1].pos_ in ("ADP", "CCONJ", "DET")):
            end -= 1
        if start >= end:
            return None
        return doc[start:end]

    def _trim_titles(self, span: Span) -> Span:
        """'Comrade Kim Il Sung' -> 'Kim Il Sung'; a nationality before a title goes too
        ('Cuban Ambassador Vigoa' -> 'Vigoa'). Never trims the last word."""
        doc = span.doc
        start = span.start
        while span.end - start > 1:
            words = [t.text for t in doc[start:span.end]]
            n = self.gazetteer.title_length(words)
            if n == 0 and len(words) > 2 and self.gazetteer.keys_for(words[0]) and \
                    self.gazetteer.title_length(words[1:]):
                n = 1  # the demonym before a title
            if n == 0:
                break
            start += n
        return span if start == span.start else doc[start:span.end]

    def _split(self, span: Span) -> list[Span]:
        """Spans that swallowed a list ("Angola, Mozambique"), a line break or a number (a table
        row "Dominican Republic 1980 Zimbabwe") become their parts."""
        doc = span.doc
        parts: list[Span] = []
        start = span.start
        for tok in span:
            # an article inside a span starts a new name unless a preposition or conjunction
            # leads to it: "V Party Congress the Party" is two names, "Republic of the Congo" one
            before = doc[tok.i - 1]
            article = tok.lower_ == "the" and tok.i > start and before.pos_ not in _ARTICLE_INSIDE_AFTER \
                and before.lower_ not in _ARTICLE_INSIDE_AFTER_WORDS
            if article:
                if tok.i > start:
                    parts.append(doc[start:tok.i])
                start = tok.i  # the article is trimmed with the new part's leading words
                continue
            breaks = tok.text in (",", ";") or tok.is_space and "\n" in tok.text or \
                (tok.like_num and span.label_ in _NUMBER_FREE_LABELS) or \
                (tok.lower_ in _LIST_SEPARATORS and self._is_list(span))
            if breaks:
                if tok.i > start:
                    parts.append(doc[start:tok.i])
                start = tok.i + 1
        if start < span.end:
            parts.append(doc[start:span.end])
        return parts

    def _is_list(self, span: Span) -> bool:
        """'and' separates items only in a list of names the gazetteer knows, or after a comma;
        'Bosnia and Herzegovina' and 'Procter and Gamble' stay whole."""
        if any(t.text == "," for t in span):
            return True
        words = [t for t in span if t.lower_ == "and"]
        if not words:
            return False
        pieces = span.text.replace(" And ", " and ").split(" and ")
        return all(self.gazetteer.keys_for(p) for p in pieces)


def _edge_junk(token: Token) -> bool:
    return token.is_punct or token.is_space or (token.is_quote if hasattr(token, "is_quote") else False)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Longest first, then earliest: what ``doc.ents`` accepts."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if any(i in taken for i in range(span.start, span.end)):
            continue
        chosen.append(span)
        taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


__all__ = ["EntityTyper", "ContextualName", "ContextualNames", "load_contextual_names", "make_entity_component", "make_gazetteer_ruler", "gazetteer_patterns",
           "load_ner_label_rules", "NerLabelRules", "is_acronym"]
