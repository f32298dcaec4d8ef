"""Quantities attached to aid, personnel and trade phrases: head counts, money, percentages.

Public API:
    find_quantity(head, sent) -> Quantity | None

Convention (follows the gold annotations, ``shared/gold/GUIDELINES.md``): ``value`` is a plain
decimal string without separators or exponent.
- Money keeps the number as written and puts the scale word in the unit with the currency:
  "2,220 billion rubles" -> "2220" "billion rubles"; "$20 million" -> "20" "million dollars";
  "$500,000" -> "500000" "dollars". (Multiplying out would invent precision, and a reader
  compares amounts in the words of the source.)
- Head counts are multiplied out, and the unit is what is counted, without the nationality:
  "1,000 North Korean military personnel" -> "1000" "military personnel"; "two thousand
  advisors" -> "2000" "advisors"; "nineteen Mexicans" -> "19" "mexicans".
- Shares are percentages: "nearly 90%" -> "90" "percent"; "almost one-half of its trade" ->
  "50" "percent"; "three-quarters" -> "75" "percent".
- Repetitions: "visited Pyongyang twice" -> "2" "visits".
- Approximations keep their value ("some 325,000" -> "325000"); vague amounts ("a few hundred
  advisors", "thousands of troops") give no quantity.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from .doctext import doc_text

LEXICONS = Path(__file__).parent / "lexicons"
# dependency labels that join the words of one number ("2,220 billion", "two thousand")
NUMBER_PARTS = {"compound", "nummod", "quantmod", "npadvmod", "amod", "punct", "cc", "conj"}


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None
    text: str
    start: int  # character offsets in the Doc, end exclusive
    end: int


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return json.loads((LEXICONS / "quantities.json").read_text(encoding="utf-8"))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_number_word(tok: Token) -> bool:
    lex = _lexicon()
    low = tok.lower_
    return (low in lex["units"] and low not in {"a", "an"}) or low in lex["tens"] or low in lex["scales"] \
        or bool(re.fullmatch(r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+", low))


def _is_numeric(tok: Token) -> bool:
    return bool(re.fullmatch(r"\d[\d,]*(?:\.\d+)?", tok.text)) or _is_number_word(tok)


def _words_value(words: list[str]) -> Decimal | None:
    """ "two thousand", "twenty-five", "1.5 million", "325,000" as one number."""
    lex = _lexicon()
    total, current, seen = Decimal(0), Decimal(0), False
    for word in words:
        low = word.lower().replace(",", "")
        parts = low.split("-") if re.fullmatch(r"[a-z]+-[a-z]+", low) else [low]
        for part in parts:
            if re.fullmatch(r"\d+(?:\.\d+)?", part):
                current += Decimal(part)
            elif part in lex["units"]:
                current += lex["units"][part]
            elif part in lex["tens"]:
                current += lex["tens"][part]
            elif part in lex["scales"]:
                scale = lex["scales"][part]
                current = (current or Decimal(1)) * scale
                if scale >= 1000:
                    total, current = total + current, Decimal(0)
            else:
                return None
            seen = True
    return total + current if seen else None


def _number_group(tok: Token) -> list[Token]:
    """The tokens of the number that ``tok`` belongs to, left to right."""
    group = {tok.i: tok}
    frontier = [tok]
    while frontier:
        cur = frontier.pop()
        for nxt in list(cur.children) + [cur.head]:
            if nxt.i in group:
                continue
            linked = nxt.dep_ in NUMBER_PARTS or cur.dep_ in NUMBER_PARTS
            if linked and (_is_numeric(nxt) or nxt.text in {"$", "%"} or nxt.lower_ in _lexicon()["currencies"]
                           and nxt.head.i == cur.i and nxt.i < cur.i):
                group[nxt.i] = nxt
                frontier.append(nxt)
    return [group[i] for i in sorted(group)]


def _fraction_at(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """A fraction word sequence ("three-quarters", "one - half", "half") among ``tokens``."""
    fractions = _lexicon()["fractions"]
    for n in range(len(tokens)):
        for width in (3, 2, 1):
            chunk = tokens[n:n + width]
            joined = "".join(t.text_with_ws for t in chunk).strip().lower()
            squashed = re.sub(r"\s*-\s*", "-", joined)
            if squashed in fractions:
                return fractions[squashed], chunk
    return None


def _span_text(doc, tokens: list[Token]) -> tuple[str, int, int]:
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last.text)
    return doc_text(doc)[start:end], start, end


def _counted_unit(head: Token) -> tuple[str, list[Token]]:
    """What a head count counts: the head noun with its kind words, without nationality."""
    lex = _lexicon()
    kept = [head]
    for child in head.lefts:
        if child.ent_type_ or child.pos_ in {"NUM", "DET", "PRON"} or _is_numeric(child):
            continue
        if child.dep_ == "compound" and child.pos_ in {"NOUN"}:
            kept.append(child)
        elif child.dep_ in {"amod", "compound"} and child.lower_ in lex["kind_adjectives"]:
            kept.append(child)
    kept.sort(key=lambda t: t.i)
    return " ".join(t.text.lower() for t in kept), kept


def _is_vague(group: list[Token], head: Token) -> bool:
    vague = set(_lexicon()["vague_quantifiers"])
    words = {t.lower_ for t in group} | {c.lower_ for t in group for c in t.children} \
        | {c.lower_ for c in head.children if c.dep_ in {"amod", "quantmod", "det"}}
    has_digits = any(any(ch.isdigit() for ch in t.text) for t in group)
    # "a few hundred", "several thousand", or a bare scale word ("hundreds", "thousand")
    only_scales = all(t.lower_ in _lexicon()["scales"] or t.lower_ in vague for t in group if _is_numeric(t) or t.lower_ in vague)
    return not has_digits and (bool(words & vague) or only_scales)


def _currency_of(tokens: list[Token]) -> str | None:
    currencies = _lexicon()["currencies"]
    for t in tokens:
        if t.lower_ in currencies:
            return currencies[t.lower_]
    return None


def _from_number(num: Token, head: Token, doc) -> Quantity | None:
    """A quantity read from the number token ``num`` that modifies ``head`` (or is it)."""
    lex = _lexicon()
    group = _number_group(num)
    around = sorted(set(group) | ({head} if head.i != num.i else set()), key=lambda t: t.i)
    fraction = _fraction_at(list(doc[around[0].i:around[-1].i + 1]))
    if fraction is not None:
        value, words = fraction
        text, start, end = _span_text(doc, words)
        return Quantity(value, "percent", text, start, end)
    if _is_vague(group, head):
        return None
    money_tokens = group + [head]
    # "$" may hang on the number or on the head word of the amount
    money_tokens += [c for c in head.children if c.text in {"$"} or c.lower_ in {"us$", "usd"}]
    currency = _currency_of(money_tokens)
    numeric = [t for t in group if _is_numeric(t)]
    if not numeric:
        return None
    percent = any(t.text == "%" for t in group + [head] + list(head.children)) or head.lower_ in {"percent", "per", "percentage"} \
        or any(t.lower_ in {"percent", "per"} for t in group)
    if percent:
        value = _words_value([t.text for t in numeric if t.lower_ not in lex["scales"]])
        text, start, end = _span_text(doc, numeric + [t for t in group + [head] if t.text == "%" or t.lower_ == "percent"])
        return Quantity(_plain(value), "percent", text, start, end) if value is not None else None
    if currency:
        scales = [t for t in numeric if t.lower_ in lex["scales"] and t.lower_ != "hundred"]
        digits = [t for t in numeric if t not in scales]
        value = _words_value([t.text for t in digits])
        if value is None:
            return None
        unit = " ".join([s.lower_ for s in scales] + [currency])
        text, start, end = _span_text(doc, group + ([head] if head.lower_ in lex["currencies"] else []))
        return Quantity(_plain(value), unit, text, start, end)
    value = _words_value([t.text for t in numeric])
    if value is None or head.i == num.i:
        return None
    unit, unit_tokens = _counted_unit(head)
    text, start, end = _span_text(doc, numeric + unit_tokens)
    return Quantity(_plain(value), unit, text, start, end)


def _attached_number(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ in {"nummod", "quantmod"} or (child.dep_ in {"amod", "compound"} and _is_numeric(child)):
            return child
    return None


def _amount_phrase(word: Token) -> Quantity | None:
    """ "in the amount of 2,220 billion rubles", "worth $20 million", "of $5 million" on ``word``."""
    lex = _lexicon()
    for prep in word.children:
        if prep.dep_ not in {"prep", "npadvmod", "advmod", "amod"} and prep.lower_ != "worth":
            continue
        for obj in [c for c in prep.children if c.dep_ in {"pobj", "npadvmod", "dobj"}] or [prep]:
            target = obj
            if obj.lemma_.lower() in lex["quantity_link_nouns"]:
                inner = [g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
                if inner:
                    target = inner[0]
            num = _attached_number(target) or (target if _is_numeric(target) else None)
            if num is not None:
                found = _from_number(num, target, word.doc)
                if found is not None and (found.unit or "").split(" ")[-1] in set(lex["currencies"].values()):
                    return found
    return None


def find_quantity(head: Token | Span, sent: Span) -> Quantity | None:
    """The quantity attached to the noun phrase (or verb) ``head``, or None when none is stated."""
    if isinstance(head, Span):
        head = head.root
    lex = _lexicon()
    doc = sent.doc
    # 1. a number on the head itself: "1,000 military personnel", "$20 million", "90%"
    num = _attached_number(head)
    if num is not None:
        found = _from_number(num, head, doc)
        if found is not None:
            return found
    if _is_numeric(head) or head.text in {"$", "%"}:
        found = _from_number(head, head, doc)
        if found is not None and found.unit:
            return found
    # 2. the head is what a share or amount is "of": "three-quarters of its trade", "90% of
    #    the aid", "$20 million in aid", "2,000 of its advisors"
    if head.dep_ == "pobj" and head.head.dep_ in {"prep"} and head.head.lower_ in {"of", "in"}:
        owner = head.head.head
        if owner.lower_ in {"%", "percent"}:
            inner = _attached_number(owner)
            if inner is not None:
                return _from_number(inner, owner, doc)
        if owner.pos_ in {"NUM", "NOUN", "SYM"} or _is_numeric(owner):
            if _is_numeric(owner) or owner.text == "$":
                found = _from_number(owner, owner, doc)
            else:
                inner = _attached_number(owner)
                found = _from_number(inner, owner, doc) if inner is not None else None
                if found is None:
                    # the words before the share noun, whatever the parse made of them ("one - half")
                    fraction = _fraction_at(list(doc[max(sent.start, owner.i - 3):owner.i + 1]))
                    if fraction is not None:
                        text, start, end = _span_text(doc, fraction[1])
                        found = Quantity(fraction[0], "percent", text, start, end)
            if found is not None and (found.unit in {"percent"} or (found.unit or "").endswith(
                    tuple(set(lex["currencies"].values())))):
                return found
    # 3. an amount phrase on the head or on the verb it hangs on
    for word in (head, head.head if head.dep_ in {"dobj", "nsubjpass", "pobj", "attr"} else None):
        if word is None:
            continue
        found = _amount_phrase(word)
        if found is not None:
            return found
    # 4. repetitions on a verb: "visited Pyongyang twice", "met three times"
    if head.pos_ in {"VERB", "AUX"}:
        for child in head.children:
            times = lex["multiplicatives"].get(child.lower_)
            if times is None and child.lower_ in {"times", "occasions"}:
                inner = _attached_number(child)
                times_value = _words_value([inner.text]) if inner is not None else None
                times = int(times_value) if times_value is not None else None
                words = [inner, child] if inner is not None else [child]
            else:
                words = [child]
            if times is not None:
                unit = lex["event_nouns_for_verbs"].get(head.lemma_.lower(), "times")
                text, start, end = _span_text(doc, words)
                return Quantity(str(times), unit, text, start, end)
    return None
