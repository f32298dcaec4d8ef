"""`kg serve` as an attacker on the network would try it: where it listens, whether it writes,
whether it can be made to contact other hosts (SERVICE), whether huge answers are bounded."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.serve import DEFAULT_HOST, ServeOptions, make_server
from kg.store import load_quads, open_store

from test_graph_fixtures import sample_quads


@pytest.fixture
def endpoint(tmp_path):
    store = tmp_path / "store"
    load_quads(store, sample_quads())
    server = make_server(store, ServeOptions(port=0, limit=5, timeout_s=5))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/sparql", store, server
    server.shutdown()
    server.server_close()


def _get(url: str, query: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _post_update(url: str, update: str) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"update": update}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_listens_on_loopback_by_default(endpoint):
    assert DEFAULT_HOST == "127.0.0.1" and ServeOptions().host == "127.0.0.1"
    url, _, server = endpoint
    assert server.server_address[0] == "127.0.0.1"


def test_answers_are_bounded_and_updates_refused(endpoint):
    url, store, _ = endpoint
    status, headers, body = _get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
    assert headers.get("X-KG-Truncated") == "true"
    before = len(open_store(store, read_only=True))
    assert _post_update(url, "DROP ALL") in (400, 403)
    status, _, _ = _get(url, "DELETE WHERE { ?s ?p ?o }")
    assert status in (400, 403)
    assert len(open_store(store, read_only=True)) == before


def test_service_is_refused_so_the_server_cannot_be_used_to_reach_other_hosts(endpoint):
    url, _, _ = endpoint
    status, _, body = _get(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
