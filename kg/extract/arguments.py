"""Generic argument machinery shared by every relation rule.

A rule says *which* dependency paths lead from its trigger to its subject and object; this module
walks them and turns the words it reaches into typed entity arguments the same way for all rules:
logical subjects and objects across passives, control verbs, conjoined verbs and relative
clauses; the agents of nominalisations ("the Soviet invasion", "X's aid"); role nouns ("the
ambassador to Y, X"); coordination and lists ("Guinea, Mali and Ghana"); group nouns ("the
government of Japan"); and capitals or demonyms standing for their state.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .relations_rules import ArgumentLexicon, Role, Step

ActorFor = Callable[[str], "str | None"]
_MAX_HOPS = 4  # how far SUBJ climbs through xcomp / conj / advcl chains


@dataclass(frozen=True)
class Argument:
    """An entity filling a role: its span, the type and key it takes in that role."""

    span: Span
    type: str
    key: str | None
    anchor: int  # index of the word the path reached (for distance)
    via_actor: bool = False  # a capital/demonym mapped to its state


InnerLookup = Callable[[str], "tuple[str, str] | None"]  # surface -> (entity type, key), or None
StateLedBy = Callable[[str], "str | None"]  # person key -> the state they led, or None
# a city in an event's name is its venue, not an actor ("the Berlin Conference", "the Geneva talks")
_INNER_TYPES = ("State", "Organization", "Person")
_INNER_MAX_WORDS = 3
_COMPANION_ADVERBS = ("along", "together")
_NOT_A_NAME = ("DET", "ADP", "PUNCT", "CCONJ", "PART", "NUM", "SPACE")


class EntityIndex:
    """Which entity span (``doc.ents``) each token belongs to; built once per Doc.

    Two optional look-ups say what entities stand for beyond their own span: ``inner_lookup``
    finds the actors named *inside* an Event span ("the Soviet invasion of Afghanistan" is one
    event, and also names the Soviet Union and Afghanistan, which conflict rules need), and
    ``state_led_by`` maps a leader to the state a regime named after them stands for ("the
    Mengistu regime" is Ethiopia's government).
    """

    def __init__(self, doc: Doc, inner_lookup: InnerLookup | None = None, state_led_by: StateLedBy | None = None):
        self.doc = doc
        self._of: dict[int, Span] = {}
        self._inner: dict[int, Span] = {}
        self._state_led_by = state_led_by
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self._of[i] = ent
            if ent.label_ == "Event" and inner_lookup is not None and len(ent) > 1:
                self._index_inner(ent, inner_lookup)

    def of(self, token: Token) -> Span | None:
        return self._of.get(token.i)

    def inner(self, token: Token) -> Span | None:
        """A named actor inside the Event span ``token`` belongs to, if ``token`` is part of one."""
        return self._inner.get(token.i)

    def led_state(self, person: Span) -> Span | None:
        """The person's span read as the state they led, when the look-up knows one."""
        if self._state_led_by is None or person.label_ != "Person" or not person.ent_id_:
            return None
        state = self._state_led_by(person.ent_id_)
        return Span(self.doc, person.start, person.end, label="State", span_id=state) if state else None

    def _index_inner(self, ent: Span, lookup: InnerLookup) -> None:
        i = ent.start
        while i < ent.end:
            found = None
            for n in range(min(_INNER_MAX_WORDS, ent.end - i), 0, -1):
                words = self.doc[i:i + n]
                if n == len(ent) or words[0].pos_ in _NOT_A_NAME or words[-1].pos_ in _NOT_A_NAME:
                    continue
                hit = lookup(words.text)
                if hit is not None and hit[0] in _INNER_TYPES:
                    found = Span(self.doc, i, i + n, label=hit[0], span_id=hit[1])
                    break
            if found is None:
                i += 1
                continue
            for j in range(found.start, found.end):
                self._inner[j] = found
            i = found.end


# ---------------------------------------------------------------------------------------------
# macros


def _is_relative(token: Token, lex: ArgumentLexicon) -> bool:
    return token.lower_ in lex.relative_pronouns or token.tag_ in ("WDT", "WP", "WP$")


def logical_subjects(verb: Token, lex: ArgumentLexicon, hops: int = 0, surface: bool = False) -> list[Token]:
    """Who does what the verb says, across passives, control, coordination and clauses.

    ``surface``: the grammatical subject instead (a passive's ``nsubjpass``, not its agent), for
    a verb coordinated with a passive: "X, founded by Y, *built* an economy" is X's doing."""
    found: list[Token] = []
    subject_deps = ("nsubj", "csubj", "nsubjpass") if surface else ("nsubj", "csubj")
    for child in verb.children:
        if child.dep_ in subject_deps:
            if _is_relative(child, lex) and verb.dep_ == "relcl":
                found.append(verb.head)
            else:
                found.append(child)
        elif child.dep_ == "agent" and not surface:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    if found or hops >= _MAX_HOPS:
        return found
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp", "advcl") and _extends_invitation(head, lex):
        return []  # "the invitation X extended to visit Y": the visitor is the invitee, not X
    if verb.dep_ in ("xcomp", "ccomp") and head.i != verb.i:
        # "urged China to recognize X": the controller is the object of an object-control verb
        if head.lemma_.lower() in lex.object_control_verbs:
            objects = [c for c in head.children if c.dep_ == "dobj"]
            if objects:
                return objects
        return logical_subjects(head, lex, hops + 1)
    if verb.dep_ == "conj" and head.i != verb.i and head.pos_ in ("VERB", "AUX"):
        return logical_subjects(head, lex, hops + 1, surface=True)
    if verb.dep_ == "advcl" and head.i != verb.i and head.pos_ in ("VERB", "AUX"):
        return logical_subjects(head, lex, hops + 1)
    if verb.dep_ == "relcl":
        return [head]
    if verb.dep_ == "acl" and verb.tag_ != "VBN":
        return [head]  # "countries recognizing X"
    if verb.dep_ == "pcomp" and head.pos_ == "ADP":
        # "X helped Y by sending troops"; "... to train in tactics and for fighting Z": climb
        # through coordinated prepositions to the verb they modify
        prep = head
        while prep.dep_ == "conj" and prep.head.pos_ == "ADP" and prep.head.i != prep.i:
            prep = prep.head
        if prep.dep_ == "prep" and prep.head.pos_ in ("VERB", "AUX"):
            return logical_subjects(prep.head, lex, hops + 1)
    return found


def _extends_invitation(verb: Token, lex: ArgumentLexicon) -> bool:
    if verb.dep_ == "relcl":
        noun = verb.head
        # the parser sometimes makes "invitation" a compound of the next word
        if noun.lemma_.lower() in lex.invitation_nouns or any(
                c.dep_ == "compound" and c.lemma_.lower() in lex.invitation_nouns for c in noun.children):
            return True
    return any(c.dep_ == "dobj" and c.lemma_.lower() in lex.invitation_nouns for c in verb.children)


def logical_objects(verb: Token, lex: ArgumentLexicon) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    found = [verb.head if _is_relative(t, lex) and verb.dep_ == "relcl" else t for t in found]
    if not found and verb.dep_ == "acl" and verb.tag_ == "VBN":
        found = [verb.head]  # "the aid sent by China"
    if not found and verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.children):
        # "X arrived in May and was welcomed in Y": the passive shares the first verb's subject
        found = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return found


def nominal_agents(noun: Token, index: EntityIndex, lex: ArgumentLexicon) -> list[Token]:
    """The agent of a nominal trigger: "X's visit", "the Soviet invasion", "the visit by X"."""
    found = [c for c in noun.children if c.dep_ == "poss" and not _is_relative(c, lex)]
    if found and all(c.pos_ == "PRON" for c in found):
        # "X expanded its trade with Y": the possessive pronoun is the governing verb's subject
        # elsewhere ("His visits to Pyongyang ...") the pronoun may stand for the previous
        # sentence's subject (pronoun_antecedent)
        found = logical_subjects(noun.head, lex) if noun.dep_ in ("dobj", "nsubjpass") else found
    if not found:
        # "anti-Chinese remarks" are not China's remarks
        found = [c for c in noun.children
                 if c.dep_ in ("compound", "amod", "nmod") and index.of(c) is not None and c.i < noun.i
                 and not _stance_prefixed(c, lex)]
    if not found:
        found = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
                 for g in c.children if g.dep_ == "pobj"]
    if not found and noun.dep_ in ("dobj", "attr") and noun.head.lemma_.lower() in lex.light_verbs:
        found = logical_subjects(noun.head, lex)  # "X paid a visit to Y", "X held talks with Y"
    return found


def _stance_prefixed(token: Token, lex: ArgumentLexicon) -> bool:
    """"pro-American", "anti-Soviet": the modifier names a stance, not a belonging."""
    head = token.text.lower().split("-", 1)
    if len(head) == 2 and head[0] in lex.stance_prefixes:
        return True
    return token.i > 0 and token.nbor(-1).lower_ == "-" and token.i > 1 and token.nbor(-2).lower_ in lex.stance_prefixes


def _person_between(a: int, b: int, index: EntityIndex, skip: Span | None) -> bool:
    lo, hi = sorted((a, b))
    for i in range(lo + 1, hi):
        span = index.of(index.doc[i])
        if span is not None and span.label_ == "Person" and span != skip:
            return True
    return False


def _title_head(noun: Token, index: EntityIndex) -> Token | None:
    """"Secretary General", "General Secretary": the word a title word is the first part of."""
    head = noun.head
    if noun.dep_ == "compound" and head.i != noun.i and index.of(head) is None and head.pos_ in ("NOUN", "PROPN") \
            and head.is_title == noun.is_title:
        return head
    return None


def role_holders(noun: Token, index: EntityIndex, lex: ArgumentLexicon) -> list[Token]:
    """The state/body a role noun belongs to: "X's ambassador", "the GDR ambassador", "leader of X"."""
    title = _title_head(noun, index)
    if title is not None and any(c.dep_ == "prep" for c in title.children):
        return role_holders(title, index, lex)  # "Secretary General of the Central Committee of X"
    found = [c for c in noun.children if c.dep_ == "poss"]
    found += [c for c in noun.children
              if c.dep_ in ("compound", "amod", "nmod") and index.of(c) is not None and index.of(c) != index.of(noun)
              and not _stance_prefixed(c, lex)]
    found += [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "to", "in", "for")
              for g in c.children if g.dep_ == "pobj"]
    if not found and noun.dep_ == "compound":
        # "Indonesia's President Sukarno": the possessor hangs on the name, not on the title
        bearer = noun.head
        found = [c for c in bearer.children if c.i != noun.i and c.dep_ in ("poss", "compound", "amod", "nmod")
                 and index.of(c) is not None and index.of(c) != index.of(bearer) and not _stance_prefixed(c, lex)]
    return found


def role_bearers(noun: Token, index: EntityIndex, lex: ArgumentLexicon) -> list[Token]:
    """The person holding a role noun: "leader Kim", "X, the leader of Y", "X was president"."""
    own = index.of(noun)
    if own is not None and own.label_ == "Person":
        return [noun]  # the title is inside the person's span ("President Sukarno")
    title = _title_head(noun, index)
    if title is not None and title.dep_ in ("appos", "attr", "pobj"):
        return role_bearers(title, index, lex)  # "X, Secretary General of Y"
    found: list[Token] = []
    if noun.dep_ == "compound":
        # "Ambassador Comrade Horst Brie": climb over titles outside the name's span
        head, hops = noun.head, 0
        while index.of(head) is None and head.dep_ == "compound" and head.pos_ == "PROPN" and hops < 3:
            head, hops = head.head, hops + 1
        if index.of(head) is not None:
            found.append(head)
    # an apposition with another person between it and the title is a misparsed list
    if noun.dep_ == "appos" and not _person_between(noun.head.i, noun.i, index, index.of(noun.head)):
        found.append(noun.head)
    found += [c for c in noun.children if c.dep_ == "appos" and not _person_between(noun.i, c.i, index, index.of(c))]
    if noun.dep_ == "attr" and noun.head.lemma_.lower() in lex.copulas:
        found += logical_subjects(noun.head, lex)
    if noun.dep_ in ("pobj",) and noun.head.lower_ == "as" and noun.head.head.pos_ in ("VERB", "AUX"):
        found += logical_subjects(noun.head.head, lex)  # "X served as ambassador to Y"
    return found


# ---------------------------------------------------------------------------------------------
# paths


def walk(path: tuple[Step, ...], trigger: Token, theme: Token | None, index: EntityIndex,
         lex: ArgumentLexicon) -> list[Token]:
    current: list[Token] = [trigger]
    for step in path:
        nxt: list[Token] = []
        for tok in current:
            if step.from_theme:
                if theme is not None:
                    nxt.append(theme)
            elif step.macro == "SUBJ":
                nxt += logical_subjects(tok, lex)
            elif step.macro == "OBJ":
                nxt += logical_objects(tok, lex)
            elif step.macro == "NOMSUBJ":
                nxt += nominal_agents(tok, index, lex)
            elif step.macro == "HOLDER":
                nxt += role_holders(tok, index, lex)
            elif step.macro == "BEARER":
                nxt += role_bearers(tok, index, lex)
            elif step.macro == "SELF":
                nxt.append(tok)
            elif step.up:
                # spaCy makes a new Token object on every access: compare positions, not identity
                head = tok.head
                if head.i != tok.i and (step.dep is None or tok.dep_ == step.dep) and (
                        not step.lemmas or head.lower_ in step.lemmas or head.lemma_.lower() in step.lemmas):
                    nxt.append(head)
            else:
                nxt += [c for c in tok.children if _dep_matches(c, step.dep)
                        and (not step.lemmas or c.lower_ in step.lemmas or c.lemma_.lower() in step.lemmas)]
        current = _unique(nxt)
        if not current:
            return []
    return current


def _dep_matches(token: Token, dep: str | None) -> bool:
    # the parser labels "to"/"by" phrases `dative`/`agent` as often as `prep`: a rule asking for a
    # preposition means any of them
    if dep == "prep":
        return token.dep_ in ("prep", "dative", "agent") and token.pos_ == "ADP"
    return token.dep_ == dep


def _unique(tokens: Iterable[Token]) -> list[Token]:
    seen: set[int] = set()
    out = []
    for t in tokens:
        if t.i not in seen:
            seen.add(t.i)
            out.append(t)
    return out


# ---------------------------------------------------------------------------------------------
# from words to entities


def _spans_at(token: Token, index: EntityIndex, lex: ArgumentLexicon, depth: int = 0) -> list[Span]:
    """The entity a word stands for: its own entity, an entity modifier, or a group noun's "of"."""
    own = index.of(token)
    if own is not None:
        inner = index.inner(token)
        spans = [own] if inner is None else [own, inner]
        return spans + _body_of_meeting(own, index, lex)
    if token.lower_ in lex.back_reference_words and token.pos_ in ("NOUN", "PRON", "PROPN"):
        return _back_reference(token, index)
    if token.pos_ == "PRON" and lex.pronoun_types_of(token.lower_) and token.dep_ in ("nsubj", "nsubjpass", "poss"):
        return pronoun_antecedent(token, index, lex)
    # "Sukarno's daughter Megawati": an apposition names the same referent
    # "Western powers, particularly the United States, France and Britain": every item of a
    # list in apposition
    named = [index.of(w) for c in token.children if c.dep_ == "appos"
             for w in (c, *c.conjuncts) if index.of(w) is not None]
    if named:
        return list(dict.fromkeys(named))
    if token.lemma_.lower() not in lex.group_nouns:
        # "Sukarno's daughter", "the American effort": a modifier names someone else
        return []
    # "the delegation of the GDR, led by Erich Honecker": the leader acts with the group
    # (the parser often hangs "led by" on the group's "of" noun: "the delegation of the GDR led by X")
    owners = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    leaders = [s for w in (token, *owners) for c in w.children if c.dep_ == "acl" and c.lemma_.lower() in lex.leading_verbs
               for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"
               for s in _spans_at(g, index, lex, depth + 1)] if depth < 2 else []
    mods = [index.of(c) for c in token.children if c.dep_ in lex.entity_modifier_deps and index.of(c) is not None
            and not _stance_prefixed(c, lex)]
    if mods:
        spans: list[Span] = []
        for m in mods:
            spans.append(m)
            # "the Soviet and Chinese governments": coordinated modifiers
            spans += [index.of(c) for c in m.root.conjuncts if index.of(c) is not None]
        return spans + leaders
    if depth == 0:
        return [s for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "from")
                for g in c.children if g.dep_ == "pobj" for s in _spans_at(g, index, lex, 1)] + leaders
    return leaders


def _paragraph_break_between(a: Span, b: Span) -> bool:
    doc = a.doc
    end = max((t.idx + len(t.text) for t in a if not t.is_space), default=a.start_char)
    start = min((t.idx for t in b if not t.is_space), default=b.start_char)
    gap = doc.text[end:start] if start - end < 200 else "\n\n"
    return gap.count("\n") >= 2


def pronoun_antecedent(pronoun: Token, index: EntityIndex, lex: ArgumentLexicon) -> list[Span]:
    """A subject (or possessive) pronoun stands for the one entity of a fitting type that is the
    grammatical subject of the previous sentence of the same paragraph ("North Korea applied in
    1975. *It* was refused."), or, when its own sentence names fitting entities before it, for
    the only one of them if that one is a subject. Conservative: nothing when the candidates are
    several or none, or across a paragraph break."""
    types = lex.pronoun_types_of(pronoun.lower_)
    sent = pronoun.sent
    doc = index.doc
    before = {s.id_ or s.text: s for i in range(sent.start, pronoun.i)
              if (s := index.of(doc[i])) is not None and s.label_ in types}
    if before:
        # "From Beijing, Kim went on to Yugoslavia, where he met Tito": the one fitting name
        # before it, when that name is a grammatical subject
        only = next(iter(before.values())) if len(before) == 1 else None
        return [only] if only is not None and only.root.dep_ in ("nsubj", "nsubjpass") else []
    if sent.start == 0:
        return []
    previous = doc[sent.start - 1].sent
    while previous.start > 0 and all(t.is_space or t.is_punct for t in previous):
        previous = doc[previous.start - 1].sent
    if _paragraph_break_between(previous, sent):
        return []
    found: dict[str, Span] = {}
    for tok in previous:
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ == "PRON":
            continue
        # "Cuba and Angola signed ...": every coordinated subject is a candidate
        for span in (s for member in coordinated(tok, index) for s in _spans_at(member, index, lex, 1)):
            if span.label_ in types:
                found.setdefault(span.id_ or span.ent_id_ or span.text, span)
    return list(found.values()) if len(found) == 1 else []


def _back_reference(token: Token, index: EntityIndex) -> list[Span]:
    """"the latter's visit", "the former": the last (or the one before the last) of two or more
    different entities named before it in the same sentence; nothing when fewer."""
    sent = token.sent
    named: list[Span] = []
    for i in range(token.i - 1, sent.start - 1, -1):
        span = index.of(index.doc[i])
        if span is not None and span.label_ in ("Person", "State", "Organization") and all(
                (span.id_ or span.text) != (s.id_ or s.text) for s in named):
            if not named or span != named[-1]:
                named.append(span)
        if len(named) == 2:
            break
    if len(named) < 2:
        return []
    return [named[0] if token.lower_ == "latter" else named[1]]


def _body_of_meeting(event: Span, index: EntityIndex, lex: ArgumentLexicon) -> list[Span]:
    """"The XI Party Congress of the Communist Party of China characterized ...": a numbered
    meeting speaks for the body that held it."""
    if event.label_ != "Event" or event[-1].lemma_.lower() not in lex.meeting_nouns:
        return []
    return [s for c in event.root.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj" and (s := index.of(g)) is not None
            and s.label_ == "Organization"]


def antecedent(token: Token, lex: ArgumentLexicon) -> Token:
    """What a relative pronoun stands for: "the country with which X established relations" ->
    country; and when that noun only classifies the subject or complement of a copula ("Guinea had
    been the first country with which ...", "the first government with whom ... was the FLN"), the
    named side of the copula."""
    if not _is_relative(token, lex) or token.tag_ == "WP$":
        return token
    clause = next((a for a in token.ancestors if a.dep_ == "relcl"), None)
    if clause is None or clause.head is clause:
        return token
    noun = clause.head
    return _copula_side(noun, lex) or noun


def _copula_side(noun: Token, lex: ArgumentLexicon) -> Token | None:
    copula = noun.head
    if copula.lemma_.lower() in lex.copulas and copula.i != noun.i:
        other = {"attr": ("nsubj",), "nsubj": ("attr",)}.get(noun.dep_, ())
        named = [c for c in copula.children if c.dep_ in other]
        if named:
            return named[0]
    return None


_EXCEPTING = ("than", "except", "besides")


def antecedents(token: Token, lex: ArgumentLexicon) -> list[Token]:
    """``antecedent``, and when the parser hung the relative clause on the excepted names of
    "the only country *other than X* with which ... was Y", both X and Y."""
    first = antecedent(token, lex)
    if first.i != token.i or not _is_relative(token, lex):
        prep = first.head
        if first.dep_ == "pobj" and prep.lower_ in _EXCEPTING and prep.head.i != prep.i:
            noun = prep.head.head if prep.head.pos_ == "ADJ" and prep.head.dep_ == "amod" else prep.head
            side = _copula_side(noun, lex)
            if side is not None:
                return [first, side]
    return [first]


def coordinated(token: Token, index: EntityIndex) -> list[Token]:
    """The word itself and every word coordinated with it ("Guinea, Mali and Ghana")."""
    own = index.of(token)
    root = own.root if own is not None else token
    words = [token] + [c for c in root.conjuncts]
    # "North Korea (along with South Korea) was excluded": the companion shares the role
    companions = list(root.children)
    if root.dep_ in ("nsubj", "nsubjpass"):
        # the parser often hangs "along with Y" on the verb: take it when it sits after the subject
        companions += [c for c in root.head.children if root.i < c.i < root.head.i]
    for c in companions:
        if c.dep_ == "prep" and c.lower_ in _COMPANION_ADVERBS:
            words += [g for w in c.children if w.dep_ == "prep" and w.lower_ == "with"
                      for g in w.children if g.dep_ == "pobj" and index.of(g) is not None]
    # lists that the parser reads as appositions of equal entities ("Angola, Mozambique")
    if own is not None:
        for c in root.children:
            if c.dep_ == "appos" and index.of(c) is not None and index.of(c).label_ == own.label_:
                words.append(c)
                words += list(c.conjuncts)
    return _unique(words)


def typed_argument(span: Span, anchor: int, types: frozenset[str], actor_for: ActorFor | None) -> Argument | None:
    """The span as an argument of one of ``types``; capitals and demonyms may stand for states."""
    label, key = span.label_, span.id_ or span.ent_id_ or None
    if label in types:
        return Argument(span, label, key, anchor)
    if "State" in types and key and actor_for is not None:
        state = actor_for(key)
        if state:
            return Argument(span, "State", state, anchor, via_actor=True)
    return None


def _venue(span: Span, lex: ArgumentLexicon) -> bool:
    """"the *Berlin* Conference", "the *Geneva* talks": a place naming a meeting is its venue,
    not an actor standing for its state."""
    root = span.root
    return span.label_ == "Place" and root.dep_ in ("compound", "nmod", "amod") and root.head.i != root.i \
        and root.head.lemma_.lower() in lex.venue_nouns


def role_arguments(role: Role, trigger: Token, theme: Token | None, index: EntityIndex,
                   lex: ArgumentLexicon, actor_for: ActorFor | None) -> list[Argument]:
    """The entities filling ``role``: the first path that reaches an entity of an allowed type."""
    for path in role.paths:
        args = path_arguments(path, role.types, trigger, theme, index, lex, actor_for)
        if args:
            return args
    return []


def path_arguments(path: tuple[Step, ...], types: frozenset[str], trigger: Token, theme: Token | None,
                   index: EntityIndex, lex: ArgumentLexicon, actor_for: ActorFor | None) -> list[Argument]:
    out: list[Argument] = []
    seen: set[tuple[int, int]] = set()
    # a role noun has one bearer: "X, Y and Z, the president of W" is a misparse, not three presidents
    expand = not (path and path[-1].macro in ("BEARER", "SELF"))
    for word in (w for reached in walk(path, trigger, theme, index, lex) for w in antecedents(reached, lex)):
        for member in (coordinated(word, index) if expand else [word]):
            for span in _spans_at(member, index, lex):
                if (span.start, span.end) in seen or _venue(span, lex):
                    continue
                arg = typed_argument(span, member.i, types, actor_for)
                if arg is None and span.label_ == "Person" and index.of(member) is None and \
                        member.lemma_.lower() in lex.leader_named_nouns:
                    # "the Mengistu regime", "Mugabe's government": the state the leader ran
                    led = index.led_state(span)
                    arg = typed_argument(led, member.i, types, actor_for) if led is not None else None
                if arg is not None:
                    seen.add((span.start, span.end))
                    out.append(arg)
    return out
