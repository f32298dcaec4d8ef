"""Quality floor on the shared gold set, scored by the project's scorer (raise as extraction improves)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.model

# current figures are recorded in the README; these floors only guard against regressions
FLOORS = {"lenient_precision": 0.90, "lenient_f1": 0.60, "strict_f1": 0.50}


@pytest.fixture(scope="module")
def report(corpus_build, tmp_path_factory):
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists() or not (SHARED / "gold").is_dir():
        pytest.skip(f"../shared (gold set and scorer) is not beside this checkout: looked in {SHARED}")
    out = tmp_path_factory.mktemp("score") / "report.json"
    subprocess.run([sys.executable, str(scorer), "--gold", str(SHARED / "gold"), "--system",
                    str(corpus_build.out_dir / "statements.jsonl"), "--json", str(out)],
                   check=True, capture_output=True, text=True)
    return json.loads(out.read_text())


def test_lenient_precision_floor(report):
    assert report["lenient"]["precision"] >= FLOORS["lenient_precision"], report["lenient"]


def test_lenient_f1_floor(report):
    assert report["lenient"]["f1"] >= FLOORS["lenient_f1"], report["lenient"]


def test_strict_f1_floor(report):
    assert report["strict"]["f1"] >= FLOORS["strict_f1"], report["strict"]
