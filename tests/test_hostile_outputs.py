"""Hostile text through a real `kg build`: markup, script URLs, terminal escapes and bidi
controls in a source's sentences, title and file name must come out inert in graph.html, in
`kg query` tables and in `kg claims` output.

The source is written so that the extraction finds facts in the very sentences that carry the
payloads; the test first checks that the payloads did reach the graph (otherwise it would prove
nothing), then that every output shows them as text only.
"""
from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from kg.cli import cli
from kg.textsafe import is_terminal_safe

pytestmark = pytest.mark.model

SOURCE_NAME = "cables\x1b]0;owned\x07\u202egnp.exe.txt"  # an ANSI title change and a bidi override
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '<a href="javascript:alert(3)">note</a>',
          "</script><script>alert(4)</script>", "<svg onload=alert(5)>"]
CONTROLS = ["\u202e", "\u2066", "\u2069", "\x9b"]  # ingest cleaning already drops ESC and other C0
SENTENCES = [
    "<script>alert('title')</script> Cables on friendship",
    "In 1975, North Korea established diplomatic relations with Burma <script>alert(1)</script>.",
    "In 1976, the Soviet Union sent 500 tanks <img src=x onerror=alert(2)> to Angola.",
    'In 1978, Cuba signed a treaty of friendship with Ethiopia <a href="javascript:alert(3)">note</a>.',
    "In 1980, \u202eevil\u202c Vietnam established diplomatic relations with Laos </script><script>alert(4)</script>.",
    "In 1983, Romania established \u2066diplomatic\u2069 relations with Zambia <svg onload=alert(5)>.",
    "In 1984, China sent 200 doctors \x9b31m to Tanzania.",
]
PAYLOAD_CALL = re.compile(r"alert\((?:[1-5]|'title')\)")
FILLER = "The historian notes that the archives remain incomplete and that further study is needed. " * 30


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    src, out = root / "src", root / "out"
    src.mkdir()
    (src / SOURCE_NAME).write_text("\n\n".join(SENTENCES) + "\n\n" + FILLER, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(out), "--processes", "1"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert all(is_terminal_safe(line) for line in result.output.splitlines())
    return out


def _evidence(out) -> list[str]:
    return [json.loads(line)["evidence"] for line in (out / "statements.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_payloads_reach_the_graph(built):
    evidence = " ".join(_evidence(built))
    reached = [payload for payload in MARKUP + CONTROLS if payload in evidence]
    # most payloads must ride on extracted facts, or the checks below test nothing
    assert len(reached) >= 4, reached
    assert any("<script>" in payload or "onerror" in payload for payload in reached), reached
    assert "\u202e" in evidence
    manifest = json.loads((built / "build.json").read_text(encoding="utf-8"))
    assert manifest["sources"][0]["id"] == SOURCE_NAME


def test_graph_html_has_no_injected_markup(built):
    html = (built / "graph.html").read_text(encoding="utf-8")
    for payload in MARKUP:
        assert payload not in html  # never raw, wherever it lands (title, JSON data, attributes)
    assert "<script>alert" not in html.lower() and "</title><" not in html.lower()
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):
        if script.get("type") == "application/json":
            json.loads(script.string)  # data stays data: it parses as a whole
            assert "</script" not in script.string.lower() and "<!--" not in script.string
        else:
            # the page's own code (vis-network has its own alert calls) but none of the payloads
            assert not PAYLOAD_CALL.search(script.string or "") and not script.get("src", "").startswith("javascript:")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            values = value if isinstance(value, list) else [value]
            assert not any(str(v).strip().lower().startswith("javascript:") for v in values), (element.name, attribute)
    assert not soup.find_all(["img", "svg", "iframe", "object", "embed"], src=re.compile("^x$"))
    assert not soup.find_all("svg", onload=True)
    assert soup.title is not None and not soup.title.find_all(True)  # the source's title stays text


def test_graph_html_carries_a_restrictive_content_security_policy(built):
    soup = BeautifulSoup((built / "graph.html").read_text(encoding="utf-8"), "lxml")
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    assert meta is not None, "graph.html has no Content-Security-Policy"
    policy = {d.split()[0]: d.split()[1:] for d in meta["content"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"] or policy["default-src"] == ["'self'"]
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts
    assert not any(s.startswith(("http:", "https:")) for s in scripts)  # works offline, loads nothing
    assert policy.get("object-src", policy["default-src"]) == ["'none'"]
    assert "connect-src" not in policy or policy["connect-src"] == ["'none'"]


def test_query_tables_show_hostile_text_inert(built):
    runner = CliRunner()
    for args in (["query", "entity", "-p", "entity=Angola"], ["query", "sources"],
                 ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--limit", "5000"]):
        result = runner.invoke(cli, [*args, "--out", str(built)])
        assert result.exit_code == 0, (args, result.output)
        assert all(is_terminal_safe(line) for line in result.output.splitlines()), args
    everything = runner.invoke(cli, ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--out", str(built),
                                     "--limit", "5000"]).output
    assert "\\u202e" in everything  # shown, escaped: the reader sees the source held a bidi override
    as_json = runner.invoke(cli, ["query", "sources", "--out", str(built), "-f", "json"]).output
    assert is_terminal_safe(as_json)
    assert SOURCE_NAME in {row["source"] for row in json.loads(as_json)["rows"]}  # lossless


def test_claims_output_is_inert_in_every_format(built):
    runner = CliRunner()
    for fmt in ("table", "csv", "json"):
        result = runner.invoke(cli, ["claims", "--all", "--out", str(built), "-f", fmt])
        assert result.exit_code == 0, (fmt, result.output)
        assert is_terminal_safe(result.output), fmt
        assert "Angola" in result.output or "Burma" in result.output
    table = runner.invoke(cli, ["claims", "--all", "--out", str(built)]).output
    assert "<img src=x onerror=alert(2)>" in table or "<script>alert(1)</script>" in table  # text, not dropped
    assert "\\u202e" in table
