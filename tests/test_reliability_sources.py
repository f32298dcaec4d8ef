"""Bad sources through `kg build`: every bad file gets one line naming it and saying what to do,
the good sources are still built, the exit status tells (3: some sources failed; 1 with
--strict), and no traceback or half-written output is ever left behind.

Ingest-level behaviour of each reader is in tests/test_ingest_readers.py; here the whole command
runs (real spaCy model), plus the two volume cases at ingest level (10,000 files, 20 MB).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import pathlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.ingest import discover, read_sources
from kg.textsafe import is_terminal_safe

GOOD = ("In 1975, North Korea established diplomatic relations with Burma. "
        "The historian adds that the archives of both ministries remain closed to researchers.\n")
CP1252 = ("In 1976, Cuba signed a treaty of friendship with Angola \u2013 a \u201chistoric\u201d step, "
          "the communiqu\u00e9 said.\n")
LATIN1 = "In 1977, Ethiopia established diplomatic relations with Cuba, wrote the na\u00efve attach\u00e9.\n"
HOSTILE_NAME = "evil\x1b[2J\u202ename.txt"


def _scanned_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture
def bad_corpus(tmp_path, monkeypatch):
    """A folder with two good, two legacy-encoded and many bad sources; returns (folder, bad names)."""
    src = tmp_path / "src"
    (src / "nested").mkdir(parents=True)
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "nested" / "also-good.md").write_text("# Notes\n\n" + GOOD.replace("1975", "1976"), encoding="utf-8")
    (src / "cp1252.txt").write_bytes(CP1252.encode("cp1252"))
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    bad = {
        "empty.txt": b"",
        "blank.md": b"  \n\n\t\n",
        "binary.txt": bytes(range(256)) * 40,
        "corrupt.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R",
        "scanned.pdf": _scanned_pdf(),
        "locked.txt": GOOD.encode(),
        "deleted.txt": GOOD.encode(),
    }
    for name, data in bad.items():
        (src / name).write_bytes(data)
    (src / HOSTILE_NAME).write_bytes(b"")  # a file name is source text too
    os.symlink(src, src / "nested" / "loop")  # a symlink loop back to the root
    os.symlink(src / "nowhere.txt", src / "dangling.txt")
    os.mkfifo(src / "pipe.txt")  # reading it would block forever: it must be passed over

    # root reads every file whatever its mode, so the permission error is also simulated
    (src / "locked.txt").chmod(0)
    real_read_bytes = pathlib.Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)

    # a file deleted while the build runs: gone between discovery and reading
    import kg.ingest.readers as readers

    real_discover = readers.discover

    def discover_then_delete(paths):
        found = real_discover(paths)
        (src / "deleted.txt").unlink()
        return found

    monkeypatch.setattr(readers, "discover", discover_then_delete)
    yield src, sorted(bad) + [HOSTILE_NAME]
    if (src / "locked.txt").exists():
        (src / "locked.txt").chmod(0o644)


@pytest.mark.model
def test_bad_sources_are_reported_one_line_each_and_the_rest_is_built(bad_corpus, tmp_path):
    src, bad_names = bad_corpus
    out = tmp_path / "out"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(out), "--no-html", "--processes", "1"])
    assert time.monotonic() - started < 120
    assert result.exit_code == 3, (result.output, result.exception)
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)

    lines = _stderr_lines(result)
    skipped = [line for line in lines if line.startswith("Skipped ")]
    assert len(skipped) == len(bad_names), lines
    for name in bad_names:
        shown = [line for line in skipped if name.encode("unicode_escape").decode().replace("\\\\", "\\") in line
                 or name in line]
        assert len(shown) == 1, (name, skipped)
    assert all(is_terminal_safe(line) for line in lines)  # the hostile file name is shown inert
    assert any("\\x1b[2J\\u202ename.txt" in line for line in skipped)
    advice = {"empty.txt": "Add text", "binary.txt": "Convert it", "corrupt.pdf": "cannot read this PDF",
              "scanned.pdf": "OCR", "locked.txt": "permission", "deleted.txt": "Run the build again"}
    for name, words in advice.items():
        assert words in next(line for line in skipped if name in line), name

    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert sorted(s["id"] for s in manifest["sources"]) == ["cp1252.txt", "good.txt", "latin1.txt",
                                                            "nested/also-good.md"]
    assert len(manifest["failures"]) == len(bad_names)
    evidence = [json.loads(line)["evidence"] for line in (out / "statements.jsonl").read_text().splitlines()]
    assert any("Burma" in sentence for sentence in evidence)
    # legacy encodings are decoded, not mangled: the accents and typography survive
    texts = " ".join(evidence) + (out / "graph.trig").read_text(encoding="utf-8")
    assert "\u201chistoric\u201d" in texts or "communiqu\u00e9" in texts or "na\u00efve" in texts
    assert not list(out.glob(".kg-build-*")) and not list(out.glob(".store*"))


@pytest.mark.model
def test_strict_makes_any_bad_source_fatal_and_keeps_earlier_outputs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(src), "--out", str(out), "--no-html", "--processes", "1"])
    assert first.exit_code == 0, first.output
    before = _tree_digest(out)

    (src / "broken.pdf").write_bytes(b"not a pdf at all")
    strict = runner.invoke(cli, ["build", str(src), "--out", str(out), "--no-html", "--strict"])
    assert strict.exit_code == 1
    [line] = _stderr_lines(strict)
    assert line.startswith("Error: [E100]") and "broken.pdf" in line and "--strict" in line
    assert _tree_digest(out) == before  # nothing half-written, nothing lost
    assert sorted(p.name for p in out.iterdir()) == sorted(before_names(before))

    lenient = runner.invoke(cli, ["build", str(src), "--out", str(out), "--no-html", "--processes", "1"])
    assert lenient.exit_code == 3
    [skipped] = _stderr_lines(lenient)
    assert skipped.startswith("Skipped [E100] broken.pdf: cannot read this PDF"), skipped


def before_names(digest: dict[str, str]) -> set[str]:
    return {name.split("/")[0] for name in digest}


@pytest.mark.model
def test_missing_source_path_is_named(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), str(tmp_path / "typo"), "--out", str(tmp_path / "out"),
                                      "--no-html", "--processes", "1"])
    assert result.exit_code == 3
    [line] = [line for line in _stderr_lines(result) if line.startswith("Skipped")]
    assert "typo" in line and "No such file or folder" in line


def test_when_every_source_is_bad_each_is_still_named(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "broken.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 1
    text = result.stderr
    assert "empty.txt" in text and "broken.pdf" in text and "Traceback" not in text
    out = tmp_path / "out"
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_no_sources_at_all_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    [line] = _stderr_lines(result)
    assert line.startswith("Error: [E101]") and "missing" in line
    out = tmp_path / "out"
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]  # a lock file at most


# --- volume, at ingest level (the extraction cost is measured by `kg bench`, not here) -------

def test_ten_thousand_small_files(tmp_path):
    folder = tmp_path / "many"
    for shard in range(10):
        (folder / f"shard{shard}").mkdir(parents=True)
        for k in range(1000):
            (folder / f"shard{shard}" / f"note{k:04d}.txt").write_text(
                f"Telegram {shard}-{k}. The embassy reported on the talks with the delegation.\n")
    started = time.monotonic()
    found = discover([folder])
    result = read_sources([folder])
    elapsed = time.monotonic() - started
    assert len(found) == 10_000 and len(result.documents) == 10_000 and not result.errors
    assert len({d.id for d in result.documents}) == 10_000
    assert elapsed < 60


def test_twenty_megabytes_in_one_file_with_bad_neighbours(tmp_path):
    # the large-file reader itself is tested in test_ingest_readers; here it shares the run
    # with bad files and everything is still reported
    folder = tmp_path / "big"
    folder.mkdir()
    line = "The delegation discussed deliveries of grain, fertiliser and machinery in 1977.\n"
    (folder / "large.txt").write_text(line * 260_000, encoding="utf-8")  # ~20 MB
    (folder / "zero.txt").write_bytes(b"")
    result = read_sources([folder])
    assert [d.id for d in result.documents] == ["large.txt"]
    assert len(result.documents[0].text) > 19_000_000
    assert [str(e).split(":")[0] for e in result.errors] == ["[E100] zero.txt"]
