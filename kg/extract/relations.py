"""The relation engine: rules (data) + argument machinery (code) -> ``Extraction`` values.

``extract_relations`` is a pure function of the parsed Doc, the source it came from and an
``ExtractionContext``: same inputs, same facts in the same order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from ..model import Evidence, Extraction, Mention, Qualifiers, SourceDocument
from . import relations_support as support
from .arguments import (ActorFor, Argument, EntityIndex, InnerLookup, StateLedBy, path_arguments, role_arguments,
                        typed_argument)
from .relations_rules import CompiledRules, Rule, RuleSet, Step, WordSpec, compile_rules, load_rules

_SPACES = re.compile(r"\s+")
_MODIFIER_DEPS = ("amod", "compound", "nmod", "npadvmod", "advmod")
# a rule asking for a preposition means any of these: the parser labels "to"/"by" phrases
# `dative`/`agent` as often as `prep`
_PREP_DEPS = ("prep", "dative", "agent")


@dataclass(frozen=True)
class ExtractionContext:
    """What the extraction of one segment may know beyond its own text.

    ``time`` and ``factuality`` are the carry-over states at the segment's start (a document
    split into segments passes the state reached at the end of the previous one); ``actor_for``
    maps a capital or demonym key to the state it stands for; ``rules`` defaults to the packaged
    rule files.
    """

    time: object | None = None  # kg.extract.timex.TimeContext
    factuality: object | None = None  # kg.extract.factuality.FactualityContext
    actor_for: ActorFor | None = None
    rules: RuleSet | None = None
    settings_min_confidence: float = field(default=0.0)  # callers filter; kept for debugging runs
    # names inside Event spans ("the Soviet invasion of Afghanistan") and states of leaders
    # ("the Mengistu regime"); default: the packaged gazetteer
    inner_lookup: InnerLookup | None = None
    state_led_by: StateLedBy | None = None


@dataclass(frozen=True)
class _Candidate:
    rule: Rule
    trigger: Token
    theme: Token | None


def normalise_space(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def evidence_for(span_start: int, span_end: int, text: str, source: SourceDocument, segment_start: int,
                 rule_id: str) -> Evidence:
    # sentences may carry the whitespace tokens around them (newlines of the layout)
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    span_start, span_end = span_start + lead, max(span_start + lead, span_end - trail)
    start, end = source.offset_map.span_to_original(segment_start + span_start, segment_start + span_end)
    return Evidence(source_id=source.id, char_start=start, char_end=end, sentence=normalise_space(text), rule=rule_id)


def mention_for(arg: Argument, segment_start: int) -> Mention:
    span = arg.span
    return Mention(text=span.text, start=segment_start + span.start_char, end=segment_start + span.end_char,
                   type=arg.type, key=arg.key)


def _has_modifier(token: Token, lemmas: frozenset[str]) -> bool:
    return any(c.dep_ in _MODIFIER_DEPS and c.lemma_.lower() in lemmas for c in token.children)


def _word_matches(token: Token, words: WordSpec, forms: frozenset[str]) -> bool:
    if words.lemmas and token.lemma_ not in forms:
        return False
    if words.pos and token.pos_ not in words.pos:
        return False
    return not words.ent_types or token.ent_type_ in words.ent_types


def _route_ends(token: Token, route: tuple[Step, ...]) -> list[Token]:
    """Where a theme route leads from the trigger: plain dependency steps only (no macros)."""
    current = [token]
    for step in route:
        nxt: list[Token] = []
        for tok in current:
            if step.up:
                head = tok.head
                if head.i != tok.i and (step.dep is None or tok.dep_ == step.dep) and (
                        not step.lemmas or head.lower_ in step.lemmas):
                    nxt.append(head)
            else:
                deps = _PREP_DEPS if step.dep == "prep" else (step.dep,)
                nxt += [c for c in tok.children if c.dep_ in deps and (not step.lemmas or c.lower_ in step.lemmas)]
        if not nxt:
            return []
        current = nxt
    return current


def _candidates(doc: Doc, compiled: CompiledRules) -> list[_Candidate]:
    """Every (rule, trigger, theme) the Doc offers, in text order."""
    found: dict[tuple[str, int, int], _Candidate] = {}
    forms = compiled.trigger_forms
    for token in doc:
        lemma_rules = compiled.by_lemma.get(token.lemma_, ()) if token.lemma_ in forms else ()
        entity_rules = compiled.by_entity if token.ent_type else ()
        for crule in (*lemma_rules, *entity_rules):
            rule = crule.rule
            if not _word_matches(token, rule.trigger, crule.lemma_forms):
                continue
            if rule.theme is None:
                found.setdefault((rule.id, token.i, -1), _Candidate(rule, token, None))
                continue
            for route in crule.routes:
                for theme in _route_ends(token, route):
                    if not _word_matches(theme, rule.theme.words, crule.theme_forms):
                        continue
                    for th in [theme] + [c for c in theme.conjuncts if c.lemma_.lower() in rule.theme.words.lemmas]:
                        found.setdefault((rule.id, token.i, th.i), _Candidate(rule, token, th))
    return [found[k] for k in sorted(found, key=lambda k: (k[1], k[2], k[0]))]


def _kind_of(rule: Rule, word: Token) -> str | None:
    return rule.kind_for(word.lemma_.lower()) or rule.kind_for(word.lower_)


def kinds_for(rule: Rule, trigger: Token, theme: Token | None) -> tuple[str | None, ...]:
    """The fact's kinds: the first word (theme's modifiers, theme, trigger's modifiers, trigger)
    the rule's kind map knows, and the kinds of the adjectives coordinated with it ("military
    and economic aid" is two facts, one of each kind)."""
    if not rule.kind_map:
        return (rule.kind_default,)
    words: list[Token] = []
    if theme is not None:
        words += [c for c in theme.children if c.dep_ in _MODIFIER_DEPS or c.dep_ == "conj" and c.pos_ == "ADJ"]
        words.append(theme)
    words += [c for c in trigger.children if c.dep_ in _MODIFIER_DEPS]
    words.append(trigger)
    for w in words:
        kind = _kind_of(rule, w)
        if not kind:
            continue
        kinds = [kind]
        if w.pos_ == "ADJ":
            kinds += [k for c in w.conjuncts if c.pos_ == "ADJ" and (k := _kind_of(rule, c))]
        return tuple(dict.fromkeys(kinds))
    return (rule.kind_default,)


def _agreement_name(index: EntityIndex, theme: Token | None, objects: list[Argument]) -> str | None:
    if theme is not None:
        span = index.of(theme)
        if span is not None and span.label_ == "Agreement":
            return normalise_space(span.text)
        for c in theme.subtree:
            s = index.of(c)
            if s is not None and s.label_ == "Agreement":
                return normalise_space(s.text)
    return None


def _denied_in_phrase(word: Token, lex) -> bool:
    """"no diplomatic relations", "the lack of relations": the denial sits in the noun phrase,
    outside the verb's scope that factuality looks at."""
    if any(c.dep_ in ("det", "neg") and c.lower_ in lex.denying_determiners for c in word.children):
        return True
    head = word.head
    return (word.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in lex.absence_nouns)


def confidence_for(rule: Rule, trigger: Token, args: list[Argument], hedged: bool, by_distance: bool = True) -> float:
    """The rule's base confidence, lowered for weaker evidence.

    Gazetteer-keyed arguments are trusted more than statistical-NER-only ones; a capital or
    demonym read as its state is a small inference; arguments far from the trigger are more
    often mis-attached; hedged statements are by definition less certain.
    """
    conf = rule.confidence
    for arg in args:
        if not arg.key:
            conf -= 0.1
        if arg.via_actor:
            conf -= 0.03
    distance = max((abs(a.anchor - trigger.i) for a in args), default=0) if by_distance else 0
    if distance > 12:
        conf -= 0.05 * (1 + (distance - 12) // 8)
    if hedged:
        conf -= 0.1
    return round(min(1.0, max(0.0, conf)), 3)


def _pairs(rule: Rule, subjects: list[Argument], objects: list[Argument], parties: list[Argument]):
    if objects:
        return [(s, o) for s in subjects for o in objects]
    if rule.symmetric:
        pool = subjects + [p for p in parties if all(p.span != s.span for s in subjects)]
        return list(combinations(pool, 2))
    return []


def _same_entity(a: Argument, b: Argument) -> bool:
    return a.span == b.span or (a.key is not None and a.key == b.key)


def apply_rule(cand: _Candidate, sent: Span, index: EntityIndex, lex, source: SourceDocument,
               segment_start: int, actor_for: ActorFor | None, time_context, fact_context) -> list[Extraction]:
    rule, trigger, theme = cand.rule, cand.trigger, cand.theme
    if rule.trigger_modifiers and not _has_modifier(trigger, rule.trigger_modifiers):
        return []
    if rule.theme_modifiers and (theme is None or not _has_modifier(theme, rule.theme_modifiers)):
        return []
    subjects = role_arguments(rule.subject, trigger, theme, index, lex, actor_for)
    objects = role_arguments(rule.object, trigger, theme, index, lex, actor_for) if rule.object else []
    parties: list[Argument] = []
    if rule.symmetric and not objects:
        for path in rule.pair:
            parties = path_arguments(path, rule.subject.types, trigger, theme, index, lex, actor_for)
            if parties:
                break
    pairs = [(s, o) for s, o in _pairs(rule, subjects, objects, parties) if not _same_entity(s, o)]
    if not pairs:
        return []
    quantity = None
    if rule.quantity:
        head = theme if rule.quantity == "theme" and theme is not None else trigger
        quantity = support.quantity_for(head, sent)
        if rule.requires_quantity and quantity is None:
            return []
    time = support.time_for(trigger, sent, time_context)
    fact = support.assess(trigger, sent, fact_context)
    if not fact.asserted:
        return []
    polarity = "negated" if fact.polarity == "negated" or _denied_in_phrase(theme or trigger, lex) else "affirmed"
    if rule.negated:
        polarity = "affirmed" if polarity == "negated" else "negated"
    year, end_year = (time.year, time.end_year) if time is not None else (None, None)
    if rule.ends and time is not None:
        year, end_year = None, time.end_year or time.year
    kinds = kinds_for(rule, trigger, theme)
    qualifiers = Qualifiers(
        year=year, end_year=end_year, time_text=time.text if time is not None else None,
        kind=kinds[0],
        kind_text=_agreement_name(index, theme, objects) if rule.kind_text == "agreement-name" else None,
        quantity=quantity.value if quantity is not None else None,
        unit=quantity.unit if quantity is not None else None,
        polarity=polarity, hedged=fact.hedged, attributed_to=fact.attributed_to,
    )
    evidence = evidence_for(sent.start_char, sent.end_char, sent.text, source, segment_start, rule.id)
    out = [
        Extraction(subject=mention_for(s, segment_start), predicate=rule.predicate, object=mention_for(o, segment_start),
                   qualifiers=qualifiers, confidence=confidence_for(rule, trigger, [s, o], fact.hedged),
                   evidence=evidence)
        for s, o in pairs
    ]
    if quantity is not None and len(objects) == 1 and subjects:
        for number, obj in _elliptical_counts(objects[0], sent, index, rule.object.types, actor_for):
            value = support.quantity_for(number, sent)
            q = replace(qualifiers, quantity=value.value if value is not None else _digits(number.text))
            out += [Extraction(subject=mention_for(s, segment_start), predicate=rule.predicate,
                               object=mention_for(obj, segment_start), qualifiers=q,
                               # a list item is as far from the trigger as the list's head
                               confidence=round(confidence_for(rule, trigger, [s, replace(obj, anchor=objects[0].anchor)],
                                                               fact.hedged) - 0.05, 3),
                               evidence=evidence)
                    for s in subjects if not _same_entity(s, obj)]
    # one fact per further coordinated kind, with the same evidence
    out += [replace(e, qualifiers=replace(e.qualifiers, kind=kind)) for kind in kinds[1:] for e in list(out)]
    return out


def _digits(text: str) -> str | None:
    digits = text.replace(",", "")
    return digits if digits.replace(".", "", 1).isdigit() else None


def _elliptical_counts(obj: Argument, sent: Span, index: EntityIndex, types, actor_for):
    """Gapped lists of counts after a located quantity: "1,000 advisors in Angola, 100 in
    Madagascar, 40 in Seychelles" -> (100, Madagascar), (40, Seychelles)."""
    prep = obj.span.root.head
    if prep.dep_ not in ("prep", "dative") or prep.pos_ != "ADP":
        return []
    found = []
    for tok in sent.doc[obj.span.end:sent.end]:
        if tok.pos_ in ("VERB", "AUX") or tok.lower_ in (";", ":"):
            break  # the list ends with its clause
        if not tok.like_num or tok.dep_ not in ("appos", "conj", "npadvmod", "dobj", "pobj"):
            continue
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == prep.lower_:
                for g in child.children:
                    span = index.of(g) if g.dep_ == "pobj" else None
                    arg = typed_argument(span, g.i, types, actor_for) if span is not None else None
                    if arg is not None:
                        found.append((tok, arg))
    return found


def extract_relations(doc: Doc, source: SourceDocument, segment_start: int = 0,
                      context: ExtractionContext | None = None) -> list[Extraction]:
    """Every fact the rules find in ``doc`` (the parse of ``source.text[segment_start:...]``)."""
    from .relations_table import extract_tables

    context = context or ExtractionContext()
    ruleset = context.rules or load_rules()
    actor_for = context.actor_for if context.actor_for is not None else support.default_actor_for()
    compiled = compile_rules(ruleset)
    index = EntityIndex(
        doc, context.inner_lookup if context.inner_lookup is not None else support.default_inner_lookup(),
        context.state_led_by if context.state_led_by is not None else support.default_state_led_by())
    by_sentence: dict[int, list[_Candidate]] = {}
    for cand in _candidates(doc, compiled):
        by_sentence.setdefault(cand.trigger.sent.start, []).append(cand)
    time_context = context.time if context.time is not None else support.start_time_context(source)
    fact_context = context.factuality if context.factuality is not None else support.start_factuality_context(source)
    out: list[Extraction] = []
    for sent in doc.sents:
        for cand in by_sentence.get(sent.start, ()):
            out += apply_rule(cand, sent, index, ruleset.lexicon, source, segment_start, actor_for,
                              time_context, fact_context)
        time_context = support.advance(time_context, sent)
        fact_context = support.advance(fact_context, sent)
    out += extract_tables(doc, source, segment_start, ruleset, index, actor_for)
    return deduplicate(out)


def _identity(e: Extraction) -> tuple:
    s, o = (e.subject.key or e.subject.text), (e.object.key or e.object.text)
    return (e.evidence.char_start, e.predicate, s, o, e.qualifiers)


def deduplicate(extractions: list[Extraction]) -> list[Extraction]:
    """One fact per sentence, predicate, arguments and qualifiers (the most confident rule's),
    in text order."""
    best: dict[tuple, Extraction] = {}
    for e in extractions:
        key = _identity(e)
        kept = best.get(key)
        if kept is None or (e.confidence, e.evidence.rule) > (kept.confidence, kept.evidence.rule):
            best[key] = e
    return sorted(best.values(), key=lambda e: (e.evidence.char_start, e.subject.start, e.object.start,
                                                e.predicate, e.evidence.rule, repr(e.qualifiers)))


__all__ = ["ExtractionContext", "extract_relations", "apply_rule", "confidence_for", "deduplicate"]
