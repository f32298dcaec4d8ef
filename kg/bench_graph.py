"""Benchmark of the graph side at scale: a million triples written, loaded and queried.

Statements are generated with the shape of real ones (gazetteer entities, ontology relations,
years, quantities, hedges, attributions, evidence sentences, a thousand sources), then go
through the build's own writing step (``kg.builder.write_graph_outputs``). Every saved query is
then timed in the Oxigraph store, about one entity and over the whole graph, and the same
query text in rdflib's in-memory Dataset beside it (in a child process with a time limit, since
rdflib may take minutes where Oxigraph takes milliseconds).
"""
from __future__ import annotations

import multiprocessing
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Entity, Evidence, Qualifiers, SourceDocument, SourceMetadata, Statement
from .settings import Settings

_WORDS = ("the delegation government agreement treaty talks visit aid military economic support party "
          "minister according to reports in year relations between signed sent received despite urged "
          "official friendship cooperation cultural technical assistance embassy declared meeting").split()
_RULES = ("diplomacy.established", "diplomacy.recognized", "aid.sent", "aid.provided", "people.visit",
          "agreement.signed", "conflict.fought", "stance.supported", "people.met", "table.row")


@dataclass(frozen=True)
class QueryCase:
    name: str  # key in the report: the saved query's name, with ``@param`` when run about one item
    query: str  # saved query name
    params: dict
    scope: str  # "entity" (one entity or source) or "graph" (listings and aggregates)


def _entities(gazetteer) -> dict[str, list[Entity]]:
    by_type: dict[str, list[Entity]] = {}
    for entry in gazetteer.entries:
        if entry.type in ("State", "Person", "Organization", "Agreement", "Event"):
            by_type.setdefault(entry.type, []).append(
                Entity(entry.key, entry.label, entry.type, tuple(a for a in entry.aliases if a != entry.label)[:3],
                       entry.iso_code))
    return by_type


def synthetic_statements(count: int, seed: int = 0, sources: int = 1000, gazetteer=None
                         ) -> tuple[list[Statement], list[SourceDocument]]:
    """``count`` statements spread over ``sources`` source documents, shaped like extracted ones.

    Entities are drawn with a skew (a few states appear in many facts, as in real archives),
    so queries about one entity have realistic, non-trivial answers.
    """
    from .vocab import ALLOWED_KINDS, RELATIONS

    if gazetteer is None:
        from .extract.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    rng = random.Random(seed)
    by_type = _entities(gazetteer)
    states = by_type["State"]
    others = [e for t in ("Person", "Organization") for e in by_type.get(t, [])]
    targets = [e for t in ("Agreement", "Event") for e in by_type.get(t, [])]
    weights = [1.0 / (rank + 1) for rank in range(len(states))]
    predicates = sorted(RELATIONS)
    docs = [SourceDocument(id=f"archive/doc-{i:05d}.txt", path=Path(f"doc-{i:05d}.txt"), sha256=f"{i:064x}",
                           text="", original_text="",
                           metadata=SourceMetadata(title=f"Document {i}", date=str(1950 + i % 40),
                                                   genre=("archival", "scholarly", "news")[i % 3]))
            for i in range(sources)]
    statements = []
    for n in range(count):
        predicate = predicates[n % len(predicates)]
        subject = rng.choices(states, weights)[0] if rng.random() < 0.8 or not others else rng.choice(others)
        if predicate in ("signedAgreement", "participatedIn") and targets:
            obj = rng.choice(targets)
        else:
            obj = rng.choices(states, weights)[0]
        year = rng.randint(1945, 1991)
        kinds = sorted(ALLOWED_KINDS.get(predicate, ()))
        kind = rng.choice(kinds) if kinds and rng.random() < 0.5 else None
        quantity = str(rng.randint(1, 5000)) if predicate in ("providedAid", "sentPersonnel") else None
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 30)))
        sentence = f"In {year} {subject.label} {words} {obj.label}."
        start = rng.randint(0, 200_000)
        qualifiers = Qualifiers(year=year, time_text=f"in {year}", kind=kind, kind_text=kind,
                                quantity=quantity, unit="person" if quantity and predicate == "sentPersonnel" else None,
                                polarity="negated" if rng.random() < 0.05 else "affirmed",
                                hedged=rng.random() < 0.1,
                                attributed_to=rng.choice(states).label if rng.random() < 0.05 else None)
        statements.append(Statement(subject, predicate, obj, qualifiers, round(rng.uniform(0.5, 1.0), 3),
                                    Evidence(docs[n % sources].id, start, start + len(sentence), sentence,
                                             rng.choice(_RULES))))
    return statements, docs


def statements_for_triples(target_triples: int, seed: int = 0) -> tuple[list[Statement], list[SourceDocument]]:
    """About ``target_triples`` triples' worth of statements (calibrated on a sample)."""
    from .graph import BuildInfo, statement_quads

    def triples(count: int) -> int:
        statements, docs = synthetic_statements(count, seed, sources=1000)
        quads = statement_quads(statements, docs, BuildInfo("bench", "bench"), Settings().base_iri)
        return len({(q.subject, q.predicate, q.object) for q in quads})

    # sources and entities are a fixed cost: calibrate on what one more statement adds
    small, large = triples(2000), triples(4000)
    per_statement = max(1.0, (large - small) / 2000)
    fixed = max(0.0, small - 2000 * per_statement)
    count = max(1, round((target_triples - fixed) / per_statement))
    return synthetic_statements(count, seed, sources=1000)


ENTITY_PARAMS = ("entity", "donor", "party", "visitor", "state", "id")


def _median_entity(counts: Counter, usable=lambda entity: True):
    ranked = [e for e, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0].key)) if usable(e)]
    return ranked[len(ranked) // 2] if ranked else None


def query_cases(statements: Sequence[Statement], sources: Sequence[SourceDocument]) -> list[QueryCase]:
    """Every saved query: over the whole graph where it can run so; about one source where it takes
    one; and about one entity where it takes one, twice: the busiest entity (the worst case; in
    the generated graph about a quarter of all facts) and the median one (``NAME@param:median``)."""
    from .sparql import list_saved_queries

    counts: Counter = Counter()
    for s in statements:
        counts[s.subject] += 1
        counts[s.object] += 1
    has_id = lambda e: bool(e.iso_code or e.wikidata)  # noqa: E731 - by-identifier needs one
    is_state = lambda e: e.type == "State"  # noqa: E731 - successions link states

    def busiest_of(usable):
        return max((e for e in counts if usable(e)), key=lambda e: (counts[e], e.key), default=None)

    busiest = {"any": busiest_of(lambda e: True), "id": busiest_of(has_id), "state": busiest_of(is_state)}
    median = {"any": _median_entity(counts), "id": _median_entity(counts, has_id),
              "state": _median_entity(counts, is_state)}
    years = sorted(s.qualifiers.year for s in statements if s.qualifiers.year)
    middle_year = years[len(years) // 2] if years else 1975

    def value(name: str, which: dict):
        if name == "id":
            entity = which["id"]
            return (entity.iso_code or entity.wikidata) if entity else "Q0"
        entity = which["state" if name == "state" else "any"]
        return entity.key if entity else "north-korea"  # the key names exactly one entity

    cases = []
    for saved in list_saved_queries():
        fixed = {p.name: middle_year for p in saved.params if p.required and p.name == "year"}
        one = next((p for p in saved.params if p.name in ENTITY_PARAMS), None)
        if one is None and not any(p.required and p.name == "source" for p in saved.params):
            cases.append(QueryCase(saved.name, saved.name, fixed, "graph"))
        if one is not None and not one.required:
            cases.append(QueryCase(saved.name, saved.name, fixed, "graph"))
        if one is not None:
            cases.append(QueryCase(f"{saved.name}@{one.name}", saved.name, {**fixed, one.name: value(one.name, busiest)},
                                   "entity"))
            cases.append(QueryCase(f"{saved.name}@{one.name}:median", saved.name,
                                   {**fixed, one.name: value(one.name, median)}, "entity"))
        if any(p.name == "source" for p in saved.params) and sources:
            cases.append(QueryCase(f"{saved.name}@source", saved.name, {**fixed, "source": sources[0].id}, "entity"))
    return cases


def _oxigraph_worker(store_path: str, case: QueryCase, runs: int, limit: int, connection) -> None:
    from .sparql import run_query

    try:
        run_query(Path(store_path), case.query, params=case.params, limit=limit)  # warm the store's caches
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            run_query(Path(store_path), case.query, params=case.params, limit=limit)
            times.append((time.perf_counter() - started) * 1000)
        connection.send((statistics.median(times), None))
    except Exception as exc:  # noqa: BLE001 - a failing query is a result to report
        connection.send((None, f"{type(exc).__name__}: {exc}"[:200]))


def _in_child(target, args: tuple, timeout_s: float) -> tuple[float | None, str | None]:
    """Run ``target(*args, connection)`` in a forked process; (value, note), killed past ``timeout_s``.

    Neither Oxigraph nor rdflib can stop a running query, and a query left running in a thread
    would slow every later measurement: a process can be killed.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=target, args=(*args, send), daemon=True)
    worker.start()
    try:
        if receive.poll(timeout_s):
            return receive.recv()
        return None, f"stopped after {timeout_s:g} s"
    finally:
        worker.kill()
        worker.join()


def time_oxigraph(store_path: Path, cases: Sequence[QueryCase], runs: int = 5, limit: int = 1000,
                  timeout_s: float = 60.0) -> tuple[dict[str, float | None], dict[str, str]]:
    """(median milliseconds per case, or None past ``timeout_s`` or on failure; notes), through
    ``kg.sparql.run_query`` with the CLI's row limit."""
    medians: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    for case in cases:
        value, note = _in_child(_oxigraph_worker, (str(store_path), case, runs, limit), timeout_s)
        medians[case.name] = None if value is None else round(value, 2)
        if note:
            notes[case.name] = note
    return medians, notes


def _rdflib_query_ms(dataset, text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        list(dataset.query(text))
        times.append((time.perf_counter() - begun) * 1000)
        if times[-1] > 1000:
            break  # one run of a slow query says enough
    return statistics.median(times)


def _rdflib_loader(nquads_path: str, connection, timeout_s: float) -> None:
    """Loads the graph into rdflib once, then runs each query in a process forked from here
    (sharing the loaded graph), so a query past the time limit is killed without reloading."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    started = time.perf_counter()
    dataset.parse(nquads_path, format="nquads")
    connection.send(("loaded", time.perf_counter() - started))
    while True:
        message = connection.recv()
        if message is None:
            return
        name, text, runs = message
        connection.send((name, *_in_child(_rdflib_worker, (dataset, text, runs), timeout_s)))


def _rdflib_worker(dataset, text: str, runs: int, connection) -> None:
    try:
        connection.send((_rdflib_query_ms(dataset, text, runs), None))
    except Exception as exc:  # noqa: BLE001 - an rdflib failure is a result to report, not a crash
        connection.send((None, f"{type(exc).__name__}: {exc}"[:200]))


def time_rdflib(nquads_path: Path, cases: Sequence[QueryCase], timeout_s: float = 60.0, runs: int = 3,
                load_timeout_s: float = 900.0) -> tuple[dict[str, float | None], float | None, dict[str, str]]:
    """(median ms per case, or None when it failed or passed ``timeout_s``; load seconds; notes)."""
    from .sparql import bind_params, saved_query

    results: dict[str, float | None] = {c.name: None for c in cases}
    notes: dict[str, str] = {}
    if "fork" not in multiprocessing.get_all_start_methods():
        return results, None, {c.name: "rdflib timing needs fork()" for c in cases}
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    # not a daemon: daemon processes may not start the per-query processes (it is killed below)
    loader = context.Process(target=_rdflib_loader, args=(str(nquads_path), child, timeout_s))
    loader.start()
    try:
        if not parent.poll(load_timeout_s):
            return results, None, {c.name: f"rdflib did not load the graph within {load_timeout_s:g} s"
                                   for c in cases}
        load_s = parent.recv()[1]
        for case in cases:
            parent.send((case.name, bind_params(saved_query(case.query), case.params), runs))
            if not parent.poll(timeout_s + 30):
                notes[case.name] = "the rdflib process stopped answering"
                break
            _, median, note = parent.recv()
            results[case.name] = None if median is None else round(median, 2)
            if note:
                notes[case.name] = note
        parent.send(None)
    finally:
        loader.join(5)
        if loader.is_alive():
            loader.kill()
            loader.join()
    return results, load_s, notes


__all__ = ["QueryCase", "query_cases", "statements_for_triples", "synthetic_statements", "time_oxigraph",
           "time_rdflib"]
