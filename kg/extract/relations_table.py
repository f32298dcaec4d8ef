"""Facts from semi-structured tables: a heading that names a relation and one actor, then rows
that begin with a year and list entities ("1972 Cameroon, Rwanda, Chile,").

Example (any relation the rule lexicons know, any actor)::

    TABLE: DPRK Establishment of Diplomatic Relations, 1971 - 1980
    1971 Yugoslavia, Syria, Malta
    1972 Cameroon, Rwanda, Chile, Uganda, Senegal, Upper Volta, Pakistan,
    Madagascar, Zaire

The heading's relation comes from the rules (a rule's trigger lemma, and its theme lemma if it
has one, both in the heading); the actor is the subject when it comes before the trigger
("DPRK Establishment of ...") and the object when after ("Countries recognizing the DPRK").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..model import Extraction, Qualifiers, SourceDocument
from .arguments import ActorFor, Argument, EntityIndex, typed_argument
from .relations import confidence_for, evidence_for, mention_for
from .relations_rules import Rule, RuleSet

_ROW_YEAR = re.compile(r"^\s*((?:1[5-9]|20)\d\d)\b")
_MIN_LIST_COVERAGE = 0.75  # share of a continuation line's letters inside entities
_TABLE_CONFIDENCE_PENALTY = 0.05  # the row-to-heading link is layout, not syntax


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _words(span: Span) -> set[str]:
    words = set()
    for t in span:
        for w in (t.lemma_.lower(), t.lower_):
            words.add(w)
            if w.endswith("s") and len(w) > 3:
                words.add(w[:-1])  # capitalised headings keep plurals in the lemma
    return words


def heading_rule(heading: Span, rules: tuple[Rule, ...]) -> tuple[Rule, int] | None:
    """The most specific rule whose trigger (and theme) the heading names, with the trigger index."""
    words = _words(heading)
    best: tuple[tuple, Rule, int] | None = None
    for rule in rules:
        if not rule.heading or not (rule.trigger.lemmas & words):
            continue
        if rule.theme is not None and not (rule.theme.words.lemmas & words):
            continue
        if rule.trigger_modifiers and not (rule.trigger_modifiers & words):
            continue
        trigger_i = next(t.i for t in heading if {t.lemma_.lower(), t.lower_, t.lower_.rstrip("s")} & rule.trigger.lemmas)
        rank = (rule.theme is not None, rule.confidence, rule.id)
        if best is None or rank > best[0]:
            best = (rank, rule, trigger_i)
    return (best[1], best[2]) if best else None


def _list_coverage(span: Span, index: EntityIndex) -> float:
    letters = sum(1 for t in span for c in t.text if c.isalpha())
    inside = sum(1 for t in span if index.of(t) is not None for c in t.text if c.isalpha())
    return inside / letters if letters else 0.0


def _rows(doc: Doc, lines: list[Line], first: int, index: EntityIndex) -> list[tuple[int, int, int]]:
    """(year, char start, char end) of each row from ``lines[first]``, wrapped lines joined."""
    rows: list[tuple[int, int, int]] = []
    n = first
    while n < len(lines):
        line = lines[n]
        m = _ROW_YEAR.match(line.text)
        if m:
            rows.append((int(m.group(1)), line.start, line.end))
        elif rows and line.text.strip():
            span = doc.char_span(line.start, line.end, alignment_mode="expand")
            wraps = lines[n - 1].text.rstrip().endswith(",")
            if span is None or not (wraps or _list_coverage(span, index) >= _MIN_LIST_COVERAGE):
                break
            year, start, _ = rows[-1]
            rows[-1] = (year, start, line.end)
        else:
            break
        n += 1
    return rows


def extract_tables(doc: Doc, source: SourceDocument, segment_start: int, ruleset: RuleSet,
                   index: EntityIndex, actor_for: ActorFor | None) -> list[Extraction]:
    lines = lines_of(doc.text)
    out: list[Extraction] = []
    for n, line in enumerate(lines[:-1]):
        if not line.text.strip() or _ROW_YEAR.match(line.text) or not _ROW_YEAR.match(lines[n + 1].text):
            continue
        heading = doc.char_span(line.start, line.end, alignment_mode="expand")
        if heading is None:
            continue
        found = heading_rule(heading, ruleset.rules)
        if found is None:
            continue
        rule, trigger_i = found
        actor = _heading_actor(heading, rule, trigger_i, actor_for)
        if actor is None:
            continue
        actor_arg, actor_is_subject = actor
        listed_role = rule.object if actor_is_subject else rule.subject
        if listed_role is None:
            continue
        for year, start, end in _rows(doc, lines, n + 1, index):
            row = doc.char_span(start, end, alignment_mode="expand")
            if row is None:
                continue
            out += _row_facts(rule, row, year, actor_arg, actor_is_subject, listed_role.types, doc[trigger_i],
                              source, segment_start, actor_for)
    return out


def _heading_actor(heading: Span, rule: Rule, trigger_i: int, actor_for: ActorFor | None):
    ents = [e for e in heading.ents]
    candidates = []
    for ent in ents:
        before = ent.start < trigger_i
        role = rule.subject if before else rule.object
        if role is None:
            continue
        arg = typed_argument(ent, ent.root.i, role.types, actor_for)
        if arg is not None:
            candidates.append((arg, before))
    return candidates[0] if len(candidates) == 1 else None


def _row_facts(rule: Rule, row: Span, year: int, actor: Argument, actor_is_subject: bool, types,
               trigger, source: SourceDocument, segment_start: int, actor_for: ActorFor | None) -> list[Extraction]:
    evidence = evidence_for(row.start_char, row.end_char, row.text, source, segment_start, f"{rule.id}.table-row")
    qualifiers = Qualifiers(year=None if rule.ends else year, end_year=year if rule.ends else None,
                            time_text=str(year))
    out = []
    for ent in row.ents:
        if _ROW_YEAR.match(ent.text):
            continue
        listed = typed_argument(ent, ent.root.i, types, actor_for)
        if listed is None or listed.span == actor.span or (listed.key and listed.key == actor.key):
            continue
        subject, obj = (actor, listed) if actor_is_subject else (listed, actor)
        # the heading is far from its rows by construction: distance says nothing here
        conf = confidence_for(rule, trigger, [subject, obj], hedged=False, by_distance=False) - _TABLE_CONFIDENCE_PENALTY
        out.append(Extraction(subject=mention_for(subject, segment_start), predicate=rule.predicate,
                              object=mention_for(obj, segment_start), qualifiers=qualifiers,
                              confidence=round(conf, 3), evidence=evidence))
    return out
