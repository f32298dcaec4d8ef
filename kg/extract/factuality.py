"""Factuality of a candidate fact: negation, hedging and attribution, scoped to its trigger.

Public API:
    assess(trigger, sent, context=None) -> Factuality
    FactualityContext.for_document(genre) ; context.advance(sent) -> FactualityContext

Lexicons are data: lexicons/negation.json, hedging.json, attribution.json.

Scope. A cue only counts for the clause that states the fact: the trigger's *chain* is the
trigger and the words it hangs on up to its clause's verb, then up through control and
complement links ("did not *send*", "refused to *join*", "it does not appear that the DPRK ever
*contributed*"). A negation in a coordinated or adverbial clause leaves the fact alone.
Attribution follows complement links further up, to the speech verb whose reported content
holds the fact ("X told the ambassador that ..."); the narrator's own statements are
unattributed.

Carry-over (``FactualityContext``). Reported speech runs across sentences: "He stated that"
names the last speaker; a quotation left open continues its speaker; and inside an archival
record (a document whose genre is ``archival``, or the part of a document after a heading such
as "Memorandum on the Conversation ..."), a report sentence without its own speech verb keeps
the last speaker ("The KWP fully supported the standpoint ..." after "Kim Il Sung stated ...").
A paragraph-level caution ("the figures ... must be treated with some caution") hedges the
rest of its paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from .timex import paragraph_break
from .doctext import doc_text, entities_in

from .factuality_cues import (
    FINITE_VERB_TAGS, _clause_chain, _compiled, _governors, _hedge_cues, _lemma, _lexicon, _negation_cues,
    _next_sentence_cautions, _path_to, _unasserted_cues,
)

OPEN_QUOTES, CLOSE_QUOTES = "“‘«", "”’»"
CAUTION_SENTENCES = 3
# prepositions that introduce what is said ("spoke of", "referred to"), beyond of/about/on
REPORTED_PREPS = {"refer": {"to"}, "point": {"to", "out"}, "allude": {"to"}, "inform": {"of", "about", "on"}}


@dataclass(frozen=True)
class Factuality:
    polarity: str  # "affirmed" | "negated" (kg.model.POLARITIES)
    hedged: bool
    attributed_to: str | None  # the claimant's label ("Kim Il Sung", "US intelligence")
    cues: tuple[str, ...]  # the words that decided it, for evidence and debugging
    # False when the text only proposes, plans or imagines the fact; such facts stay out of the graph
    asserted: bool = True




# --------------------------------------------------------------------------- attribution

def _entity_at(tok: Token) -> Span | None:
    # read from the token's own IOB tags: scanning doc.ents per token is quadratic
    if not tok.ent_type_:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_, span_id=tok.ent_id_)


def _clean_label(text: str, keep_titles: bool = False) -> str:
    words = text.replace("’", "'").split()
    titles = set(_lexicon("attribution")["titles"])
    while len(words) > 1 and not keep_titles and words[0].lower().strip(",") in titles:
        words = words[1:]
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    label = " ".join(words)
    label = re.sub(r"'s$|'$", "", label).strip(" ,.;:“”\"'")
    return label


def _noun_phrase(tok: Token) -> str:
    """The words of a noun phrase, without determiners, relative clauses or appositions."""
    ent = _entity_at(tok)
    if ent is not None and ent.label_ not in {"CARDINAL", "ORDINAL", "DATE"}:
        return _clean_label(ent.text, keep_titles=ent.label_ not in {"Person", "PERSON"})
    # the head with its left modifiers (a noun phrase's name part), not its clauses or lists
    words = [t for t in tok.lefts if t.dep_ in {"compound", "amod", "nmod", "poss", "nummod"} and not t.is_punct]
    words = [w for left in words for w in left.subtree if not w.is_punct and w.dep_ != "case"] + [tok]
    return _clean_label(" ".join(t.text for t in sorted(set(words), key=lambda t: t.i)))


def _source_of(noun: Token) -> str | None:
    """ "reports from defectors and scholars" -> "defectors and scholars"; "one estimate" -> None."""
    lex = _lexicon("attribution")
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in {"from", "of", "by"}:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    words = [t for t in obj.subtree if t.dep_ not in {"det", "punct"} and not t.is_punct]
                    return _clean_label(" ".join(t.text for t in words)) if _entity_at(obj) is None \
                        else _noun_phrase(obj)
    if noun.lower_ in lex["source_nouns"] or _lemma(noun) in lex["source_nouns"]:
        return None
    return _noun_phrase(noun)


def _speaker_label(subject: Token, in_quote: bool, context: "FactualityContext | None") -> str | None:
    lex = _lexicon("attribution")
    low = subject.lower_
    if low in {"he", "she", "him", "her"}:
        return context.speaker if context is not None else None
    if low in lex["narrator_pronouns"]:
        return context.quote_speaker if (in_quote and context is not None) else None
    if low in {"it", "they", "this", "that", "which", "who", "there", "one"}:
        return None
    if _lemma(subject) in lex["source_nouns"] or subject.lower_ in lex["source_nouns"]:
        return _source_of(subject)
    return _noun_phrase(subject)


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    if verb.dep_ in {"conj", "xcomp"} and verb.head != verb:
        return _subject_of(verb.head)
    return None


def _inside_quote(tok: Token, sent: Span, context: "FactualityContext | None") -> bool:
    before = doc_text(sent.doc)[sent.start_char:tok.idx]
    opened = sum(before.count(q) for q in OPEN_QUOTES) - sum(before.count(q) for q in CLOSE_QUOTES)
    opened += before.count('"') % 2
    starts_open = context is not None and context.quote_open
    return opened > 0 or (starts_open and opened >= 0)


def _speech_attribution(trigger: Token, sent: Span, context) -> tuple[str | None, str | None]:
    """(speaker, cue) of the nearest speech verb whose reported content holds the trigger."""
    lex = _lexicon("attribution")
    speech = set(lex["speech_verbs"])
    for gov in _governors(trigger):
        if gov.pos_ not in {"VERB", "AUX"} or _lemma(gov) not in speech:
            continue
        step = _path_to(gov, trigger)[-1]
        if step.dep_ in {"dative", "npadvmod", "advmod"} or (step.dep_ == "prep" and step.lower_ not in REPORTED_PREPS.get(
                _lemma(gov), {"of", "about", "on"})):
            continue  # the addressee or circumstances of the speech, not what it says
        if _lemma(gov) in lex["expressive_verbs"] and step == trigger and step.dep_ == "dobj" and not any(
                c.dep_ == "poss" and c.pos_ != "PRON" for c in trigger.children):
            # "expressed support for X" states the fact itself, it reports nothing; "affirmed the
            # GDR's support for X" reports a third party's stance
            continue
        if gov.tag_ == "VBN" and any(c.dep_ in {"auxpass", "nsubjpass"} for c in gov.children) and \
                not any(c.dep_ == "agent" for c in gov.children):
            continue  # "it was reported that": a hedge, with no one to attribute it to
        subject = _subject_of(gov)
        if subject is None:
            continue
        label = _speaker_label(subject, _inside_quote(gov, sent, context), context)
        if label:
            return label, gov.text
    return None, None


def _according_to(trigger: Token, sent: Span) -> tuple[str | None, str | None]:
    chain_and_governors = set(_clause_chain(trigger)) | set(_governors(trigger))
    lex = _lexicon("attribution")
    for tok in sent:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if obj is None:
            continue
        attached = tok.head
        if not (attached in chain_and_governors or attached.dep_ == "ROOT" or attached.is_ancestor(trigger)):
            continue
        if _lemma(obj) in lex["source_nouns"] or obj.lower_ in lex["source_nouns"]:
            label = _source_of(obj)
        else:
            label = _noun_phrase(obj)
        if label and label.lower() not in lex["anonymous_sources"]:
            return label, "according to"
    return None, None


def _view_of(trigger: Token) -> tuple[str | None, str | None]:
    """ "in X's words", "in the view of X", "X had the sense that ..." governing the trigger."""
    lex = _lexicon("attribution")
    for gov in [trigger] + list(trigger.ancestors):
        for child in gov.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                for noun in child.children:
                    if noun.dep_ == "pobj" and (_lemma(noun) in lex["view_nouns"] or noun.lower_ in lex["view_nouns"]):
                        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
                        label = _noun_phrase(owner) if owner is not None else _source_of(noun)
                        if label:
                            return label, f"in {noun.text}"
        if gov.pos_ == "NOUN" and _lemma(gov) in lex["source_nouns"] and gov.is_ancestor(trigger) and \
                gov.lower_ in {"sense", "impression", "view", "opinion", "belief"}:
            owner = next((c for c in gov.children if c.dep_ == "poss"), None)
            if owner is None and gov.head.pos_ in {"VERB", "AUX"}:
                owner = _subject_of(gov.head)
            if owner is not None and owner.lower_ not in {"it", "one"}:
                label = _noun_phrase(owner)
                if label:
                    return label, gov.text
    return None, None


# --------------------------------------------------------------------------- context

def _is_heading(sent: Span) -> bool:
    return len(sent) <= 40 and not any(t.tag_ in FINITE_VERB_TAGS for t in sent)


def _opens_record(sent: Span) -> bool:
    """A record's heading line ("Memorandum on the Conversation between X and Y ...") that the
    parser ran into the record's first sentence: its first line alone is verbless and names a
    record kind."""
    first_line_end = sent.text.find("\n")
    if first_line_end < 0:
        return False
    line = sent.text[:first_line_end].strip()
    if not re.match(_lexicon("attribution")["report_headings"], line, re.IGNORECASE):
        return False
    end = sent.start_char + first_line_end
    return not any(t.tag_ in FINITE_VERB_TAGS for t in sent if t.idx < end)


def _record_speaker(sent: Span) -> bool:
    """ "Comrade Kim Il Sung stated ...": a speaker titled the way the records of communist
    parties and embassies title them. Such a sentence marks a record, even where no heading
    was seen (a long document split into segments starts mid-record)."""
    titles = set(_lexicon("attribution")["record_speaker_titles"])
    speech = set(_lexicon("attribution")["speech_verbs"])
    for tok in sent:
        if tok.pos_ in {"VERB", "AUX"} and _lemma(tok) in speech:
            subject = _subject_of(tok)
            if subject is not None and any(t.lower_ in titles for t in subject.subtree):
                return True
    return False


def _sentence_speaker(sent: Span, context: "FactualityContext") -> str | None:
    """The speaker a sentence names with a speech verb of its own ("Kim Il Sung stated ...")."""
    speech = set(_lexicon("attribution")["speech_verbs"])
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX"} or _lemma(tok) not in speech:
            continue
        subject = _subject_of(tok)
        if subject is None:
            continue
        ent = _entity_at(subject)
        if ent is not None and ent.label_ in {"Person", "PERSON"}:
            return _clean_label(ent.text)
        if ent is not None and ent.label_ in {"Organization", "ORG", "State", "GPE"}:
            if context.report_mode and context.carry and context.speaker:
                # inside a record, "The Party Congress characterized X as ..." is the speaker's
                # account of a body's view: the record still reports the same speaker
                return context.speaker
            return _clean_label(ent.text, keep_titles=True)
        if subject.lower_ in {"he", "she"}:
            return context.speaker
    return None


def _last_person(sent: Span) -> str | None:
    people = [e for e in entities_in(sent) if e.label_ in {"Person", "PERSON"} and e.root.dep_ in {"nsubj", "nsubjpass"}]
    return _clean_label(people[-1].text) if people else None


@dataclass(frozen=True)
class FactualityContext:
    """The speaker of reported speech and the paragraph's cautions, carried sentence by sentence.

    Use the context advanced up to the sentence *before* the one being assessed.
    """

    speaker: str | None = None  # the last named speaker (or subject person): what "he stated" means
    report_mode: bool = False  # inside an archival record: report sentences keep the speaker
    quote_open: bool = False  # the next sentence starts inside an open quotation
    quote_speaker: str | None = None
    caution: int = 0  # how many more sentences of the paragraph a caution cue still hedges
    caution_on_figures: bool = False  # the caution is about figures: it hedges sentences giving some
    previous_end: int | None = None
    carry: bool = False  # the last sentence reported speech, so the next may continue it

    @classmethod
    def for_document(cls, genre: str = "other") -> "FactualityContext":
        return cls(report_mode=genre == "archival")

    def advance(self, sent: Span) -> "FactualityContext":
        lex = _lexicon("attribution")
        text = sent.text.strip()
        new_paragraph = self.previous_end is None or paragraph_break(sent.doc, self.previous_end, sent.start_char)
        state = self
        if new_paragraph:
            state = replace(state, caution=0)
        if _is_heading(sent):
            report = state.report_mode or bool(re.match(lex["report_headings"], text, re.IGNORECASE))
            return replace(state, speaker=None, report_mode=report, quote_open=False, quote_speaker=None,
                           carry=False, previous_end=sent.end_char)
        if _opens_record(sent):
            state = replace(state, speaker=None, report_mode=True, quote_open=False, quote_speaker=None, carry=False)
        elif not state.report_mode and _record_speaker(sent):
            state = replace(state, report_mode=True)
        named = _sentence_speaker(sent, state)
        narrator = bool(re.match(lex["narrator_markers"], text, re.IGNORECASE))
        speaker = named or _last_person(sent) or state.speaker
        # a named person doing something other than speaking is narrated, not reported speech
        acts = any(t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and _entity_at(t) is not None and
                   _entity_at(t).label_ in {"Person", "PERSON"} for t in sent) and not named
        carry = bool(named) or (state.carry and not narrator and state.report_mode and not acts)
        opens = sum(text.count(q) for q in OPEN_QUOTES) + text.count('"') // 2 + text.count('"') % 2
        closes = sum(text.count(q) for q in CLOSE_QUOTES) + text.count('"') // 2
        quote_open = (state.quote_open or opens > 0) and (opens - closes + (1 if state.quote_open else 0)) > 0
        if text.startswith(tuple(OPEN_QUOTES)) and not state.quote_open:
            quote_open = opens > closes
        quote_speaker = (named or state.quote_speaker or state.speaker) if quote_open else None
        # a caution about "the figures" covers the few sentences that give them, not the chapter:
        # the first sentence without figures ends it
        on_figures = state.caution_on_figures
        if any(p.search(sent.text) for p in _compiled("hedging", "caution_phrases")):
            caution, on_figures = CAUTION_SENTENCES, _names_figures(sent)
        elif on_figures and not _gives_figures(sent):
            caution = 0
        else:
            caution = max(0, state.caution - 1)
        return replace(state, speaker=None if narrator else speaker, quote_open=quote_open,
                       quote_speaker=quote_speaker, caution=caution, caution_on_figures=on_figures,
                       previous_end=sent.end_char, carry=carry and not narrator)


def _names_figures(sent: Span) -> bool:
    words = set(_lexicon("hedging")["figure_words"])
    return any(t.lemma_.lower() in words or t.lower_ in words for t in sent)


def _gives_figures(sent: Span) -> bool:
    """Whether a sentence states a number that counts or measures something (not a year or date)."""
    for tok in sent:
        if not (tok.like_num or tok.pos_ == "NUM") or tok.ent_type_ in {"DATE", "TIME", "ORDINAL"}:
            continue
        digits = tok.text.replace(",", "")
        if digits.isdigit() and len(digits) == 4 and 1000 <= int(digits) <= 2100 and tok.ent_type_ != "CARDINAL":
            continue  # a year
        return True
    return False


# --------------------------------------------------------------------------- assess

def assess(trigger: Token, sent: Span, context: FactualityContext | None = None) -> Factuality:
    """Polarity, hedging and attribution of the fact whose trigger is ``trigger`` in ``sent``."""
    negations = _negation_cues(trigger)
    hedges = _hedge_cues(trigger, sent)
    unasserted = _unasserted_cues(trigger, sent)
    if context is not None and context.caution and not _starts_new_paragraph(sent, context) \
            and (not context.caution_on_figures or _gives_figures(sent)):
        hedges.append("caution (paragraph)")
    if _next_sentence_cautions(sent) or any(p.search(sent.text) for p in _compiled("hedging", "caution_phrases")):
        hedges.append("caution")
    speaker, cue = _speech_attribution(trigger, sent, context)
    if speaker is None:
        speaker, cue = _view_of(trigger)
    if speaker is None:
        speaker, cue = _according_to(trigger, sent)
    if speaker is None and context is not None:
        narrator = bool(re.match(_lexicon("attribution")["narrator_markers"], sent.text.strip(), re.IGNORECASE))
        if _inside_quote(trigger, sent, context) and (context.quote_speaker or context.speaker):
            speaker, cue = context.quote_speaker or context.speaker, "quotation"
        elif context.report_mode and context.carry and not narrator and not _narrated_action(sent) \
                and not _starts_new_paragraph(sent, context):
            # a sentence naming its own speaker reports that speaker, not the previous one
            speaker, cue = _sentence_speaker(sent, context) or context.speaker, "reported speech"
        elif context.report_mode and context.carry and not narrator and not _narrated_action(sent) \
                and _continues_report(sent):
            speaker, cue = context.speaker, "reported speech"
    cues = tuple(negations + hedges + unasserted + ([cue] if cue else []))
    return Factuality(
        polarity="negated" if len(negations) % 2 == 1 else "affirmed",
        hedged=bool(hedges),
        attributed_to=speaker,
        cues=cues,
        asserted=not unasserted,
    )


def _starts_new_paragraph(sent: Span, context: FactualityContext) -> bool:
    if context.previous_end is None:
        return True
    return paragraph_break(sent.doc, context.previous_end, sent.start_char)


def _continues_report(sent: Span) -> bool:
    """A new paragraph of a record that still reports the speaker ("He also said ...")."""
    first = next((t for t in sent if not t.is_punct and not t.is_space), None)
    return first is not None and first.lower_ in {"he", "she", "the", "this", "these", "our", "in", "as"}


def _narrated_action(sent: Span) -> bool:
    """ "Cuban Ambassador Vigoa asked a few questions": a named person's own act, told by the
    narrator (a speech verb would have named a new speaker instead)."""
    speech = set(_lexicon("attribution")["speech_verbs"])
    for tok in sent:
        if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and _lemma(tok.head) not in speech:
            ent = _entity_at(tok)
            if ent is not None and ent.label_ in {"Person", "PERSON"}:
                return True
    return False
