"""Resolution: mentions become canonical entities, extractions become statements.

A mention the gazetteer knows becomes its entry (label, type, aliases, ISO code); a name it
does not know becomes an entity keyed by a slug of the name. Within one document a bare short
form of a person's name ("Honecker", "Sihanouk") joins the one full name it is part of; with
two candidates ("Kim" beside "Kim Il Sung" and "Kim Jong Il") it stays its own entity rather
than guess. The result does not depend on the order of the input.

Names whose state depends on time and context ("Germany" in a 1977 text about the GDR, "the
Congo", "Korea") are read by ``kg.timescope`` from the fact's year (else the document's), and
from what the document names; each such reading is kept on the statement (``resolutions``).
Entities carry their ISO 3166 code and, only from the verified table, their Wikidata id.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .extract.gazetteer import Gazetteer, clean_surface, load_gazetteer, strip_decoration
from .model import ENTITY_TYPES, Entity, Extraction, Mention, Qualifiers, Resolution, SourceDocument, Statement
from .timescope import (
    NameRule, Reading, TimeScopedNames, count_cues_in_cleaned_text, count_cues_in_keys, load_time_scoped_names,
    read_name, read_shared_name,
)

_NAME_SPLIT = re.compile(r"[\s\-]+")


def slug(text: str) -> str:
    """'Horst Brie' -> 'horst-brie'; accents folded, anything else becomes one hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@dataclass(frozen=True)
class _Resolved:
    key: str
    type: str
    surface: str  # the mention's text, typographically cleaned
    from_gazetteer: bool
    reading: Reading | None = None  # set when the name's entity depended on time or context


class _DocumentContext:
    """What one document says that helps read its time-scoped names: its text when at hand, else
    the entities its facts name. Cue counts are made once per name rule."""

    def __init__(self, gaz: Gazetteer, text: str | None, mentions: Sequence[Mention]):
        self.gaz, self.text, self.mentions = gaz, text, mentions
        self._counts: dict[str, dict[str, int]] = {}
        self._words: tuple[str, ...] | None = None
        self._cleaned: str | None = None

    def cleaned(self) -> str:
        """The text through ``clean_surface``, made once (the text must be at hand)."""
        if self._cleaned is None:
            self._cleaned = clean_surface(self.text)
        return self._cleaned

    def words(self) -> tuple[str, ...]:
        """The text's words, lower-cased, edge punctuation stripped (the text must be at hand)."""
        if self._words is None:
            # clean_surface(text).lower() is what _words would compute, one pass fewer
            self._words = tuple(w for w in (w.strip(_PUNCTUATION) for w in _NAME_SPLIT.split(
                self.cleaned().lower())) if w)
        return self._words

    def cues(self, rule: NameRule) -> dict[str, int]:
        if rule.id not in self._counts:
            if self.text is not None:
                self._counts[rule.id] = count_cues_in_cleaned_text(self.gaz, rule, self.cleaned())
            else:
                keys = [m.key or next(iter(self.gaz.keys_for(m.text)), "") for m in self.mentions]
                self._counts[rule.id] = count_cues_in_keys(self.gaz, rule, keys)
        return self._counts[rule.id]


def resolve(extractions: Sequence[Extraction], *, gazetteer: Gazetteer | None = None,
            doc_years: Mapping[str, int] | None = None, documents: Sequence[SourceDocument] | None = None,
            time_scoped_names: TimeScopedNames | None = None) -> list[Statement]:
    """Statements between canonical entities, sorted by document, position, predicate and keys.

    ``doc_years`` (source id -> year of the document; by default the year of ``documents``'
    metadata) helps choose between states that shared a name ("Kampuchea", "Congo") when the fact
    itself carries no year. ``documents`` also lends its text to read time-scoped names by what
    the whole document names; without it, the names in its facts are used.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    names = time_scoped_names if time_scoped_names is not None else load_time_scoped_names()
    texts = {d.id: d.text for d in documents or ()}
    years = {d.id: d.metadata.year for d in documents or () if d.metadata.year is not None}
    years.update(doc_years or {})
    resolver = _DocumentResolver(gaz, names)

    by_doc: dict[str, list[Extraction]] = defaultdict(list)
    for ex in extractions:
        by_doc[ex.evidence.source_id].append(ex)

    resolved: dict[tuple[str, Mention, int | None], _Resolved] = {}
    for source_id in sorted(by_doc):
        doc_extractions = by_doc[source_id]
        context = _DocumentContext(gaz, texts.get(source_id),
                                   [m for ex in doc_extractions for m in (ex.subject, ex.object)])
        resolved.update(resolver.resolve_document(source_id, doc_extractions, years.get(source_id), context))

    entities = _build_entities(resolved.values(), gaz)
    short_names = _short_name_index(resolved, entities)

    statements: set[Statement] = set()
    for ex in extractions:
        source_id = ex.evidence.source_id
        year = _year_of(ex, years.get(source_id))
        subject_res, object_res = resolved[(source_id, ex.subject, year)], resolved[(source_id, ex.object, year)]
        qualifiers = _resolve_attribution(ex.qualifiers, gaz, short_names.get(source_id))
        resolutions = tuple(Resolution(role, res.surface, res.key, res.reading.rule, res.reading.note)
                            for role, res in (("subject", subject_res), ("object", object_res)) if res.reading)
        statements.add(Statement(subject=entities[subject_res.key], predicate=ex.predicate,
                                 object=entities[object_res.key], qualifiers=qualifiers,
                                 confidence=ex.confidence, evidence=ex.evidence, resolutions=resolutions))
    return sorted(statements, key=_statement_order)


def resolve_entities(mentions: Iterable[tuple[str, Mention]], *, gazetteer: Gazetteer | None = None,
                     doc_years: Mapping[str, int] | None = None,
                     documents: Sequence[SourceDocument] | None = None) -> dict[tuple[str, Mention], Entity]:
    """The entity each (source id, mention) resolves to, for callers that hold bare mentions."""
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    texts = {d.id: d.text for d in documents or ()}
    years = {d.id: d.metadata.year for d in documents or () if d.metadata.year is not None}
    years.update(doc_years or {})
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for source_id, mention in mentions:
        by_doc[source_id].append(mention)
    resolver = _DocumentResolver(gaz, load_time_scoped_names())
    resolved: dict[tuple[str, Mention, int | None], _Resolved] = {}
    for source_id in sorted(by_doc):
        context = _DocumentContext(gaz, texts.get(source_id), by_doc[source_id])
        resolved.update(resolver.resolve_mentions(source_id, by_doc[source_id], years.get(source_id), context))
    entities = _build_entities(resolved.values(), gaz)
    return {(source_id, mention): entities[r.key] for (source_id, mention, _), r in resolved.items()}


# -- per document --------------------------------------------------------------------------------

class _DocumentResolver:
    def __init__(self, gazetteer: Gazetteer, names: TimeScopedNames):
        self.gaz = gazetteer
        self.names = names
        # the same names recur in every document: their words are worked out once per resolution
        self._name_words: dict[str, tuple[str, ...]] = {}

    def _person_words(self, surface: str) -> tuple[str, ...]:
        """The words of a person's name as written, without decoration or titles."""
        words = self._name_words.get(surface)
        if words is None:
            words = self._name_words[surface] = _words(self.gaz.strip_titles(strip_decoration(surface)))
        return words

    def resolve_document(self, source_id: str, extractions: Sequence[Extraction], doc_year: int | None,
                         context: _DocumentContext):
        pairs = [(m, _year_of(ex, doc_year)) for ex in extractions for m in (ex.subject, ex.object)]
        return self._resolve(source_id, pairs, context)

    def resolve_mentions(self, source_id: str, mentions: Sequence[Mention], doc_year: int | None,
                         context: _DocumentContext):
        return self._resolve(source_id, [(m, doc_year) for m in mentions], context)

    def _resolve(self, source_id: str, pairs: list[tuple[Mention, int | None]], context: _DocumentContext):
        first_pass = {(m, y): self._time_scoped(self._direct(m, y), m, y, context) for m, y in set(pairs)}
        full_names = self._full_person_names(first_pass.values())
        out: dict[tuple[str, Mention, int | None], _Resolved] = {}
        counted: list[dict[str, int]] = []

        def salience() -> dict[str, int]:
            # counted in the text only when a short form has several candidates: most documents
            # never need it, and counting reads the whole text
            if not counted:
                counted.append(_mention_counts(first_pass.values(), context, full_names))
            return counted[0]

        for (mention, year), res in first_pass.items():
            if not res.from_gazetteer and res.type == "Person":
                res = self._short_form(res, full_names, salience)
            out[(source_id, mention, year)] = res
        return out

    def _time_scoped(self, res: _Resolved, mention: Mention, year: int | None,
                     context: _DocumentContext) -> _Resolved:
        """A name whose state depends on the time and the document, read by its rule."""
        rule = self.names.rule_for(mention.text, mention.key or res.key) if res.from_gazetteer else None
        if rule is None:
            return res
        reading = read_name(self.gaz, self.names, rule, mention.text, year, context.cues(rule))
        entry = self.gaz.get(reading.key)
        return _Resolved(reading.key, entry.type if entry else res.type, res.surface, True, reading)

    def _direct(self, mention: Mention, year: int | None) -> _Resolved:
        surface = clean_surface(mention.text)
        candidates = self.gaz.keys_for(mention.text)
        if mention.key:
            key = mention.key
            reading = None
            # a name several states used ("Kampuchea") goes to the one of the fact's time
            if key in candidates and len(candidates) > 1:
                chosen = self.gaz.choose(candidates, year) or key
                if chosen != key:
                    reading = read_shared_name(self.gaz, mention.text, chosen, year)
                key = chosen
            entry = self.gaz.get(key)
            return _Resolved(key, entry.type if entry else mention.type, surface, entry is not None, reading)
        if candidates:
            same_type = [k for k in candidates if self.gaz.get(k).type == mention.type] or list(candidates)
            key = self.gaz.choose(same_type, year)
            return _Resolved(key, self.gaz.get(key).type, surface, True)
        name = self._bare_name(mention)
        return _Resolved(slug(name) or slug(surface) or "unnamed", mention.type, surface, False)

    def _bare_name(self, mention: Mention) -> str:
        name = strip_decoration(mention.text)
        if mention.type == "Person":
            name = self.gaz.strip_titles(name)
        return name

    def _full_person_names(self, resolved: Iterable[_Resolved]) -> dict[str, set[tuple[str, ...]]]:
        """Person keys with the word sequences of their names as written in this document."""
        names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for res in resolved:
            if res.type != "Person":
                continue
            words = self._person_words(res.surface)
            if len(words) >= 2:
                names[res.key].add(words)
            entry = self.gaz.get(res.key)
            if entry is not None:
                names[res.key].add(_words(entry.label))
        return names

    def _short_form(self, res: _Resolved, full_names: Mapping[str, set[tuple[str, ...]]],
                    salience: Callable[[], Mapping[str, int]]) -> _Resolved:
        words = self._person_words(res.surface)
        if not words:
            return res
        matches = [key for key, forms in full_names.items() if key != res.key
                   and any(len(form) > len(words) and _contains(form, words) for form in forms)]
        if not matches:
            return res
        if len(matches) > 1:
            # "Kim" in a paper about Kim Il Sung that names Kim Jong Il twice: the short form is the
            # person the document is about, when it names that person far more often than the rest
            counts = salience()
            matches.sort(key=lambda k: (-counts.get(k, 0), k))
            first, second = counts.get(matches[0], 0), counts.get(matches[1], 0)
            if first < SALIENT_MIN_MENTIONS or first < SALIENT_RATIO * second:
                return res
        key = matches[0]
        entry = self.gaz.get(key)
        return _Resolved(key, "Person", res.surface, entry is not None)


_PUNCTUATION = ".,;:!?()[]{}\"“”‘’'"
SALIENT_MIN_MENTIONS = 5
SALIENT_RATIO = 4


def _mention_counts(resolved: Iterable[_Resolved], context: _DocumentContext,
                    full_names: Mapping[str, set[tuple[str, ...]]]) -> dict[str, int]:
    """How often a document names each person by a full name: in its text when at hand (every
    mention counts, not only those in facts), else in the facts' mentions."""
    if context.text is None:
        return dict(Counter(r.key for r in resolved))
    # each distinct surface is counted once per occurrence, by its first two or three words
    wanted = {form[:3] if len(form) >= 3 else form for forms in full_names.values() for form in forms
              if len(form) >= 2}
    index = _ngram_counts(context.words(), wanted) if wanted else {}
    counts = {}
    for key, forms in full_names.items():
        counts[key] = max((index.get(form[:3] if len(form) >= 3 else form, 0) for form in forms if len(form) >= 2),
                          default=0)
    return counts


def _ngram_counts(words: tuple[str, ...], wanted: set[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """How often each of the ``wanted`` word sequences occurs in ``words``. Only the sequences asked
    about are counted: indexing every two- and three-word sequence of every text cost most of a
    one-source rebuild's resolution (0.7 s of 1.1 s over 100 documents)."""
    lengths = sorted({len(gram) for gram in wanted})
    firsts = {gram[0] for gram in wanted}
    counts: Counter = Counter()
    for i, word in enumerate(words):
        if word in firsts:
            for n in lengths:
                gram = words[i:i + n]
                if len(gram) == n and gram in wanted:
                    counts[gram] += 1
    return counts


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _NAME_SPLIT.split(clean_surface(text).lower()) if w)


def _contains(form: tuple[str, ...], words: tuple[str, ...]) -> bool:
    n = len(words)
    return any(form[i:i + n] == words for i in range(len(form) - n + 1))


def _year_of(ex: Extraction, doc_year: int | None) -> int | None:
    return ex.qualifiers.year if ex.qualifiers.year is not None else doc_year


# -- entities ------------------------------------------------------------------------------------

def _build_entities(resolved: Iterable[_Resolved], gaz: Gazetteer) -> dict[str, Entity]:
    surfaces: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for res in resolved:
        surfaces[res.key][res.surface] += 1
        types[res.key][res.type] += 1
    entities: dict[str, Entity] = {}
    for key in surfaces:
        seen = surfaces[key]
        entry = gaz.get(key)
        aliases = tuple(sorted(set(seen) | set(entry.aliases if entry else ())))
        if entry is not None:
            entities[key] = Entity(key=key, label=entry.label, type=entry.type, aliases=aliases,
                                   iso_code=entry.iso_code, wikidata=entry.wikidata)
            continue
        type_ = min(types[key], key=lambda t: (-types[key][t], ENTITY_TYPES.index(t) if t in ENTITY_TYPES else 99))
        # the label is the fullest form the texts use, without titles: deterministic, order-free
        label = min((gaz.strip_titles(strip_decoration(s)) or s for s in seen), key=lambda s: (-len(s), s))
        entities[key] = Entity(key=key, label=label, type=type_, aliases=aliases)
    return entities


@dataclass(frozen=True)
class _DocumentNames:
    """What one document calls its entities: surfaces to labels, and its people's labels."""

    surfaces: Mapping[str, str]
    people: tuple[str, ...]


def _short_name_index(resolved: Mapping[tuple[str, Mention, int | None], _Resolved],
                      entities: Mapping[str, Entity]) -> dict[str, _DocumentNames]:
    """Per document, so that an attribution to "Honecker" reads as the Erich Honecker the
    document names."""
    surfaces: dict[str, dict[str, str]] = defaultdict(dict)
    people: dict[str, set[str]] = defaultdict(set)
    for (source_id, _, _), res in sorted(resolved.items(), key=lambda kv: (kv[0][0], kv[1].key, kv[1].surface)):
        entity = entities[res.key]
        surfaces[source_id].setdefault(strip_decoration(res.surface).lower(), entity.label)
        if entity.type == "Person":
            people[source_id].add(entity.label)
    return {doc: _DocumentNames(surfaces[doc], tuple(sorted(people[doc]))) for doc in surfaces}


def _resolve_attribution(q: Qualifiers, gaz: Gazetteer, names: _DocumentNames | None) -> Qualifiers:
    if not q.attributed_to:
        return q
    names = names or _DocumentNames({}, ())
    named = names.surfaces.get(strip_decoration(q.attributed_to).lower())
    if named:
        return replace(q, attributed_to=named)
    # a surname alone names the one person of the document whose full name contains it
    words = _words(gaz.strip_titles(strip_decoration(q.attributed_to)))
    people = [label for label in names.people if words and _contains(_words(label), words)]
    if len(people) == 1:
        return replace(q, attributed_to=people[0])
    entries = gaz.lookup(q.attributed_to)
    if entries:
        return replace(q, attributed_to=entries[0].label)
    return q


def _statement_order(s: Statement) -> tuple:
    q = s.qualifiers
    return (s.evidence.source_id, s.evidence.char_start, s.evidence.char_end, s.predicate, s.subject.key,
            s.object.key, s.evidence.rule, q.year or 0, q.end_year or 0, q.kind or "", q.quantity or "",
            q.unit or "", q.polarity, q.hedged, q.attributed_to or "", q.time_text or "", q.kind_text or "",
            -s.confidence)


__all__ = ["resolve", "resolve_entities", "slug"]
