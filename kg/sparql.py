"""SPARQL over a build's store, from Python and the command line; saved queries for common questions.

Saved queries are ``kg/queries/NAME.rq`` files whose header comments describe them::

    # title: Aid flows
    # description: Who gave what aid to whom ...
    # param: donor string optional - the giving entity

Parameters are never pasted into query text as the user typed them: each value becomes an RDF
term (pyoxigraph escapes it) in a ``VALUES`` row that replaces the query's ``#@params`` line, so a
value such as ``"> } ; DROP ALL #`` is just a string to compare against.

Safety: a query only reads. UPDATE is refused unless ``allow_update``; ``SERVICE`` (a federated
query, which makes the engine contact another host) and ``LOAD`` (which fetches a URL) are
refused unless ``allow_service``. The command line bounds every query by ``DEFAULT_TIMEOUT_S``
seconds and ``DEFAULT_LIMIT`` rows unless told otherwise (``--timeout``, ``--limit``); from
Python both bounds are off unless given. A malformed query raises ``QuerySyntaxError`` with the
engine's message and the line and column it points at.
"""
from __future__ import annotations

import csv
import io
import re
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple

from .errors import QueryError, QueryRefusedError, QueryTimeoutError
from .store import open_store
from .textsafe import json_safe, terminal_safe
from .vocab import PREFIXES, XSD_NAMESPACE

PARAMS_MARKER = "#@params"
# where a saved query pages: the subquery that picks and orders the rows before their details are
# looked up gets the caller's LIMIT and OFFSET here, so a page of a very busy entity costs a page
PAGE_MARKER = "#@page"
# rows per page when a paged query is asked for every row: pages bound the engine's size estimates
# (unbounded, Oxigraph plans the details before the subquery and scans the whole graph)
PAGE_ROWS = 10_000
PARAM_TYPES = ("string", "integer", "decimal", "boolean", "iri", "entity", "source", "identifier")
FORMATS = ("table", "csv", "json")

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+(?P<type>" + "|".join(PARAM_TYPES) + r"))?"
                    r"(?:\s+(?P<presence>optional|required))?(?:\s*[-:\u2014]\s*(?P<description>.*))?$")
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
# keywords that make the engine reach another host: a federated query, or an update that fetches
_REMOTE_KEYWORDS = {"SERVICE", "LOAD"}

# what `kg query` uses when --limit / --timeout are not given (generous for a person reading
# the answer, small enough that a runaway query cannot hold the terminal or the memory)
DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT_S = 30.0


class QuerySyntaxError(QueryError):
    """A malformed query: the engine's message, and where it stopped (1-based line and column)."""

    def __init__(self, message: str, hint: str | None = None, line: int | None = None,
                 column: int | None = None):
        super().__init__(message, hint)
        self.line = line
        self.column = column


class Iri(str):
    """An IRI in a result row (a ``str``, so it prints and compares as its text)."""

    __slots__ = ()


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str = "string"  # one of PARAM_TYPES
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    path: Path | None = None


@dataclass(frozen=True)
class QueryResult:
    """Rows of Python values (str, Iri, int, Decimal, float, bool, None for unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    kind: str = "select"  # select | ask | construct | update
    truncated: bool = False  # a limit cut the rows short
    boolean: bool | None = None  # the answer of an ASK query
    elapsed_s: float = field(default=0.0, compare=False)

    def as_dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


# --- saved queries ----------------------------------------------------------------------------

def parse_saved_query(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """Read a query's header comments (title, description, params)."""
    title, description, params = name, "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends at the first line of SPARQL
            continue
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            param = _PARAM.match(value)
            if not param:
                raise QueryError(f"Query {name!r} declares a malformed parameter: {value!r}.",
                                 "Write `# param: NAME [string|integer|decimal|boolean|iri] [optional] - description`.")
            params.append(QueryParam(name=param["name"], type=param["type"] or "string",
                                     required=param["presence"] != "optional",
                                     description=(param["description"] or "").strip()))
    if params and not _marker_line(PARAMS_MARKER).search(text):
        raise QueryError(f"Query {name!r} declares parameters but has no `{PARAMS_MARKER}` line.",
                         f"Put a `{PARAMS_MARKER}` line inside its WHERE clause where the parameters are bound.")
    return SavedQuery(name=name, title=title, description=description, params=tuple(params), text=text, path=path)


def _packaged_queries():
    return files("kg") / "queries"


def list_saved_queries() -> list[SavedQuery]:
    """The saved queries shipped with kg, by name."""
    found = []
    for entry in sorted(_packaged_queries().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found.append(parse_saved_query(entry.read_text(encoding="utf-8"), name, Path(str(entry))))
    return found


def saved_query(name: str) -> SavedQuery:
    for query in list_saved_queries():
        if query.name == name:
            return query
    raise QueryError(f"No saved query named {name!r}.",
                     f"Saved queries: {', '.join(q.name for q in list_saved_queries())}.")


def resolve_query(query: str | Path | SavedQuery) -> SavedQuery:
    """A saved query's name, a path to an ``.rq`` file, or SPARQL text -> ``SavedQuery``."""
    if isinstance(query, SavedQuery):
        return query
    if isinstance(query, Path) or (isinstance(query, str) and query.strip().endswith(".rq")
                                   and "\n" not in query.strip()):
        path = Path(query)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"Cannot read query file {path}: {exc.strerror or exc}.") from exc
        return parse_saved_query(text, path.stem, path)
    text = str(query)
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text.strip()):
        return saved_query(text.strip())
    return parse_saved_query(text, "query")


# --- parameters -------------------------------------------------------------------------------

def _term(param: QueryParam, value: object):
    try:
        if param.type == "integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", str(value).strip()):
                raise ValueError
            return Literal(str(int(str(value).strip())), datatype=NamedNode(XSD_NAMESPACE + "integer"))
        if param.type == "decimal":
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise ValueError
            return Literal(format(number, "f"), datatype=NamedNode(XSD_NAMESPACE + "decimal"))
        if param.type == "boolean":
            text = str(value).strip().lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return Literal("true" if text in ("true", "1", "yes") else "false",
                           datatype=NamedNode(XSD_NAMESPACE + "boolean"))
        if param.type == "iri":
            return NamedNode(str(value))
        return Literal(str(value))
    except (ValueError, InvalidOperation):
        raise QueryError(f"Parameter {param.name!r} must be {'an' if param.type[0] in 'aeiou' else 'a'} "
                         f"{param.type}, not {value!r}.") from None


# A parameter NAME whose query uses ``?NAMENode`` names a node of the graph: an entity (a
# ``string`` or ``entity`` parameter: label, alias, key or IRI), a source (``source``: id, file
# name or IRI) or an entity by identifier (``identifier``: Wikidata id or ISO 3166 code). Besides
# the text in ``?NAME``, the query gets the matching nodes in ``?NAMENode``. Matching needs string
# functions over every label; written as a FILTER inside the query it makes Oxigraph scan every
# statement before joining (seconds at a million triples), so ``run_query`` resolves the text first
# and hands the query the IRIs as constants. Text bound without a store (another engine) gets the
# same matching as a SPARQL subquery. How each kind matches is data: ``kg/queries/match/KIND.rq``.
NODE_SUFFIX = "Node"
NODE_KINDS = ("entity", "source", "identifier")
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class NodeMatcher:
    """How a parameter's text is matched to nodes: a graph pattern over ``?node`` and ``?value``."""

    kind: str
    description: str
    pattern: str  # the body of the match query's WHERE, prefixed names written out as full IRIs


def _outside_strings(text: str, replace) -> str:
    # prefixed names are only rewritten outside string literals and IRIs
    token = re.compile(r'("(?:[^"\\\n]|\\.)*"|<[^<>\s]*>)')
    return "".join(part if token.fullmatch(part) else replace(part) for part in token.split(text))


@lru_cache(maxsize=None)
def node_matcher(kind: str) -> NodeMatcher:
    if kind not in NODE_KINDS:
        raise QueryError(f"No way to match a {kind!r} parameter.", f"Kinds: {', '.join(NODE_KINDS)}.")
    text = (files("kg") / "queries" / "match" / f"{kind}.rq").read_text(encoding="utf-8")
    description = next((m.group(1) for m in re.finditer(r"^#\s*description:\s*(.*)$", text, re.MULTILINE)), "")
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}
    body = text[text.index("{", text.upper().index("WHERE")) + 1: text.rindex("}")]
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
    name = re.compile(r"(?<![\w?$:<])(" + "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True)))
                      + r"):([A-Za-z_][\w-]*)")
    body = _outside_strings(body, lambda part: name.sub(lambda m: f"<{prefixes[m.group(1)]}{m.group(2)}>", part))
    return NodeMatcher(kind, description, body.strip())


def node_match_query(kind: str, value_term: str, node: str = "node") -> str:
    """``SELECT DISTINCT ?node`` of every node of ``kind`` the text ``value_term`` (an RDF term) names."""
    pattern = re.sub(r"\?node\b", f"?{node}", node_matcher(kind).pattern)
    return f"SELECT DISTINCT ?{node} WHERE {{ VALUES ?value {{ {value_term} }} {pattern} }}"


def node_params(query: SavedQuery) -> tuple[tuple[QueryParam, str], ...]:
    """(parameter, kind) for each parameter of ``query`` that names a node (its text uses ``?NAMENode``)."""
    found = []
    for p in query.params:
        kind = "entity" if p.type == "string" else p.type
        if kind in NODE_KINDS and re.search(rf"[?$]{re.escape(p.name + NODE_SUFFIX)}\b", query.text):
            found.append((p, kind))
    return tuple(found)


def entity_params(query: SavedQuery) -> tuple[QueryParam, ...]:
    """The parameters of ``query`` that name an entity by label, alias, key or IRI."""
    return tuple(p for p, kind in node_params(query) if kind == "entity")


def resolve_nodes(store: Store, kind: str, text: str, union_default_graph: bool = True) -> tuple[str, ...]:
    """IRIs of the nodes of ``kind`` that ``text`` names, sorted."""
    answer = store.query(node_match_query(kind, str(Literal(str(text)))),
                         use_default_graph_as_union=union_default_graph)
    return tuple(sorted(solution["node"].value for solution in answer))


def resolve_entities(store: Store, text: str, union_default_graph: bool = True) -> tuple[str, ...]:
    """IRIs of the entities ``text`` names (IRI, key, label or alias, ignoring case), sorted."""
    return resolve_nodes(store, "entity", text, union_default_graph)


def bind_params(query: SavedQuery, params: Mapping[str, object] | None,
                node_matches: Mapping[str, Sequence[str]] | None = None) -> str:
    """The query text with its ``#@params`` line replaced by a ``VALUES`` block of escaped terms.

    ``node_matches``: for parameters naming a node (``node_params``), the IRIs the given text
    resolved to (see ``resolve_nodes``); one VALUES row per match (none: the query has no answer).
    Without it, the matching is written into the query as a subquery (slower, but any SPARQL 1.1
    engine runs it).
    """
    params = {k: v for k, v in (params or {}).items() if v is not None}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        hint = (f"It takes: {', '.join(declared)}." if declared else "It takes no parameters.")
        raise QueryError(f"Query {query.name!r} has no parameter {', '.join(map(repr, unknown))}.", hint)
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        raise QueryError(f"Query {query.name!r} needs parameter {', '.join(map(repr, missing))}.",
                         "; ".join(f"{p.name}: {p.description}" for p in query.params if p.name in missing) or None)
    if not query.params:
        return query.text
    node_matches = node_matches or {}
    variables = [f"?{p.name}" for p in query.params]
    row = [str(_term(p, params[p.name])) if p.name in params else "UNDEF" for p in query.params]
    rows = [row]
    subqueries = []
    for p, kind in node_params(query):
        node = p.name + NODE_SUFFIX
        variables.append(f"?{node}")
        if p.name not in params:
            rows = [r + ["UNDEF"] for r in rows]
        elif p.name in node_matches:
            rows = [r + [str(NamedNode(iri))] for r in rows for iri in node_matches[p.name]]
        else:
            rows = [r + ["UNDEF"] for r in rows]
            subqueries.append(f"{{ {node_match_query(kind, str(_term(p, params[p.name])), node)} }}")
    values = " ".join(f"({' '.join(r)})" for r in rows)
    block = " ".join([f"VALUES ({' '.join(variables)}) {{ {values} }}"] + subqueries)
    return _marker_line(PARAMS_MARKER).sub(lambda m: m.group(1) + block, query.text, count=1)


def bind_page(text: str, limit: int | None, offset: int = 0) -> str:
    """``text`` with its ``#@page`` line (if any) made ``LIMIT``/``OFFSET`` for rows ``offset`` to
    ``offset + limit`` (one more, so the caller can tell the rows were cut short)."""
    clause = (f"LIMIT {limit + 1} " if limit is not None else "") + (f"OFFSET {offset}" if offset else "")
    return _marker_line(PAGE_MARKER).sub(lambda m: m.group(1) + clause, text, count=1)


def _marker_line(marker: str) -> re.Pattern:
    # a marker inside a comment is only named there (no "#" may come before it on its line)
    return re.compile(rf"^([^#\n]*){re.escape(marker)}", re.MULTILINE)


# --- running ----------------------------------------------------------------------------------

def _strip_comments_and_strings(text: str) -> str:
    # enough lexing to find the first keyword: drop comments, IRIs and string literals
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*',
                  " ", text)


def is_update(text: str) -> bool:
    """Whether SPARQL text is an UPDATE request (judged by its first keyword after the prologue)."""
    body = _strip_comments_and_strings(text)
    body = re.sub(r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", "", body, flags=re.IGNORECASE)
    first = re.match(r"[A-Za-z]+", body)
    return bool(first) and first.group().upper() in _UPDATE_KEYWORDS


# SPARQL tokens that can hide a keyword-like word: long and short strings, IRIs, comments,
# variables, prefixed names (a local name may hold dots, so ``ex:a.SERVICE`` is one name)
_OPAQUE_TOKEN = (r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                 r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*|[?$]\w+"
                 r"|(?:[A-Za-z][\w.-]*)?:(?:[\w%\\:-]|\.(?=[\w%\\:-]))*")
_TOKENS = re.compile(rf"(?P<opaque>{_OPAQUE_TOKEN})|(?P<word>[A-Za-z_]\w*)|\S", re.UNICODE)


def keywords(text: str) -> list[str]:
    """The bare words of SPARQL text (keywords and function names), upper-cased, in order;
    nothing inside strings, IRIs, comments, variables or prefixed names counts."""
    return [m.group("word").upper() for m in _TOKENS.finditer(text) if m.group("word")]


def remote_keywords(text: str) -> list[str]:
    """The keywords of ``text`` that would make the engine contact another host (SERVICE, LOAD)."""
    return sorted({word for word in keywords(text) if word in _REMOTE_KEYWORDS})


_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def syntax_error(exc: SyntaxError, text: str, what: str = "SPARQL") -> QuerySyntaxError:
    """The engine's parse error as a one-line message naming the line and column, and the
    query text around that place as the hint."""
    raw = " ".join(str(exc).split())  # the engine wraps long 'expected one of' lists over lines
    position = _ENGINE_POSITION.match(raw)
    if not position:
        return QuerySyntaxError(f"Malformed {what}: {terminal_safe(raw)}.", "Check the query against SPARQL 1.1.")
    line, column = int(position.group(1)), int(position.group(2))
    detail = raw[position.end():]
    if len(detail) > 300:
        detail = detail[:299] + "\u2026"
    # the engine names the furthest place it reached, often just past the culprit (the end of
    # the query when a brace is missing): show what it read last before that place
    lines = text.split("\n")
    offset = sum(len(before) + 1 for before in lines[:max(0, line - 1)]) + max(0, column - 1)
    near = " ".join(text[:offset].split())[-40:]
    hint = (f'Near "{terminal_safe(near)}". ' if near else "") + "Check the query against SPARQL 1.1."
    # "error at" stays in the message: it is the engine's own wording, which users search for
    return QuerySyntaxError(f"Malformed {what} at line {line}, column {column} (engine: error at {line}:{column}): "
                            f"{terminal_safe(detail)}.", hint, line=line, column=column)


def _python_value(term) -> object:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return Iri(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        datatype = term.datatype.value[len(XSD_NAMESPACE):] if term.datatype.value.startswith(XSD_NAMESPACE) else ""
        value = term.value
        try:
            if datatype in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                            "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong"):
                return int(value)
            if datatype == "decimal":
                return Decimal(value)
            if datatype in ("double", "float"):
                return float(value)
            if datatype == "boolean":
                return value in ("true", "1")
            if datatype == "gYear" and re.fullmatch(r"-?\d{4,}", value):
                return int(value)
        except (ValueError, InvalidOperation):
            pass
        return value
    if isinstance(term, Triple):
        return f"<< {term.subject} {term.predicate} {term.object} >>"
    return str(term)


def _collect(store: Store, text: str, limit: int | None, union_default_graph: bool, skip: int = 0) -> QueryResult:
    started = time.monotonic()
    try:
        answer = store.query(text, use_default_graph_as_union=union_default_graph)
        if isinstance(answer, QueryBoolean):
            value = bool(answer)
            return QueryResult(("result",), ((value,),), kind="ask", boolean=value,
                               elapsed_s=time.monotonic() - started)
        if isinstance(answer, QuerySolutions):
            columns = tuple(v.value for v in answer.variables)
            rows, truncated = [], False
            for solution in answer:
                if skip:
                    skip -= 1
                    continue
                if limit is not None and len(rows) >= limit:
                    truncated = True
                    break
                rows.append(tuple(_python_value(solution[name]) for name in columns))
            return QueryResult(columns, tuple(rows), truncated=truncated, elapsed_s=time.monotonic() - started)
        rows, truncated = [], False
        for triple in answer:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append((_python_value(triple.subject), _python_value(triple.predicate), _python_value(triple.object)))
        return QueryResult(("subject", "predicate", "object"), tuple(rows), kind="construct", truncated=truncated,
                           elapsed_s=time.monotonic() - started)
    except SyntaxError as exc:
        raise syntax_error(exc, text) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        # the engine reports evaluation failures (a store read, an unbound SERVICE name) this way
        raise QueryError(f"The query failed: {terminal_safe(exc)}.") from exc


def _collect_pages(store: Store, text: str, limit: int | None, offset: int, union_default_graph: bool) -> QueryResult:
    """Rows ``offset`` to ``offset + limit`` of ``text``: through its ``#@page`` subquery when it has
    one (every row, unbounded, in pages of ``PAGE_ROWS``), else by skipping rows."""
    if not _marker_line(PAGE_MARKER).search(text):
        return _collect(store, text, limit, union_default_graph, skip=offset)
    if limit is not None:
        return _collect(store, bind_page(text, limit, offset), limit, union_default_graph)
    started, rows, start = time.monotonic(), [], offset
    while True:
        page = _collect(store, bind_page(text, PAGE_ROWS, start), PAGE_ROWS, union_default_graph)
        rows += page.rows
        if not page.truncated:
            return QueryResult(page.columns, tuple(rows), kind=page.kind, elapsed_s=time.monotonic() - started)
        start += PAGE_ROWS


def _drop_frame_locals(exc: BaseException | None) -> None:
    # the engine's result iterators may only be dropped on the thread that made them; an
    # exception's frames would carry them to the caller's thread, so they go here
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


def _with_timeout(run, timeout_s: float | None):
    """Run ``run()`` giving up after ``timeout_s`` seconds.

    Oxigraph cannot cancel a query, so on timeout the evaluation goes on in a daemon thread
    (it releases the GIL) until it ends or the process exits; the caller gets its answer now.
    """
    if timeout_s is None:
        return run()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:  # handed to the caller's thread below
            _drop_frame_locals(exc)
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="kg-sparql", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise QueryTimeoutError(f"The query did not finish within {timeout_s:g} s.",
                         "Narrow it (parameters, LIMIT, fewer OPTIONALs) or raise the timeout.")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def run_query(store_path: Path, query: str | Path | SavedQuery, params: Mapping[str, object] | None = None,
              limit: int | None = None, timeout_s: float | None = None, allow_update: bool = False,
              union_default_graph: bool = True, allow_service: bool = False, offset: int = 0) -> QueryResult:
    """Run SPARQL text, a saved query's name or an ``.rq`` file against the store at ``store_path``.

    ``union_default_graph``: patterns outside ``GRAPH`` see every source's graph as well as the
    default graph (entities, sources, build). ``limit`` rows and ``timeout_s`` seconds bound the
    query (``None``: unbounded; the CLI passes ``DEFAULT_LIMIT`` / ``DEFAULT_TIMEOUT_S``); ``offset``
    rows are skipped first (pages: ``offset=1000, limit=1000`` is the second page of a thousand;
    saved queries marked ``#@page`` skip them inside the engine, before the details are read). UPDATE
    requests are refused unless ``allow_update``; ``SERVICE`` and ``LOAD`` (which contact other
    hosts) unless ``allow_service``. Raises ``QueryError`` (refused, timed out, bad parameters),
    ``QuerySyntaxError`` (malformed, with line and column) or ``OutputMissingError`` (no store).
    """
    if limit is not None and limit < 0:
        raise QueryError(f"Limit must be zero or more, not {limit}.")
    if offset < 0:
        raise QueryError(f"Offset must be zero or more, not {offset}.")
    if timeout_s is not None and timeout_s <= 0:
        raise QueryError(f"Timeout must be positive, not {timeout_s}.")
    resolved = resolve_query(query)
    text = bind_params(resolved, params)  # checks the parameters before the store is opened
    remote = remote_keywords(text)
    if remote and not allow_service:
        raise QueryRefusedError(f"{' and '.join(remote)} refused: the query would make the engine contact another host.",
                         "Federated queries and LOAD are off by default; pass allow_service=True / --allow-service "
                         "to allow them.")
    if is_update(text):
        if not allow_update:
            raise QueryRefusedError("SPARQL UPDATE is refused: queries only read the graph.",
                             "Rebuild the graph to change it, or pass allow_update=True / --allow-update.")
        store = open_store(Path(store_path), read_only=False)

        def update() -> QueryResult:
            started = time.monotonic()
            try:
                store.update(text)
            except SyntaxError as exc:
                raise syntax_error(exc, text, "SPARQL update") from exc
            except (OSError, RuntimeError, ValueError) as exc:
                raise QueryError(f"The update failed: {terminal_safe(exc)}.") from exc
            store.flush()
            return QueryResult((), (), kind="update", elapsed_s=time.monotonic() - started)

        return _with_timeout(update, timeout_s)
    store = open_store(Path(store_path), read_only=True)

    def select() -> QueryResult:
        named = {p.name: (kind, str(params[p.name])) for p, kind in node_params(resolved)
                 if (params or {}).get(p.name) is not None}
        bound = text
        if named:
            try:
                matches = {name: resolve_nodes(store, kind, value, union_default_graph)
                           for name, (kind, value) in named.items()}
            except (OSError, RuntimeError, ValueError) as exc:
                raise QueryError(f"The query failed: {terminal_safe(exc)}.") from exc
            bound = bind_params(resolved, params, matches)
        return _collect_pages(store, bound, limit, offset, union_default_graph)

    return _with_timeout(select, timeout_s)


# --- formatting -------------------------------------------------------------------------------

def _escape_control(text: str) -> str:
    # a value must not move the cursor, clear the screen, reverse a line or forge table rows
    return terminal_safe(text, line_breaks="escape")


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Iri):
        return str(value)
    return value


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 60) -> str:
    """``table`` (aligned, long cells cut, control and bidi characters escaped: safe to print),
    ``json`` (lossless, with C1 and bidi controls as ``\\uNNNN`` escapes: also safe to print) or
    ``csv`` (the exact values, for files and other programs)."""
    if fmt not in FORMATS:
        raise QueryError(f"Unknown result format {fmt!r}.", f"Choose among: {', '.join(FORMATS)}.")
    if fmt == "json":
        if result.kind == "ask":
            payload: dict[str, object] = {"boolean": result.boolean}
        else:
            payload = {"columns": list(result.columns),
                       "rows": [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]}
            if result.truncated:
                payload["truncated"] = True
        return json_safe(payload) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_cell_text(v) for v in row] for row in result.rows)
        return buffer.getvalue()
    if result.kind == "update":
        return "Update done.\n"

    def cell(value: object) -> str:
        text = _escape_control(_compact(value) if isinstance(value, Iri) else _cell_text(value))
        return text if len(text) <= max_width else text[: max_width - 1] + "\u2026"

    header = [_escape_control(c) for c in result.columns]
    body = [[cell(v) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    footer = f"({len(body)} row{'s' if len(body) != 1 else ''}{', truncated by the limit' if result.truncated else ''})"
    return "\n".join(lines + [footer]) + "\n"
