"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build's Oxigraph store.

Queries go to Oxigraph (never a home-made engine); this module only speaks HTTP: ``GET
/sparql?query=...``, ``POST /sparql`` with a form (``query=...``) or an
``application/sparql-query`` body, ``default-graph-uri`` / ``named-graph-uri`` parameters, and
results in the format the ``Accept`` header asks for (SPARQL JSON, XML, CSV, TSV; Turtle,
N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE). Updates are refused (403). Like
``kg query``, every query has a time limit and a row limit (a cut result carries
``X-KG-Truncated: true``). By default the server listens on 127.0.0.1 only.

When a rebuild swaps the store folder, the next request opens the new store.
"""
from __future__ import annotations

import csv
import io
import json
import os
import threading
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, RdfFormat, serialize

from .errors import KGError, QueryError, QueryRefusedError, QueryTimeoutError, ServeError
from .sparql import is_update, remote_keywords
from .store import open_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_LIMIT = 10_000
DEFAULT_TIMEOUT_S = 30.0
MAX_QUERY_BYTES = 1_000_000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# media type -> result format name, in the order used when Accept allows several equally
SOLUTION_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                  "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
                  "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
               "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": RdfFormat.JSON_LD}


@dataclass(frozen=True)
class ServeOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    limit: int = DEFAULT_LIMIT  # rows (or triples) per answer at most
    timeout_s: float = DEFAULT_TIMEOUT_S
    union_default_graph: bool = True  # as `kg query`: patterns outside GRAPH see every source's graph


@dataclass(frozen=True)
class Answer:
    kind: str  # select | ask | graph
    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()  # pyoxigraph terms (None: unbound); for graph answers: triples
    boolean: bool | None = None
    truncated: bool = False


# --- content negotiation ----------------------------------------------------------------------

def choose_type(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers (first offered on ties); None if none fits."""
    if not accept or not accept.strip():
        return offered[0]
    best, best_q = None, 0.0
    for order, item in enumerate(accept.split(",")):
        fields = [f.strip() for f in item.split(";")]
        media, q = fields[0].lower(), 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        matches = [o for o in offered if media in (o, "*/*") or (media.endswith("/*") and o.startswith(media[:-1]))]
        for candidate in matches:
            if q > best_q or (q == best_q and best is not None and offered.index(candidate) < offered.index(best)):
                best, best_q = candidate, q
    return best


# --- result serialisation (SPARQL 1.1 Query Results JSON, XML, CSV and TSV formats) -------------

def _json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate), "object": _json_term(term.object)}}


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def serialize_solutions(answer: Answer, fmt: str) -> bytes:
    """A SELECT or ASK answer in one of the four result formats (json, xml, csv, tsv)."""
    if fmt == "json":
        if answer.kind == "ask":
            return json.dumps({"head": {}, "boolean": answer.boolean}).encode("utf-8")
        bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
        return json.dumps({"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
        parts.append("</head>")
        if answer.kind == "ask":
            parts.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
        else:
            parts.append("<results>")
            for row in answer.rows:
                parts.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                                  for v, t in zip(answer.variables, row) if t is not None)
                             + "</result>")
            parts.append("</results>")
        parts.append("</sparql>\n")
        return "".join(parts).encode("utf-8")
    if answer.kind == "ask":
        return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + ("true" if answer.boolean else "false")
                + ("\r\n" if fmt == "csv" else "\n")).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(answer.variables)
        writer.writerows([_plain(t) for t in row] for row in answer.rows)
        return buffer.getvalue().encode("utf-8")
    # TSV: terms in their SPARQL/Turtle syntax, which pyoxigraph's str() gives
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- evaluation --------------------------------------------------------------------------------

class StoreHandle:
    """The read-only store, reopened when a rebuild has swapped the store folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._identity: tuple[int, int] | None = None
        self._store = None
        self.current()

    def current(self):
        try:
            stat = os.stat(self.path)
            identity = (stat.st_dev, stat.st_ino)
        except OSError:
            identity = None
        with self._lock:
            if self._store is None or (identity is not None and identity != self._identity):
                self._store = open_store(self.path, read_only=True)
                self._identity = identity
            return self._store


def evaluate(store, text: str, options: ServeOptions, default_graphs: Sequence[str] = (),
             named_graphs: Sequence[str] = ()) -> Answer:
    """Run a read-only query within the options' time and row limits. Raises ``QueryError``."""
    if is_update(text):
        raise QueryRefusedError("This endpoint is read-only: SPARQL UPDATE is refused.")
    remote = remote_keywords(text)
    if remote:
        # an open endpoint must not become a way to make this machine fetch other hosts
        raise QueryRefusedError(f"{' and '.join(remote)} refused: this endpoint does not contact other hosts.")
    kwargs: dict = {}
    if default_graphs:
        kwargs["default_graph"] = [NamedNode(g) for g in default_graphs]
    elif options.union_default_graph:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [NamedNode(g) for g in named_graphs]
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            result = store.query(text, **kwargs)
            if isinstance(result, QueryBoolean):
                outcome["answer"] = Answer("ask", boolean=bool(result))
                return
            rows, truncated = [], False
            if isinstance(result, QuerySolutions):
                variables = tuple(v.value for v in result.variables)
                for solution in result:
                    if len(rows) >= options.limit:
                        truncated = True
                        break
                    rows.append(tuple(solution[v] for v in variables))
                outcome["answer"] = Answer("select", variables, tuple(rows), truncated=truncated)
                return
            for triple in result:
                if len(rows) >= options.limit:
                    truncated = True
                    break
                rows.append(triple)
            outcome["answer"] = Answer("graph", rows=tuple(rows), truncated=truncated)
        except SyntaxError as exc:
            outcome["error"] = QueryError(f"Malformed SPARQL: {exc}.")
        except (OSError, ValueError, TypeError) as exc:
            outcome["error"] = QueryError(f"The query failed: {exc}.")

    # Oxigraph cannot cancel a query: past the limit the evaluation is abandoned to its thread
    worker = threading.Thread(target=run, name="kg-serve-query", daemon=True)
    worker.start()
    worker.join(options.timeout_s)
    if worker.is_alive():
        raise QueryTimeoutError(f"The query did not finish within {options.timeout_s:g} s.",
                                "Narrow it or add a LIMIT.")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["answer"]  # type: ignore[return-value]


# --- HTTP ----------------------------------------------------------------------------------------

class SparqlHandler(BaseHTTPRequestHandler):
    server_version = "kg-sparql"
    store: StoreHandle
    options: ServeOptions
    log: Callable[[str], None] | None = None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.log:
            self.log(format % args)

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", ""):
            self._send(200, _ABOUT.encode("utf-8"), "text/plain; charset=utf-8")
            return
        if url.path != "/sparql":
            self._error(404, "Not found: the SPARQL endpoint is /sparql.")
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._error(403, "This endpoint is read-only: SPARQL UPDATE is refused.")
            return
        self._answer(params.get("query", []), params)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(404, "Not found: the SPARQL endpoint is /sparql.")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_QUERY_BYTES:
            self._error(413, f"The request body must be at most {MAX_QUERY_BYTES} bytes.")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            self._error(403, "This endpoint is read-only: SPARQL UPDATE is refused.")
            return
        if content_type == "application/sparql-query":
            self._answer([body], params)
            return
        if content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                self._error(403, "This endpoint is read-only: SPARQL UPDATE is refused.")
                return
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            self._answer(form.get("query", []), params)
            return
        self._error(415, "Send the query as application/sparql-query or application/x-www-form-urlencoded.")

    def _answer(self, queries: list[str], params: dict[str, list[str]]) -> None:
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "Give exactly one `query` parameter.")
            return
        if len(queries[0].encode("utf-8")) > MAX_QUERY_BYTES:
            self._error(413, "The query is too long.")
            return
        try:
            answer = evaluate(self.store.current(), queries[0], self.options,
                              params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        except QueryError as exc:
            status = 403 if isinstance(exc, QueryRefusedError) else 503 if isinstance(exc, QueryTimeoutError) else 400
            self._error(status, str(exc))
            return
        except KGError as exc:
            self._error(500, str(exc))
            return
        extra = {"X-KG-Truncated": "true"} if answer.truncated else {}
        accept = self.headers.get("Accept")
        if answer.kind == "graph":
            media = choose_type(accept, list(GRAPH_TYPES))
            if media is None:
                self._error(406, "Acceptable graph formats: " + ", ".join(GRAPH_TYPES) + ".")
                return
            body = serialize(list(answer.rows), format=GRAPH_TYPES[media]) or b""
            self._send(200, body, f"{media}; charset=utf-8", extra)
            return
        media = choose_type(accept, list(SOLUTION_TYPES))
        if media is None:
            self._error(406, "Acceptable result formats: " + ", ".join(SOLUTION_TYPES) + ".")
            return
        self._send(200, serialize_solutions(answer, SOLUTION_TYPES[media]), f"{media}; charset=utf-8", extra)


_ABOUT = """kg SPARQL endpoint (read-only)

  GET  /sparql?query=...              SPARQL 1.1 Protocol
  POST /sparql  (application/sparql-query, or a form with query=...)
  Accept: application/sparql-results+json | application/sparql-results+xml | text/csv |
          text/tab-separated-values; for CONSTRUCT/DESCRIBE text/turtle | application/n-triples |
          application/rdf+xml | application/ld+json
"""


def make_server(store_path: Path, options: ServeOptions = ServeOptions(),
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """A server bound to ``options.host:options.port`` (port 0: any free port), not yet serving.

    Raises ``OutputMissingError`` when there is no store, ``ServeError`` when the address is taken.
    """
    store = StoreHandle(Path(store_path))
    handler = type("BoundSparqlHandler", (SparqlHandler,), {"store": store, "options": options,
                                                             "log": staticmethod(log) if log else None})
    try:
        server = ThreadingHTTPServer((options.host, options.port), handler)
    except OSError as exc:
        raise ServeError(f"Cannot listen on {options.host}:{options.port}: {exc.strerror or exc}.",
                         "Choose another --port, or stop what is using it.") from None
    server.daemon_threads = True
    return server


def serve(store_path: Path, options: ServeOptions = ServeOptions(),
          ready: Callable[[str], None] | None = None, log: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; ``ready`` receives the endpoint URL once listening."""
    server = make_server(store_path, options, log)
    host, port = server.server_address[:2]
    if ready:
        ready(f"http://{host}:{port}/sparql")
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = ["Answer", "ServeError", "ServeOptions", "SparqlHandler", "choose_type", "evaluate", "make_server",
           "serialize_solutions", "serve"]
