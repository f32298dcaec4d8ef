"""`kg push`: every graph of a build PUT to a real Oxigraph server (Graph Store Protocol)."""
from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.push import PushError, graph_url, push
from test_serve import BASE, small_output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph_server(tmp_path):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "server-data"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _count_by_graph(server: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(f"{server}/query?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    return {b.get("g", {}).get("value", "default"): int(b["n"]["value"]) for b in bindings}


def test_push_puts_each_source_graph_and_the_default_graph(oxigraph_server, tmp_path):
    out = small_output(tmp_path / "out")
    seen = []
    result = push(out, f"{oxigraph_server}/store", progress=seen.append)
    assert [g.graph for g in result.graphs] == [BASE + "graph/a.txt", BASE + "graph/b.txt", None]
    assert all(g.status in (200, 201, 204) for g in result.graphs) and seen == list(result.graphs)
    counts = _count_by_graph(oxigraph_server)
    assert counts[BASE + "graph/a.txt"] == result.graphs[0].triples > 0
    assert counts[BASE + "graph/b.txt"] == result.graphs[1].triples > 0
    assert counts["default"] == result.graphs[2].triples > 0

    # a rebuild pushed again replaces each graph instead of adding to it
    small_output(out, extra_sentence="Cuba and Togo exchanged ambassadors.")
    again = push(out, f"{oxigraph_server}/store")
    assert _count_by_graph(oxigraph_server) == {**counts, BASE + "graph/b.txt": again.graphs[1].triples}
    request = urllib.request.Request(f"{oxigraph_server}/query?" + urllib.parse.urlencode(
        {"query": "ASK { GRAPH ?g { ?e ?p \"Cuba recognised Togo.\" } }"}), headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["boolean"] is False


def test_connection_failures_and_bad_urls_are_clear_errors(tmp_path):
    out = small_output(tmp_path / "out")
    with pytest.raises(PushError) as caught:
        push(out, f"http://127.0.0.1:{_free_port()}/store", timeout_s=5)
    assert caught.value.code == "E830" and "Cannot connect" in str(caught.value)
    with pytest.raises(PushError):
        push(out, "ftp://example.org/store")


class _AuthHandler(BaseHTTPRequestHandler):
    seen: list = []

    def log_message(self, *args) -> None:
        pass

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, self.headers.get("Authorization"), self.headers.get("Content-Type"), body))
        expected = "Basic " + base64.b64encode(b"historian:s3cret").decode()
        self.send_response(204 if self.headers.get("Authorization") == expected else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_credentials_come_from_the_user_option_and_the_environment(tmp_path, monkeypatch):
    out = small_output(tmp_path / "out")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AuthHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/ds/data"
    try:
        monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
        result = push(out, endpoint, user="historian")
        assert len(result.graphs) == 3
        path, _, content_type, body = _AuthHandler.seen[0]
        assert path == "/ds/data?graph=" + urllib.parse.quote(BASE + "graph/a.txt", safe="")
        assert content_type.startswith("text/turtle") and b"North Korea" in body
        assert _AuthHandler.seen[-1][0] == "/ds/data?default"
        monkeypatch.setenv("KG_PUSH_PASSWORD", "wrong")
        with pytest.raises(PushError) as caught:
            push(out, endpoint, user="historian")
        assert "credentials" in str(caught.value) and "KG_PUSH_PASSWORD" in str(caught.value)
    finally:
        server.shutdown()
        server.server_close()


def test_graph_urls_use_indirect_identification():
    assert graph_url("http://h/store", None) == "http://h/store?default"
    assert graph_url("http://h/store", "https://x/graph/a b") == "http://h/store?graph=https%3A%2F%2Fx%2Fgraph%2Fa%20b"
    assert graph_url("http://h/s?repo=1", "g:1") == "http://h/s?repo=1&graph=g%3A1"
