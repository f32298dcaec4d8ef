"""Relation rules as data: load and check the JSON rule files, compile their triggers.

The format is documented in ``kg/extract/rules/README.md``. Loading is strict: a malformed rule
raises :class:`kg.errors.RuleError` naming the file and the rule, because a silently skipped
rule is a silently missing kind of fact.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import RuleError
from ..model import ENTITY_TYPES

RULES_PACKAGE = "kg.extract.rules"
ARGUMENTS_FILE = "arguments.json"
MACROS = ("SUBJ", "OBJ", "NOMSUBJ", "HOLDER", "BEARER", "SELF")
_STEP = re.compile(r"^(<)?([a-z]+)?(?::([^>\s]+))?$")
_KNOWN_KEYS = {
    "id", "predicate", "trigger", "theme", "subject", "object", "pair", "kind", "kind_text",
    "quantity", "requires_quantity", "symmetric", "negated", "end", "confidence", "heading",
    "trigger_modifiers", "theme_modifiers", "about",
}


@dataclass(frozen=True)
class Step:
    """One step of a path: to children (or, with ``up``, to the head) by dependency label."""

    dep: str | None  # None: any label
    lemmas: frozenset[str] = frozenset()  # restrict to these lemmas (lower-case); empty: any
    up: bool = False
    macro: str | None = None  # one of MACROS; then dep is None
    from_theme: bool = False  # the "theme" pseudo-step: start at the theme word


@dataclass(frozen=True)
class Role:
    paths: tuple[tuple[Step, ...], ...]
    types: frozenset[str]


@dataclass(frozen=True)
class WordSpec:
    lemmas: frozenset[str] = frozenset()
    pos: frozenset[str] = frozenset()
    ent_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ThemeSpec:
    paths: tuple[tuple[Step, ...], ...]
    words: WordSpec


@dataclass(frozen=True)
class Rule:
    id: str
    predicate: str
    trigger: WordSpec
    subject: Role
    object: Role | None
    theme: ThemeSpec | None = None
    pair: tuple[tuple[Step, ...], ...] = ()
    kind_map: tuple[tuple[str, str], ...] = ()
    kind_default: str | None = None
    kind_text: str | None = None
    quantity: str | None = None
    requires_quantity: bool = False
    symmetric: bool = False
    negated: bool = False
    ends: bool = False
    confidence: float = 0.7
    heading: bool = True
    trigger_modifiers: frozenset[str] = frozenset()
    theme_modifiers: frozenset[str] = frozenset()
    source_file: str = ""

    def kind_for(self, lemma: str) -> str | None:
        return dict(self.kind_map).get(lemma)


@dataclass(frozen=True)
class ArgumentLexicon:
    """The word lists of the argument machinery (``rules/arguments.json``)."""

    group_nouns: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    object_control_verbs: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    entity_modifier_deps: frozenset[str] = frozenset()
    stance_prefixes: frozenset[str] = frozenset()
    denying_determiners: frozenset[str] = frozenset()
    absence_nouns: frozenset[str] = frozenset()
    invitation_nouns: frozenset[str] = frozenset()
    leader_named_nouns: frozenset[str] = frozenset()
    meeting_nouns: frozenset[str] = frozenset()  # "the XI Congress of X" speaks for X
    venue_nouns: frozenset[str] = frozenset()  # "the Berlin *Conference*": the city is no actor
    leading_verbs: frozenset[str] = frozenset()  # "a delegation led by X": X acts with it
    back_reference_words: frozenset[str] = frozenset()  # "the latter", "the former"
    # pronoun -> the entity types it may stand for ("he" -> Person); see arguments.pronoun_antecedent
    pronoun_types: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def pronoun_types_of(self, pronoun: str) -> tuple[str, ...]:
        return dict(self.pronoun_types).get(pronoun.lower(), ())


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lexicon: ArgumentLexicon = field(default_factory=ArgumentLexicon)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @property
    def predicates(self) -> frozenset[str]:
        return frozenset(r.predicate for r in self.rules)


# ---------------------------------------------------------------------------------------------
# parsing


def parse_path(text: str, where: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    for n, raw in enumerate(text.split(">")):
        raw = raw.strip()
        if raw in MACROS:
            steps.append(Step(dep=None, macro=raw))
            continue
        if raw == "theme":
            if n != 0:
                raise RuleError(f"{where}: 'theme' may only start a path: {text!r}")
            steps.append(Step(dep=None, from_theme=True))
            continue
        if raw == "<":
            steps.append(Step(dep=None, up=True))
            continue
        m = _STEP.match(raw)
        if not m or not m.group(2):
            raise RuleError(f"{where}: cannot read path step {raw!r} in {text!r}",
                            "Steps look like `dobj`, `prep:to|with`, `<relcl`, `theme`, or a macro "
                            f"({', '.join(MACROS)}); see kg/extract/rules/README.md.")
        lemmas = frozenset(m.group(3).split("|")) if m.group(3) else frozenset()
        steps.append(Step(dep=m.group(2), lemmas=lemmas, up=bool(m.group(1))))
    return tuple(steps)


def _words(spec: dict, where: str) -> WordSpec:
    if not isinstance(spec, dict):
        raise RuleError(f"{where}: expected an object with lemmas/pos/ent_types")
    types = frozenset(spec.get("ent_types", ()))
    bad = types - set(ENTITY_TYPES)
    if bad:
        raise RuleError(f"{where}: unknown entity types {sorted(bad)}", f"Use {', '.join(ENTITY_TYPES)}.")
    words = WordSpec(frozenset(x.lower() for x in spec.get("lemmas", ())), frozenset(spec.get("pos", ())), types)
    if not words.lemmas and not words.ent_types:
        raise RuleError(f"{where}: needs `lemmas` or `ent_types`")
    return words


def _role(spec: dict, where: str) -> Role:
    if not isinstance(spec, dict) or not spec.get("paths"):
        raise RuleError(f"{where}: a role needs a non-empty `paths` list")
    types = frozenset(spec.get("types", ()))
    bad = types - set(ENTITY_TYPES)
    if not types or bad:
        raise RuleError(f"{where}: role types must be a non-empty subset of {list(ENTITY_TYPES)}")
    return Role(tuple(parse_path(p, where) for p in spec["paths"]), types)


def parse_rule(raw: dict, source_file: str) -> Rule:
    rid = raw.get("id") if isinstance(raw, dict) else None
    where = f"{source_file}: rule {rid or '?'}"
    if not rid or not raw.get("predicate"):
        raise RuleError(f"{where}: every rule needs `id` and `predicate`")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown fields {sorted(unknown)}", "See kg/extract/rules/README.md.")
    confidence = raw.get("confidence")
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise RuleError(f"{where}: `confidence` must be a number in (0, 1]")
    theme = None
    if raw.get("theme"):
        t = raw["theme"]
        theme = ThemeSpec(tuple(parse_path(p, where) for p in t.get("paths", ["OBJ"])), _words(t, f"{where} theme"))
    if "object" not in raw and not (raw.get("symmetric") and raw.get("pair") is not None):
        raise RuleError(f"{where}: needs an `object` role (only symmetric rules with `pair` may omit it)")
    kind = raw.get("kind") or {}
    if raw.get("quantity") not in (None, "theme", "trigger"):
        raise RuleError(f"{where}: `quantity` must be \"theme\" or \"trigger\"")
    if raw.get("kind_text") not in (None, "agreement-name"):
        raise RuleError(f"{where}: `kind_text` must be \"agreement-name\"")
    return Rule(
        id=rid,
        predicate=raw["predicate"],
        trigger=_words(raw.get("trigger") or {}, f"{where} trigger"),
        subject=_role(raw.get("subject") or {}, f"{where} subject"),
        object=_role(raw["object"], f"{where} object") if "object" in raw else None,
        theme=theme,
        pair=tuple(parse_path(p, where) for p in raw.get("pair", ())),
        kind_map=tuple(sorted((k.lower(), v) for k, v in kind.get("map", {}).items())),
        kind_default=kind.get("default"),
        kind_text=raw.get("kind_text"),
        quantity=raw.get("quantity"),
        requires_quantity=bool(raw.get("requires_quantity", False)),
        symmetric=bool(raw.get("symmetric", False)),
        negated=bool(raw.get("negated", False)),
        ends=bool(raw.get("end", False)),
        confidence=float(confidence),
        heading=bool(raw.get("heading", True)),
        trigger_modifiers=frozenset(raw.get("trigger_modifiers", ())),
        theme_modifiers=frozenset(raw.get("theme_modifiers", ())),
        source_file=source_file,
    )


def parse_rule_file(text: str, name: str) -> list[Rule]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"{name}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{name}: a rule file is an object with a `rules` list")
    return [parse_rule(r, name) for r in data["rules"]]


def _lexicon(text: str) -> ArgumentLexicon:
    data = json.loads(text)
    lists = {k: frozenset(v) for k, v in data.items() if k not in ("about", "pronoun_types")}
    pronouns = tuple(sorted((k.lower(), tuple(v)) for k, v in data.get("pronoun_types", {}).items()))
    return ArgumentLexicon(**lists, pronoun_types=pronouns)


def load_rules(folder: Path | None = None) -> RuleSet:
    """All rule files of ``folder`` (default: the packaged ``kg/extract/rules``), in name order."""
    if folder is None:
        return _packaged_rules()
    files = sorted(p for p in Path(folder).glob("*.json"))
    return _assemble([(p.name, p.read_text(encoding="utf-8")) for p in files])


@lru_cache(maxsize=1)
def _packaged_rules() -> RuleSet:
    root = resources.files(RULES_PACKAGE)
    files = sorted((f.name, f.read_text(encoding="utf-8")) for f in root.iterdir() if f.name.endswith(".json"))
    return _assemble(files)


def _assemble(files: list[tuple[str, str]]) -> RuleSet:
    rules: list[Rule] = []
    lexicon = ArgumentLexicon()
    for name, text in files:
        if name == ARGUMENTS_FILE:
            lexicon = _lexicon(text)
            continue
        rules.extend(parse_rule_file(text, name))
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise RuleError(f"{r.source_file}: rule id {r.id!r} is also used in {seen[r.id]}")
        seen[r.id] = r.source_file
    return RuleSet(tuple(rules), lexicon)


# ---------------------------------------------------------------------------------------------
# compiling triggers into a lookup table
#
# Most triggers are "a word with one of these lemmas", and themes hang one or two dependency
# steps from it. A per-token dictionary lookup followed by a short walk of the parse finds them
# for a fraction of what spaCy's DependencyMatcher costs (it evaluates every pattern's token
# predicates on every token of the Doc: as much time as parsing itself on these texts).


def _lemma_variants(lemmas: frozenset[str]) -> list[str]:
    # the lemmatizer keeps proper-noun and sentence-initial forms capitalised
    return sorted({v for lemma in lemmas for v in (lemma, lemma.capitalize(), lemma.upper())})


_MACRO_THEME_DEPS = {"OBJ": ("dobj", "nsubjpass"), "SUBJ": ("nsubj",)}


def theme_routes(rule: Rule) -> tuple[tuple[Step, ...], ...]:
    """The theme paths with their macros spelled out as plain steps (``OBJ`` -> ``dobj`` or
    ``nsubjpass``), so a route is walked the same way as any path."""
    if rule.theme is None:
        return ()
    routes: list[tuple[Step, ...]] = []
    for path in rule.theme.paths:
        expanded: list[list[Step]] = [[]]
        for step in path:
            if step.macro:
                if step.macro not in _MACRO_THEME_DEPS or len(path) != 1:
                    raise RuleError(f"{rule.source_file}: rule {rule.id}: theme paths may use only "
                                    "OBJ or SUBJ alone")
                expanded = [[Step(dep=d)] for d in _MACRO_THEME_DEPS[step.macro]]
            elif step.from_theme:
                raise RuleError(f"{rule.source_file}: rule {rule.id}: a theme path cannot start at the theme")
            else:
                expanded = [e + [step] for e in expanded]
        routes += [tuple(e) for e in expanded]
    return tuple(routes)


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    lemma_forms: frozenset[str]  # trigger lemmas as the lemmatizer may write them
    routes: tuple[tuple[Step, ...], ...]  # ways the theme hangs on the trigger
    theme_forms: frozenset[str]  # theme lemmas as the lemmatizer may write them


@dataclass(frozen=True)
class CompiledRules:
    """The rules indexed by trigger: ``by_lemma`` for lemma triggers, ``by_entity`` for rules
    whose trigger is only an entity type ("a Person token")."""

    ruleset: RuleSet
    by_lemma: dict[str, tuple[CompiledRule, ...]]
    by_entity: tuple[CompiledRule, ...]
    trigger_forms: frozenset[str]  # every key of by_lemma: one set lookup rejects most tokens


_COMPILED: dict[int, tuple[RuleSet, CompiledRules]] = {}


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """The rules' triggers as lookup tables; compiled once per rule set."""
    hit = _COMPILED.get(id(ruleset))
    if hit is not None and hit[0] is ruleset:
        return hit[1]
    by_lemma: dict[str, list[CompiledRule]] = {}
    by_entity: list[CompiledRule] = []
    for rule in ruleset.rules:
        compiled_rule = CompiledRule(
            rule, frozenset(_lemma_variants(rule.trigger.lemmas)), theme_routes(rule),
            frozenset(_lemma_variants(rule.theme.words.lemmas)) if rule.theme is not None else frozenset())
        if rule.trigger.lemmas:
            for form in compiled_rule.lemma_forms:
                by_lemma.setdefault(form, []).append(compiled_rule)
        else:
            by_entity.append(compiled_rule)
    compiled = CompiledRules(ruleset, {k: tuple(v) for k, v in by_lemma.items()}, tuple(by_entity),
                             frozenset(by_lemma))
    # keep the rule set alive with its tables so an id() is never reused for another rule set
    _COMPILED[id(ruleset)] = (ruleset, compiled)
    return compiled
