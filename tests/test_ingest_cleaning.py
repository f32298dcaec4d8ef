"""Cleaning of extracted text: exact outputs on small damaged texts, the offset invariant and
idempotence as properties, a multi-megabyte input, and the bundled PDF extraction."""
from __future__ import annotations

import random
import re
import textwrap
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.ingest.cleaning import clean_text
from kg.ingest.mapped import MappedText, TextBuilder, apply_deletions, chain
from kg.model import OffsetMap

SOURCES = Path(__file__).resolve().parent.parent / "sources"
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"}

SENTENCES = [
    "The delegation arrived in Pyongyang in the spring and held talks with the leadership.",
    "Both sides described the talks as frank and friendly in their joint communiqué.",
    "According to the embassy report, the visitors also toured several factories.",
    "The agreement on trade covered the years from 1978 to 1980 and was renewed later.",
    "Aid deliveries included tractors, fertiliser and the services of agricultural experts.",
    "Western diplomats in the capital doubted that the plan could be carried out on time.",
    "The ministry of foreign affairs issued a statement on the anniversary of the treaty.",
    "Several ambassadors were recalled after the incident at the border crossing.",
    "In the following year the government opened consulates in three more countries.",
    "Observers noted that the new policy marked a break with the course of the sixties.",
]


def distinct_sentences(count: int) -> list[str]:
    """Sentences that differ in their words, so no wrapped line recurs as a header would."""
    actors = ["The embassy", "Pyongyang", "The ministry", "A trade mission", "The party",
              "Western observers", "The ambassador"]
    actions = ["reported on", "negotiated", "welcomed", "criticised", "postponed", "announced"]
    objects = ["the fertiliser deliveries", "a new consulate", "the friendship treaty",
               "the loan repayments", "technical assistance", "a cultural exchange"]
    return [f"{actors[k % 7]} {actions[k % 6]} {objects[(k // 6) % 6]} with unusual "
            f"{['speed', 'caution', 'fanfare', 'secrecy', 'delay'][k % 5]} that season."
            for k in range(count)]


def assert_maps_back(raw: str, cleaned: str, offset_map: OffsetMap) -> None:
    """Every cleaned character is the original character it maps to, or a sanctioned change."""
    for i, char in enumerate(cleaned):
        j = offset_map.to_original(i)
        assert 0 <= j < len(raw), (i, j)
        original = raw[j]
        if char == original:
            continue
        if char in " \n" and (original.isspace() or original in "\x85\u2028\u2029"):
            continue  # a line break or odd space deliberately turned into a space or newline
        if char in LIGATURES.get(original, ""):
            continue
        composed = unicodedata.normalize("NFC", raw[j:j + 8])
        assert composed.startswith(char), (i, j, char, original)


def wrap_pages(paragraphs: list[str], width: int, lines_per_page: int) -> list[list[str]]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width))
    return [lines[k:k + lines_per_page] for k in range(0, len(lines), lines_per_page)]


# --- exact outputs ----------------------------------------------------------------------

def test_paged_text_loses_running_header_page_numbers_and_footnote_markers():
    raw = (
        "Journal of Cold War Studies\n"
        "The delegation arrived in Pyongyang in the spring and\n"
        "held talks with the leadership about economic and diplo-\n"
        "matic cooperation between the two parties. 3 The talks\n"
        "were described as frank and friendly by both sides.\n"
        "12\f"
        "Journal of Cold War Studies\n"
        "According to the embassy report, the visitors also\n"
        "toured several factories and a collective farm in the\n"
        "north of the country.\n"
        "Aid and Trade\n"
        "The agreement on trade was signed at the end of the visit\n"
        "and covered the years from 1978 to 1980.\n"
        "13"
    )
    cleaned, offset_map = clean_text(raw)
    assert cleaned == (
        "The delegation arrived in Pyongyang in the spring and held talks with the leadership "
        "about economic and diplomatic cooperation between the two parties. The talks were "
        "described as frank and friendly by both sides. According to the embassy report, the "
        "visitors also toured several factories and a collective farm in the north of the "
        "country.\nAid and Trade\nThe agreement on trade was signed at the end of the visit and "
        "covered the years from 1978 to 1980."
    )
    assert_maps_back(raw, cleaned, offset_map)


def test_unpaged_running_header_recurring_with_page_numbers_is_removed():
    pages = wrap_pages(distinct_sentences(120), 70, 30)
    raw = "Relations of the Two Koreas\n\n" + "".join(
        "\n".join(page) + f"\n\n- {n} -\n\nwww.example.org/papers\n\n" for n, page in enumerate(pages, 1))
    cleaned, offset_map = clean_text(raw)
    assert "www.example.org" not in cleaned
    assert not re.search(r"^- \d+ -$", cleaned, re.M)
    assert cleaned.startswith("Relations of the Two Koreas\n\nThe embassy reported on")
    # every sentence comes back whole
    for sentence in distinct_sentences(120):
        assert sentence in cleaned, sentence
    assert_maps_back(raw, cleaned, offset_map)


def test_page_number_forms():
    body = "\n".join(textwrap.wrap(" ".join(SENTENCES), 60))
    for furniture in ("17", "Page 17", "page 17 of 40", "- 17 -", "17 | Juche and the World",
                      "Juche and the World | 17", "[17]"):
        raw = f"{body}\n{furniture}\n{body}"
        cleaned, _ = clean_text(raw)
        assert "17" not in cleaned, furniture


def test_table_rows_stay_apart_and_continuations_join():
    raw = (
        "Pyongyang opened relations with many new states during the\n"
        "decade, as the table below shows in some detail for the\n"
        "reader who wants it.\n"
        "TABLE 2: New diplomatic relations, 1971 – 1973\n"
        "1971 Yugoslavia, Syria, Malta\n"
        "1972 Cameroon, Rwanda, Chile, Uganda, Senegal, Pakistan,\n"
        "Madagascar, Zaire\n"
        "1973 Togo, Benin, Gambia\n"
        "The list shows a clear shift toward the non-aligned world,\n"
        "and toward Africa in particular.\n"
    )
    cleaned, offset_map = clean_text(raw)
    assert cleaned == (
        "Pyongyang opened relations with many new states during the decade, as the table below "
        "shows in some detail for the reader who wants it.\n"
        "TABLE 2: New diplomatic relations, 1971 – 1973\n"
        "1971 Yugoslavia, Syria, Malta\n"
        "1972 Cameroon, Rwanda, Chile, Uganda, Senegal, Pakistan, Madagascar, Zaire\n"
        "1973 Togo, Benin, Gambia\n"
        "The list shows a clear shift toward the non-aligned world, and toward Africa in particular."
    )
    assert_maps_back(raw, cleaned, offset_map)


def test_hyphenation_joins_split_words_and_keeps_compounds():
    raw = (
        "The anti-\nimperialist front of the so-\ncalled non-aligned states and the\n"
        "Sino-\nSoviet split shaped the inter-\nnational scene in those years; the com-\n"
        "munist states were not united, and the diplo-\nmatic corps knew it well enough\n"
        "to say so in every report on the international situation and\n"
        "on the imperialist camp.\n"
    )
    cleaned, offset_map = clean_text(raw)
    assert cleaned == (
        "The anti-imperialist front of the so-called non-aligned states and the Sino-Soviet "
        "split shaped the international scene in those years; the communist states were not "
        "united, and the diplomatic corps knew it well enough to say so in every report on the "
        "international situation and on the imperialist camp."
    )
    assert_maps_back(raw, cleaned, offset_map)


def test_headings_lists_and_paragraph_ends_keep_their_line_breaks():
    raw = (
        "Engaging the World\n"
        "The late 1960s and 1970s were a time of unprecedented outward\n"
        "expansion for the Democratic People’s Republic of Korea and\n"
        "its diplomacy in the Third World.\n"
        "Kim Il Sung set out two options for economic cooperation:\n"
        "1. expand the socialist market through developing countries;\n"
        "2. bilateral relations between single socialist countries and\n"
        "specific developing countries.\n"
        "• tractors\n"
        "• fertiliser\n"
    )
    cleaned, offset_map = clean_text(raw)
    assert cleaned == (
        "Engaging the World\n"
        "The late 1960s and 1970s were a time of unprecedented outward expansion for the "
        "Democratic People’s Republic of Korea and its diplomacy in the Third World.\n"
        "Kim Il Sung set out two options for economic cooperation:\n"
        "1. expand the socialist market through developing countries;\n"
        "2. bilateral relations between single socialist countries and specific developing "
        "countries.\n"
        "• tractors\n"
        "• fertiliser"
    )
    assert_maps_back(raw, cleaned, offset_map)


def test_blank_lines_inside_a_sentence_are_joined_and_paragraphs_kept():
    raw = "The core\n\nideological concept was juche.\n\n\n\nA new paragraph starts here.\n"
    cleaned, offset_map = clean_text(raw)
    assert cleaned == "The core ideological concept was juche.\n\nA new paragraph starts here."
    assert_maps_back(raw, cleaned, offset_map)


def test_footnote_markers_go_but_numbers_after_abbreviations_stay():
    raw = ("It reached the DPRK. 1 Sheltered within the bloc, it grew. See p. 12 For details "
           "read No. 4 Report. It rose “rapidly.” 23 Then it fell.")
    cleaned, _ = clean_text(raw)
    assert cleaned == ("It reached the DPRK. Sheltered within the bloc, it grew. See p. 12 For "
                       "details read No. 4 Report. It rose “rapidly.” Then it fell.")


def test_whitespace_and_characters_are_normalised():
    raw = "Kim\u00a0Il  Sung\tvisited\r\nthe of\u00adfice of the ﬁrst Cafe\u0301 du Monde.\u200b"
    cleaned, offset_map = clean_text(raw)
    assert cleaned == "Kim Il Sung visited the office of the first Café du Monde."
    assert_maps_back(raw, cleaned, offset_map)


def test_a_clean_essay_comes_out_unchanged():
    raw = (SOURCES / "000_05acacfab38bcda3.txt").read_text(encoding="utf-8")
    cleaned, offset_map = clean_text(raw)
    assert cleaned == raw.strip()
    assert offset_map.to_original(100) == 100


# --- properties ----------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("abcdeXYZ 0123456789.,;:-–“”*•\n\n\n\f\t\u00a0\r\u00adﬁ") + ["e\u0301"])
_TOKENS = st.sampled_from(SENTENCES + ["Page 3", "12", "- 4 -", "Running Title", "1975 Laos, Chad,",
                                       "anti-", "diplo-", "matic", "• item", "1. first", "\n", "\n\n",
                                       "\f", " 7 ", "The core", "and the", "TABLE 1: Aid"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=300).map("".join))
@example("0•\na")  # joining the lines once made a footer that a second cleaning removed
def test_offset_invariant_and_idempotence_on_arbitrary_text(raw):
    cleaned, offset_map = clean_text(raw)
    assert_maps_back(raw, cleaned, offset_map)
    assert clean_text(cleaned)[0] == cleaned


@settings(max_examples=200, deadline=None)
@given(st.lists(_TOKENS, max_size=80).map(lambda tokens: "\n".join(tokens)),
       st.integers(min_value=30, max_value=90))
def test_offset_invariant_and_idempotence_on_wrapped_documents(raw, width):
    rewrapped = "\n".join(textwrap.fill(block, width) if len(block) > width else block
                          for block in raw.split("\n"))
    for text in (raw, rewrapped):
        cleaned, offset_map = clean_text(text)
        assert_maps_back(text, cleaned, offset_map)
        assert clean_text(cleaned)[0] == cleaned


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 20)), max_size=8))
def test_composed_maps_point_at_the_same_characters(text, cuts):
    first = apply_deletions(text, [(a, a + n) for a, n in cuts])
    second = apply_deletions(first.text, [(a // 2, a // 2 + n) for a, n in cuts])
    both = chain(first, second)
    for i, char in enumerate(both.text):
        assert text[both.offset_map.to_original(i)] == char


def test_builder_expansion_maps_every_character():
    builder = TextBuilder("aﬁb")
    builder.copy(0, 1)
    builder.replace("fi", 1)
    builder.copy(2, 3)
    built = builder.build()
    assert built.text == "afib"
    assert [built.offset_map.to_original(i) for i in range(4)] == [0, 1, 1, 2]
    assert built.offset_map.span_to_original(1, 3) == (1, 2)
    assert isinstance(built, MappedText)


# --- scale and the bundled extraction ------------------------------------------------------

def test_cleaning_a_few_megabytes_of_wrapped_paged_text():
    sentences = distinct_sentences(1260) * 20
    random.Random(7).shuffle(sentences)
    paragraphs = [" ".join(sentences[k:k + 7]) for k in range(0, len(sentences), 7)]
    pages = wrap_pages(paragraphs, 72, 45)
    raw = "\f".join("A Running Header\n" + "\n".join(page) + f"\n{n}" for n, page in enumerate(pages, 1))
    assert len(raw) > 1_500_000
    cleaned, offset_map = clean_text(raw)
    assert "A Running Header" not in cleaned
    assert cleaned.count(distinct_sentences(3)[2]) == 20
    assert cleaned.startswith(paragraphs[0][:60])
    # breaks are kept only where a paragraph ended (when its last line was visibly short)
    lines = cleaned.split("\n")
    assert all(line.endswith("season.") for line in lines)
    assert len(paragraphs) // 20 < len(lines) <= len(paragraphs)
    for i in range(0, len(cleaned), 9973):
        assert raw[offset_map.to_original(i)] == cleaned[i] or cleaned[i] == " "


def test_the_bundled_pdf_extraction_is_repaired():
    raw = (SOURCES / "002_b36a5263e116de41.txt").read_text(encoding="utf-8")
    cleaned, offset_map = clean_text(raw)
    assert not re.search(r"^\d+$", cleaned, re.M)
    header_lines = lambda text: sum(1 for line in text.splitlines() if "wilsoncenter.org" in line)
    assert header_lines(raw) >= 5 and header_lines(cleaned) == 0
    assert 0.9 * len(raw) < len(cleaned) < len(raw)
    assert "diplomatic offensive in the Third World" in cleaned
    assert "\n1973 Togo, Benin" in cleaned  # table rows keep their own lines
    assert clean_text(cleaned)[0] == cleaned
    assert_maps_back(raw, cleaned, offset_map)
