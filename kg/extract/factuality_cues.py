"""Negation and hedging cues of a candidate fact, scoped to the clause that states it.

Part of ``kg.extract.factuality`` (which adds attribution and the sentence-to-sentence context);
the lexicons are data: lexicons/negation.json, hedging.json.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token


LEXICONS = Path(__file__).parent / "lexicons"
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
# links that keep a word inside the clause of the word it hangs on
NOMINAL_LINKS = {"dobj", "pobj", "prep", "pcomp", "attr", "acomp", "oprd", "dative", "compound", "amod", "nmod",
                 "npadvmod", "appos", "nsubjpass", "nsubj", "poss", "agent", "acl", "quantmod", "nummod", "dep", "case"}
# links from a clause to the clause it completes
COMPLEMENT_LINKS = {"xcomp", "ccomp", "pcomp", "acl", "dobj", "pobj", "prep", "attr", "oprd", "dep", "parataxis"}
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP", "MD"}


@lru_cache(maxsize=None)
def _lexicon(name: str) -> dict:
    return json.loads((LEXICONS / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _compiled(name: str, key: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _lexicon(name)[key])


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()

# --------------------------------------------------------------------------- scope

def _clause_chain(trigger: Token) -> list[Token]:
    """The trigger and the words up to its clause's verb, then the verbs that control it."""
    chain = [trigger]
    tok = trigger
    while tok.head != tok:
        dep = tok.dep_
        head = tok.head
        if tok.pos_ in {"VERB", "AUX"} and dep not in {"xcomp", "aux", "auxpass"}:
            # the clause's verb: climb further only into a governor the clause completes
            if dep == "ccomp" and _lemma(head) in set(_lexicon("negation")["raising_verbs"]) | _negative_governors():
                pass
            elif dep in {"pcomp", "acomp"}:
                pass
            else:
                break
        elif dep == "conj" and tok.pos_ in {"VERB", "AUX"}:
            break
        elif dep not in NOMINAL_LINKS | {"xcomp", "conj", "advmod", "ccomp"}:
            break
        elif dep == "nsubj" and _lemma(head) == "be" and any(c.dep_ in {"acomp", "attr"} for c in head.children):
            break  # "X's solidarity was not uncritical": the copula denies a property, not the fact
        chain.append(head)
        tok = head
    return chain


def _negative_governors() -> set[str]:
    return set(_lexicon("negation")["negative_governors"])


def _path_to(ancestor: Token, tok: Token) -> list[Token]:
    """Tokens from ``tok`` up to (excluding) ``ancestor``."""
    path = []
    while tok != ancestor and tok.head != tok:
        path.append(tok)
        tok = tok.head
    return path


def _in_complement(trigger: Token, governor: Token) -> bool:
    """Whether ``trigger`` lies in what ``governor`` says or reports, not in its subject."""
    if governor == trigger or not governor.is_ancestor(trigger):
        return False
    step = _path_to(governor, trigger)[-1]
    if step.dep_ in SUBJECT_DEPS or step.dep_ in {"advcl", "mark", "cc", "punct", "conj"}:
        return False
    lo, hi = sorted((governor.i, step.left_edge.i if step.i > governor.i else step.right_edge.i))
    if any(t.text == ";" for t in governor.doc[lo + 1:hi]):
        return False  # clauses a semicolon separates are siblings the parser hung on each other
    if step.dep_ == "prep" and step.lower_ == "according":
        return False
    return True


def _governors(trigger: Token) -> list[Token]:
    """Ancestors of the trigger whose complement holds it, nearest first."""
    return [a for a in trigger.ancestors if _in_complement(trigger, a)]


# --------------------------------------------------------------------------- negation

def _negation_cues(trigger: Token) -> list[str]:
    lex = _lexicon("negation")
    skip_after = lex["not_negating_after"]
    cues: list[str] = []
    chain = _clause_chain(trigger)
    for n, tok in enumerate(chain):
        for child in tok.children:
            if child in chain:
                continue
            low = child.text.lower()
            nxt = child.nbor(1).lower_ if child.i + 1 < len(child.doc) else ""
            if low in lex["negators"] and nxt not in skip_after.get(low, ()):
                if child.dep_ in {"neg", "det", "advmod", "preconj", "cc"} and not (child.dep_ == "cc" and low != "nor"):
                    cues.append(child.text)
            if child.dep_ == "prep" and low == "in" and any(g.lower_ in lex["negative_answers"] for g in child.children):
                cues.append("in the negative")
        if n == 0:
            continue
        lemma = _lemma(tok)
        if tok.lower_ == "without" or (tok.pos_ in {"VERB", "AUX"} and lemma in lex["negative_governors"]) \
                or (tok.pos_ == "NOUN" and lemma in lex["negative_nouns"]) \
                or (tok.pos_ == "ADJ" and lemma in lex["negative_adjectives"]):
            cues.append(tok.text)
        particles = lex["negative_phrasal_governors"].get(lemma, [])
        if any(c.dep_ == "prt" and c.lower_ in particles for c in tok.children):
            cues.append(f"{tok.text} {particles[0]}")
    # "rejected the proposal that ...", "denied that ...": a refusal whose content is the fact
    for gov in _governors(trigger):
        if gov in chain or gov.pos_ not in {"VERB", "AUX"}:
            continue
        if _lemma(gov) in {"reject", "deny", "refuse", "decline", "rebuff", "veto"}:
            cues.append(gov.text)
            break
    # "offered to send troops, but was turned down": a request its own clause reports refused
    top = chain[-1]
    if _lemma(top) in lex["request_verbs"] and top != trigger:
        for conj in top.children:
            if conj.dep_ != "conj":
                continue
            refused = _lemma(conj) in lex["rejection_verbs"] or any(
                c.dep_ == "prt" and c.lower_ in lex["rejection_phrasal"].get(_lemma(conj), []) for c in conj.children)
            if refused:
                cues.append(conj.text)
    return cues


# --------------------------------------------------------------------------- hedging

def _hedge_cues(trigger: Token, sent: Span) -> list[str]:
    lex = _lexicon("hedging")
    cues: list[str] = []
    chain = _clause_chain(trigger)
    governors = _governors(trigger)
    scope = list(dict.fromkeys(chain + governors))
    for tok in scope:
        for child in tok.children:
            low = child.text.lower()
            if child.dep_ in {"advmod", "npadvmod"} and low in lex["adverbs"]:
                cues.append(child.text)
            elif child.dep_ == "aux" and low in lex["modals"]:
                cues.append(child.text)
            elif child.dep_ == "aux" and low in lex["perfect_modals"] and any(
                    c.dep_ == "aux" and c.lower_ == "have" for c in tok.children):
                cues.append(f"{child.text} have")
            elif child.dep_ == "amod" and low in lex["attributive_adjectives"] and tok.pos_ in {"NOUN", "PROPN"}:
                cues.append(child.text)
            elif child.dep_ in {"parataxis", "advcl", "ccomp"} and _lemma(child) in lex["governing_verbs"] and any(
                    c.dep_ in {"nsubj", "expl"} and c.lower_ == "it" for c in child.children):
                cues.append(f"it {child.text}")  # "Kim, it seemed, had emerged as ..."
    for gov in governors:
        lemma = _lemma(gov)
        if gov.pos_ in {"VERB", "AUX"} and lemma in lex["governing_verbs"]:
            cues.append(gov.text)
        elif gov.tag_ == "VBN" and lemma in lex["passive_governing_verbs"] and any(
                c.dep_ in {"auxpass", "nsubjpass"} for c in gov.children):
            cues.append(gov.text)
        elif gov.pos_ == "NOUN" and lemma in lex["governing_nouns"]:
            cues.append(gov.text)
    for pattern in _compiled("hedging", "sentence_phrases"):
        match = pattern.search(sent.text)
        if match and _phrase_governs(sent, match, trigger):
            cues.append(match.group(0))
    return cues


def _phrase_governs(sent: Span, match: re.Match, trigger: Token) -> bool:
    """A sentence-level phrase counts unless it sits in a clause that does not hold the trigger."""
    start = sent.start_char + match.start()
    tokens = [t for t in sent if start <= t.idx < sent.start_char + match.end()]
    if not tokens:
        return False
    head = tokens[0]
    while head.head != head and head.head.i in {t.i for t in tokens}:
        head = head.head
    clause = head.head if head.dep_ in {"prep", "advmod", "npadvmod", "advcl"} else head
    while clause.pos_ not in {"VERB", "AUX"} and clause.head != clause:
        clause = clause.head
    # the cue's clause governs the fact, or hangs on the fact's clause as an aside
    return clause == trigger or clause.is_ancestor(trigger) or clause.head in _clause_chain(trigger)


def _next_sentence_cautions(sent: Span) -> bool:
    """ "These figures must be treated with caution." right after the sentence hedges it."""
    doc = sent.doc
    if sent.end >= len(doc):
        return False
    nxt = doc[sent.end].sent
    return any(p.search(nxt.text) for p in _compiled("hedging", "caution_phrases")) and len(nxt) <= 25


# --------------------------------------------------------------------------- unasserted content

# links by which a clause or phrase spells out the content of a noun ("the idea that ...",
# "a proposal for ...", "the plan (X recognizes Y)")
GLOSS_WINDOW = 8  # tokens read back from "(" for the glossed noun phrase
CONTENT_LINKS = {"acl", "ccomp", "prep", "pobj", "pcomp", "appos", "relcl", "attr", "advcl", "parataxis", "dep"}


def _unasserted_nouns() -> set[str]:
    return set(_lexicon("hedging").get("unasserted_nouns", ()))


def _unasserted_cues(trigger: Token, sent: Span) -> list[str]:
    """Cues that the fact is only the content of a proposal, plan or idea, not something the text
    says happened ("rejected the proposal that Moscow recognize Seoul", "the plan was that ...",
    "the formula of cross-recognition (Moscow recognizes Seoul, ...)")."""
    nouns = _unasserted_nouns()
    tok, steps = trigger, 0
    while tok.dep_ in CONTENT_LINKS and tok.head.i != tok.i and steps < 4:
        head = tok.head
        if _lemma(head) in nouns and head.pos_ in {"NOUN", "PROPN"}:
            return [f"content of '{head.text}'"]
        if _lemma(head) == "be" and any(c.dep_ in SUBJECT_DEPS and _lemma(c) in nouns for c in head.children):
            return ["content of a plan (copula)"]
        tok, steps = head, steps + 1
    return _parenthetical_gloss(trigger, sent, nouns)


def _parenthetical_gloss(trigger: Token, sent: Span, nouns: set[str]) -> list[str]:
    doc = sent.doc
    opening = None
    for i in range(trigger.i - 1, sent.start - 1, -1):
        if doc[i].text == ")":
            return []
        if doc[i].text == "(":
            opening = i
            break
    if opening is None or opening == sent.start:
        return []
    # the noun phrase the parenthesis glosses, read back from "(" (parses of glosses are often
    # wrong, so the words are read, not the tree): up to a clause boundary or a finite verb
    for i in range(opening - 1, max(sent.start, opening - GLOSS_WINDOW) - 1, -1):
        tok = doc[i]
        if tok.text in {",", ";", ":", ")"} or tok.tag_ in FINITE_VERB_TAGS:
            break
        if _lemma(tok) in nouns and tok.pos_ in {"NOUN", "PROPN"}:
            return [f"gloss of '{tok.text}'"]
    return []
