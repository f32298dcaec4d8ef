"""Discovery, decoding, the four readers, sidecar metadata and bad inputs."""
from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import pytest

from kg.errors import NoSourcesError, SourceError
from kg.ingest import discover, iter_sources, read_source, read_sources
from kg.ingest.discover import SourceFile
from kg.model import SourceDocument

SOURCES = Path(__file__).resolve().parent.parent / "sources"
PARAGRAPH = ("Kim Il Sung received the delegation of the German Democratic Republic in Pyongyang "
             "and both sides signed a treaty on friendship and cooperation.")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a Helvetica text layer: one list of lines per page."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    page_ids = [4 + 2 * k for k in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for k, lines in enumerate(pages):
        content = "BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({escape(l)}) Tj T*" for l in lines) + " ET"
        stream = content.encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_ids[k] + 1} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def assert_offsets_point_into_original(doc: SourceDocument) -> None:
    for i, char in enumerate(doc.text):
        original = doc.original_text[doc.offset_map.to_original(i)]
        assert original == char or (char in " \n" and original.isspace()), (i, char, original)


# --- discovery ---------------------------------------------------------------------------

def test_discover_finds_sources_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("text")
    (tmp_path / "a.txt").write_text("text")
    (tmp_path / "c.PDF").write_bytes(b"%PDF")
    (tmp_path / "a.txt.meta.toml").write_text("genre = 'news'")
    (tmp_path / ".hidden.txt").write_text("text")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("text")
    (tmp_path / "notes.docx").write_text("text")
    found = discover([tmp_path])
    assert [s.id for s in found] == ["a.txt", "b/z.md", "c.PDF"]
    assert all(s.root == tmp_path for s in found)
    assert discover([tmp_path]) == found


def test_discover_takes_a_named_file_as_is(tmp_path):
    path = tmp_path / "telegram.asc"
    path.write_text("text")
    assert discover([path]) == [SourceFile(path, tmp_path, "telegram.asc")]


def test_discover_errors(tmp_path):
    with pytest.raises(SourceError, match="No such file or folder"):
        discover([tmp_path / "missing"])
    with pytest.raises(NoSourcesError):
        discover([tmp_path])


def test_discover_survives_a_symlink_loop(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("text")
    os.symlink(tmp_path, tmp_path / "docs" / "loop")
    assert [s.id for s in discover([tmp_path])] == ["docs/a.txt"]


def test_discover_keeps_ids_apart_across_roots(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("text")
    ids = [s.id for s in discover([tmp_path / "one", tmp_path / "two"])]
    assert ids == ["a.txt", "two/a.txt"]


def test_many_small_files(tmp_path):
    for k in range(300):
        (tmp_path / f"doc{k:03d}.txt").write_text(f"Report number {k}. {PARAGRAPH}")
    result = read_sources([tmp_path])
    assert len(result.documents) == 300 and not result.errors
    assert result.documents[0].id == "doc000.txt"


# --- readers -----------------------------------------------------------------------------

def test_plain_text(tmp_path):
    path = tmp_path / "note.txt"
    data = f"Talks in Pyongyang\n\n{PARAGRAPH}\n".encode()
    path.write_bytes(data)
    doc = read_source(SourceFile.of(path))
    assert doc.id == "note.txt" and doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.text == f"Talks in Pyongyang\n\n{PARAGRAPH}"
    assert doc.metadata.title == "Talks in Pyongyang" and doc.metadata.genre == "other"
    assert read_source(path, tmp_path) == doc


def test_utf8_bom_and_cp1252(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffCafé “talks” in Hanoi.".encode("utf-8"))
    assert read_source(bom).original_text == "Café “talks” in Hanoi."
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("The “diplomatic” corps — naïve or not — met in Phnom Penh.".encode("cp1252"))
    assert read_source(legacy).text == "The “diplomatic” corps — naïve or not — met in Phnom Penh."


def test_markdown_offsets_point_into_the_markdown(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: Aid to Hanoi\nauthor: J. Doe\ndate: 1966-02-01\n---\n"
                    "# Aid to *Hanoi*\n\nThe **DPRK** sent pilots to [North Vietnam](https://x.org/nv)\n"
                    "in 1966, according to `archives`.\n\n```\nraw code\n```\n", encoding="utf-8")
    doc = read_source(path)
    assert doc.media_type == "text/markdown"
    assert doc.text == ("Aid to Hanoi\n\nThe DPRK sent pilots to North Vietnam in 1966, according to "
                        "archives.\n\nraw code")
    assert (doc.metadata.title, doc.metadata.author, doc.metadata.date) == ("Aid to Hanoi", "J. Doe", "1966-02-01")
    assert_offsets_point_into_original(doc)
    start = doc.text.index("North Vietnam")
    begin, end = doc.offset_map.span_to_original(start, start + len("North Vietnam"))
    assert doc.original_text[begin:end] == "North Vietnam"


def test_html_drops_scripts_and_navigation(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='en'><head><title>Aid to Cambodia</title><meta name='author' content='A. Writer'>"
        "<style>p {color: red}</style><script>alert('x')</script></head><body>"
        "<nav><a href='/'>Home</a></nav><h1>Aid to Cambodia</h1>"
        f"<p>{PARAGRAPH}</p><p>The <b>DPRK</b> sent   rice\nto Phnom Penh.</p>"
        "<ul><li>rice</li><li>tractors</li></ul></body></html>", encoding="utf-8")
    doc = read_source(path)
    assert doc.media_type == "text/html"
    assert doc.text == (f"Aid to Cambodia\n\n{PARAGRAPH}\n\nThe DPRK sent rice to Phnom Penh.\n\n"
                        "• rice\n• tractors")
    assert "alert" not in doc.original_text and "Home" not in doc.original_text
    assert (doc.metadata.title, doc.metadata.author) == ("Aid to Cambodia", "A. Writer")
    assert_offsets_point_into_original(doc)


def test_pdf_pages_are_joined_and_cleaned(tmp_path):
    cities = ["Pyongyang", "Hanoi", "Phnom Penh"]
    pages = [["Cold War Studies",
              f"The delegation arrived in {city} in the spring and held",
              "talks with the leadership about economic and technical",
              "cooperation between the two parties and their states.", str(n)]
             for n, city in enumerate(cities, 1)]
    path = tmp_path / "paper.pdf"
    path.write_bytes(make_pdf(pages))
    doc = read_source(path)
    assert doc.media_type == "application/pdf"
    assert doc.original_text.count("\f") == 2
    assert "Cold War Studies" not in doc.text and "\f" not in doc.text
    assert doc.text.count("in the spring and held talks with the leadership") == 3
    assert "Phnom Penh" in doc.text and not any(line.strip().isdigit() for line in doc.text.splitlines())
    assert_offsets_point_into_original(doc)


# --- bad inputs ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n \t", "empty"),
    ("binary.txt", b"\x00\x01\x02\x03binary\x00" * 20, "looks binary"),
    ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "cannot read this PDF"),
    ("garbage.pdf", b"this is not a pdf at all", "cannot read this PDF"),
])
def test_bad_files_raise_clear_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError, match=message) as raised:
        read_source(path)
    assert name in str(raised.value) and str(raised.value).startswith("[E100]")


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(SourceError, match="OCR"):
        read_source(path)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(PARAGRAPH)
    path.chmod(0)
    try:
        with pytest.raises(SourceError, match="permission denied"):
            read_source(path)
    finally:
        path.chmod(0o644)


def test_file_deleted_after_discovery(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text(PARAGRAPH)
    [source] = discover([tmp_path])
    path.unlink()
    with pytest.raises(SourceError, match="disappeared"):
        read_source(source)


def test_iter_sources_goes_on_past_bad_files(tmp_path):
    (tmp_path / "good.txt").write_text(PARAGRAPH)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    items = list(iter_sources([tmp_path, tmp_path / "missing"]))
    errors = [str(i) for i in items if isinstance(i, SourceError)]
    docs = [i for i in items if isinstance(i, SourceDocument)]
    assert [d.id for d in docs] == ["good.txt"]
    assert len(errors) == 3
    assert any("missing" in e for e in errors) and any("bad.pdf" in e for e in errors)
    assert all("\n" not in e for e in errors)
    with pytest.raises(NoSourcesError):
        list(iter_sources([tmp_path / "missing"]))


def test_a_large_text_file(tmp_path):
    line = "The embassy reported on the deliveries of fertiliser and the talks on trade in 1977.\n"
    path = tmp_path / "large.txt"
    path.write_text(line * 240_000)  # about 20 MB
    doc = read_source(path)
    assert len(doc.text) > 19_000_000
    assert doc.offset_map.to_original(len(doc.text) - 1) == len(doc.original_text) - 2


# --- sidecars ---------------------------------------------------------------------------------

def test_sidecars_json_and_toml(tmp_path):
    toml_source = tmp_path / "a.txt"
    toml_source.write_text(PARAGRAPH)
    (tmp_path / "a.txt.meta.toml").write_text(
        'title = "Talks"\nauthor = "E. Honecker"\ndate = 1977-12-13\ngenre = "archival"\nlanguage = "de"\n')
    meta = read_source(toml_source).metadata
    assert (meta.title, meta.author, meta.date, meta.genre, meta.language, meta.year) == (
        "Talks", "E. Honecker", "1977-12-13", "archival", "de", 1977)
    json_source = tmp_path / "b.txt"
    json_source.write_text(PARAGRAPH)
    (tmp_path / "b.txt.meta.json").write_text('{"genre": "news", "date": 1984}')
    meta = read_source(json_source).metadata
    assert (meta.genre, meta.date, meta.title) == ("news", "1984", PARAGRAPH)


@pytest.mark.parametrize("sidecar,message", [
    ('genre = "novel"', "genre 'novel' is not one of scholarly, archival, polemic, news, other"),
    ('autor = "X"', "unknown key"),
    ('date = "13 December 1977"', "not an ISO date"),
    ('title = [1, 2]', "must be a string"),
    ('title = "unterminated', "Cannot read the sidecar"),
])
def test_bad_sidecars(tmp_path, sidecar, message):
    source = tmp_path / "a.txt"
    source.write_text(PARAGRAPH)
    (tmp_path / "a.txt.meta.toml").write_text(sidecar)
    with pytest.raises(SourceError, match=message) as raised:
        read_source(source)
    assert "a.txt.meta.toml" in str(raised.value)


def test_bundled_sources_have_sidecars():
    result = read_sources([SOURCES])
    assert not result.errors
    by_id = {d.id: d.metadata for d in result.documents}
    paper = by_id["002_b36a5263e116de41.txt"]
    assert (paper.author, paper.year, paper.genre) == ("Charles K. Armstrong", 2009, "scholarly")
    essay = by_id["000_05acacfab38bcda3.txt"]
    assert (essay.genre, essay.author, essay.date) == ("polemic", None, None)
    assert essay.title.startswith("North Korea and the Khmer Rouge")


def test_control_characters_are_counted_as_unicode_category_cc_without_tab_newline_form_feed_return():
    import unicodedata

    from kg.ingest.decoding import _CONTROL

    for code in range(0x300):
        char = chr(code)
        expected = unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"
        assert bool(_CONTROL.fullmatch(char)) is expected, hex(code)
