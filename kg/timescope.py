"""Names whose state depends on the time and the document: "Germany", "Vietnam", "Korea", "the
Congo", "China", "Yugoslavia".

The rules are data (``kg/extract/data/time_scoped_names.json``); this module reads them and
answers one question: given a mention recognised as such a name, the year of its fact (or of
its document) and how often the document names each candidate reading, which entity does the
mention mean, by which rule, and why. Resolution (``kg.resolve``) asks it and records the answer
on the statement, so a reader can see and overrule every reading.

A reading is chosen only when the year allows it and the document clearly points to it; anything
less keeps the name's own entity ("Germany"), because a wrong specific state is worse than a
right general one.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import RuleError
from .extract.gazetteer import DATA_DIR, Gazetteer, clean_surface, strip_decoration

TIME_SCOPED_NAMES_FILE = "time_scoped_names.json"

# rule ids recorded with each reading (kg:resolvedBy)
BY_CONTEXT = "time-scope/context"  # the document clearly names one reading valid in the year
UNCLEAR = "time-scope/unclear"  # readings were possible, the document did not clearly choose
BY_PERIOD = "time-scope/period-default"  # the name meant another state in that period
OUT_OF_PERIOD = "time-scope/out-of-period"  # no reading existed in the year: the name's own entity
VALID_IN_YEAR = "time-scope/valid-in-year"  # of the states that used the name, the one of the year


@dataclass(frozen=True)
class PeriodDefault:
    start: int
    end: int
    key: str
    why: str


@dataclass(frozen=True)
class NameRule:
    id: str
    key: str  # the gazetteer entry the name is recognised as
    surfaces: tuple[str, ...]
    readings: tuple[str, ...]
    period_defaults: tuple[PeriodDefault, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class TimeScopedNames:
    rules: tuple[NameRule, ...]
    min_cues: int = 2
    dominance: float = 3.0

    @cached_property
    def _by_surface(self) -> dict[str, tuple[NameRule, ...]]:
        found: dict[str, list[NameRule]] = {}
        for rule in self.rules:
            for surface in rule.surfaces:
                found.setdefault(surface.lower(), []).append(rule)
        return {surface: tuple(rules) for surface, rules in found.items()}

    def rule_for(self, surface: str, key: str | None) -> NameRule | None:
        """The rule for a mention's surface, when it was recognised as the rule's entry."""
        for rule in self._by_surface.get(strip_decoration(surface).lower(), ()):
            if key is None or key == rule.key:
                return rule
        return None


@dataclass(frozen=True)
class Reading:
    """What a time-scoped name was read as, by which rule, and the reason in words."""

    key: str
    rule: str
    note: str


def load_time_scoped_names(path: Path | str | None = None) -> TimeScopedNames:
    if path is None:
        return _default_names()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_names() -> TimeScopedNames:
    return _load(DATA_DIR / TIME_SCOPED_NAMES_FILE)


def _load(path: Path) -> TimeScopedNames:
    if not path.exists():
        return TimeScopedNames(())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rules = tuple(
            NameRule(id=n["id"], key=n["key"], surfaces=tuple(n["surfaces"]), readings=tuple(n.get("readings", ())),
                     period_defaults=tuple(PeriodDefault(p["from"], p["to"], p["key"], p.get("why", ""))
                                           for p in n.get("default_by_period", ())),
                     why=n.get("why", ""))
            for n in data["names"])
        return TimeScopedNames(rules, int(data.get("min_cues", 2)), float(data.get("dominance", 3.0)))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
        raise RuleError(f"{path.name} is malformed: {err}",
                        hint="Each name needs id, key, surfaces and readings; see the file's description.") from err


def check_rules(names: TimeScopedNames, gaz: Gazetteer) -> list[str]:
    """Problems with the rules against a gazetteer (keys it lacks), as sentences; empty when sound."""
    problems = []
    for rule in names.rules:
        for key in (rule.key, *rule.readings, *(p.key for p in rule.period_defaults)):
            if key not in gaz:
                problems.append(f"time-scoped name {rule.id!r} names {key!r}, which the gazetteer lacks")
    return problems


# -- cues ----------------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def cue_keys(gaz: Gazetteer, reading: str) -> frozenset[str]:
    """Entries whose mention points to ``reading``: the state under all its names, its capitals,
    the places that act for it, its organizations and the people who held its offices."""
    forms = set(gaz.renamed_forms(reading))
    keys = set(forms)
    for entry in gaz.entries:
        if entry.type == "State" and entry.key in forms and entry.capital:
            keys.add(entry.capital)
        elif entry.type in ("Place", "Organization") and (entry.actor in forms or
                                                          (entry.type == "Organization" and entry.country in forms)):
            keys.add(entry.key)
        elif entry.type == "Person" and any(role.of in forms for role in entry.roles):
            keys.add(entry.key)
    return frozenset(keys)


@lru_cache(maxsize=64)
def _cue_pattern(gaz: Gazetteer, rule: NameRule) -> tuple[re.Pattern | None, Mapping[str, frozenset[str]]]:
    """One regex over the cue names of every reading, and which readings each name points to."""
    own = {s.lower() for s in rule.surfaces}
    by_alias: dict[str, set[str]] = {}
    for reading in rule.readings:
        for key in cue_keys(gaz, reading):
            for alias in gaz.get(key).aliases:
                text = clean_surface(alias)
                # the ambiguous name itself is no cue; short or lowercase words are too common
                if text.lower() in own or len(text) < 3 or not text[0].isupper():
                    continue
                by_alias.setdefault(text, set()).add(reading)
    if not by_alias:
        return None, {}
    alternatives = sorted(by_alias, key=lambda a: (-len(a), a))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])")
    return pattern, {alias: frozenset(readings) for alias, readings in by_alias.items()}


def count_cues_in_text(gaz: Gazetteer, rule: NameRule, text: str) -> dict[str, int]:
    """How often the document's text names each reading of ``rule`` (through its cues)."""
    # the text is cleaned as the aliases are (one apostrophe, one hyphen, single spaces)
    return count_cues_in_cleaned_text(gaz, rule, clean_surface(text))


def count_cues_in_cleaned_text(gaz: Gazetteer, rule: NameRule, cleaned: str) -> dict[str, int]:
    """``count_cues_in_text`` on a text already passed through ``clean_surface`` (a document
    checked against several rules is cleaned once)."""
    pattern, readings_of = _cue_pattern(gaz, rule)
    counts: Counter = Counter()
    if pattern is None:
        return {}
    for match in pattern.finditer(cleaned):
        for reading in readings_of.get(match.group(0), ()):
            counts[reading] += 1
    return dict(counts)


def count_cues_in_keys(gaz: Gazetteer, rule: NameRule, keys: Iterable[str]) -> dict[str, int]:
    """The same count over entity keys already found (when the document's text is not at hand)."""
    cues = {reading: cue_keys(gaz, reading) for reading in rule.readings}
    counts: Counter = Counter()
    for key in keys:
        for reading, found in cues.items():
            if key in found:
                counts[reading] += 1
    return dict(counts)


# -- reading -------------------------------------------------------------------------------------

def read_name(gaz: Gazetteer, names: TimeScopedNames, rule: NameRule, surface: str, year: int | None,
              cue_counts: Mapping[str, int]) -> Reading:
    """The entity a mention of a time-scoped name means in ``year``, given the document's cues."""
    label = _labeller(gaz)
    when = f"in {year}" if year is not None else "with no year"
    said = f"'{clean_surface(surface)}' {when}"
    valid = [r for r in rule.readings if gaz.get(r) is not None and gaz.get(r).valid_in(year)]
    ranked = sorted(valid, key=lambda r: (-cue_counts.get(r, 0), r))
    tally = ", ".join(f"{label(r)} {cue_counts.get(r, 0)}" for r in ranked)
    if ranked:
        best = cue_counts.get(ranked[0], 0)
        runner_up = cue_counts.get(ranked[1], 0) if len(ranked) > 1 else 0
        if best >= names.min_cues and best >= names.dominance * runner_up:
            key = gaz.named_in(ranked[0], year)
            return Reading(key, BY_CONTEXT, f"{said} read as {label(key)}: the document clearly names it "
                                            f"(mentions pointing to each: {tally})")
    for period in rule.period_defaults:
        if year is not None and period.start <= year <= period.end:
            return Reading(period.key, BY_PERIOD, f"{said} read as {label(period.key)}: {period.why}")
    if ranked:
        return Reading(rule.key, UNCLEAR, f"{said} kept as {label(rule.key)}: the document does not clearly "
                                          f"say which state it means (mentions pointing to each: {tally})")
    why = "no other state went by that name then" if year is not None else "no reading applies without a year"
    return Reading(rule.key, OUT_OF_PERIOD, f"{said} read as {label(rule.key)}: {why}")


def read_shared_name(gaz: Gazetteer, surface: str, chosen: str, year: int | None) -> Reading:
    """The note for a name several states used in turn ("Kampuchea"), chosen by the year."""
    label = _labeller(gaz)
    return Reading(chosen, VALID_IN_YEAR, f"'{clean_surface(surface)}' in {year} read as {label(chosen)}: "
                                          f"the state of that name in {year}")


def _labeller(gaz: Gazetteer):
    def label(key: str) -> str:
        entry = gaz.get(key)
        return entry.label if entry else key
    return label


__all__ = ["BY_CONTEXT", "BY_PERIOD", "OUT_OF_PERIOD", "UNCLEAR", "VALID_IN_YEAR", "NameRule", "PeriodDefault",
           "Reading", "TimeScopedNames", "check_rules", "count_cues_in_cleaned_text", "count_cues_in_keys",
           "count_cues_in_text", "cue_keys", "load_time_scoped_names", "read_name", "read_shared_name"]
