"""Copy a build's graph into any SPARQL 1.1 store through the Graph Store HTTP Protocol.

Each source's named graph is sent with one ``PUT ENDPOINT?graph=IRI`` (which replaces that graph
on the server, so pushing a rebuild updates it), then the default graph (entities, sources,
build) with ``PUT ENDPOINT?default``. Bodies are Turtle, which every implementation accepts.
Endpoint URLs by server: Oxigraph ``http://host:7878/store``, Apache Jena Fuseki
``http://host:3030/DATASET/data``, GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``,
Virtuoso ``http://host:8890/sparql-graph-crud-auth``.
"""
from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat

from .errors import PushError
from .store import open_store
from .vocab import PREFIXES

PASSWORD_ENV = "KG_PUSH_PASSWORD"
TURTLE = "text/turtle"


@dataclass(frozen=True)
class PushedGraph:
    graph: str | None  # IRI of a named graph; None for the default graph
    triples: int
    status: int


@dataclass(frozen=True)
class PushResult:
    endpoint: str
    graphs: tuple[PushedGraph, ...]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def graph_url(endpoint: str, graph: str | None) -> str:
    """``endpoint?graph=IRI`` (indirect identification), or ``endpoint?default``."""
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={urllib.parse.quote(graph, safe='')}"


def _authorization(user: str | None, password: str | None) -> dict[str, str]:
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _put(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": f"{TURTLE}; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        if exc.code in (401, 403):
            raise PushError(f"The store refused the credentials for {url} (HTTP {exc.code}).",
                            f"Pass --user and set the password in ${PASSWORD_ENV}.") from None
        if exc.code in (404, 405):
            raise PushError(f"{url} is not a Graph Store Protocol endpoint that accepts PUT (HTTP {exc.code}).",
                            "Point --endpoint at the store's graph-store URL (e.g. Oxigraph /store, "
                            "Fuseki /DATASET/data).") from None
        raise PushError(f"The store rejected the graph at {url}: HTTP {exc.code} {detail[:300]}") from None
    except urllib.error.URLError as exc:
        raise PushError(f"Cannot connect to {url}: {exc.reason}.",
                        "Check the endpoint URL and that the store is running and reachable.") from None
    except (TimeoutError, OSError) as exc:
        raise PushError(f"Sending to {url} failed: {exc}.",
                        "Check the store is running; raise --timeout for large graphs.") from None


def _graphs(store) -> Iterator[tuple[str | None, bytes, int]]:
    """(graph IRI or None, Turtle bytes, triple count) for each named graph in IRI order, then
    the default graph."""
    names = sorted((g for g in store.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)
    for graph in [*names, DefaultGraph()]:
        body = store.dump(format=RdfFormat.TURTLE, from_graph=graph, prefixes=dict(PREFIXES))
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        yield (graph.value if isinstance(graph, NamedNode) else None), body, count


def push(out_dir: Path, endpoint: str, *, user: str | None = None, password: str | None = None,
         timeout_s: float = 300.0, progress: Callable[[PushedGraph], None] | None = None) -> PushResult:
    """PUT every graph of the build in ``out_dir`` to the Graph Store endpoint ``endpoint``.

    ``password`` defaults to ``$KG_PUSH_PASSWORD`` when ``user`` is given. Raises ``PushError``
    (unreachable, refused, rejected) or ``OutputMissingError`` (no built store).
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint!r} is not an http(s) URL.", "Write it like http://localhost:7878/store.")
    if user and password is None:
        password = os.environ.get(PASSWORD_ENV)
    headers = _authorization(user, password)
    store = open_store(Path(out_dir) / "store", read_only=True)
    pushed = []
    for graph, body, count in _graphs(store):
        status = _put(graph_url(endpoint, graph), body, headers, timeout_s)
        result = PushedGraph(graph, count, status)
        pushed.append(result)
        if progress:
            progress(result)
    return PushResult(endpoint, tuple(pushed))


__all__ = ["PASSWORD_ENV", "PushError", "PushResult", "PushedGraph", "graph_url", "push"]
