"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else a detected legacy encoding."""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# punctuation a Western legacy file commonly holds beside letters
_COMMON_SYMBOLS = set("“”‘’–—…•€£°§©®™«»¡¿·\u00a0×÷±½¼¾")
_CONTROL_SHARE_LIMIT = 0.01
_SAMPLE = 1 << 16


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are letters or common typography (1.0 if none)."""
    unusual = [c for c in text if ord(c) > 127]
    if not unusual:
        return 1.0
    good = sum(1 for c in unusual if c in _COMMON_SYMBOLS or unicodedata.category(c).startswith("L"))
    return good / len(unusual)


# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) but for tab, line feed, form feed and return;
# one regex pass, not a category lookup per character (0.2 s of every rebuild at 100 sources)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    return controls > _CONTROL_SHARE_LIMIT * max(len(sample), 1)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding used. ``name`` (the file) goes into error messages."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise SourceError(f"{name}: starts with a {encoding} byte-order mark but is not "
                                  f"valid {encoding} ({error.reason} at byte {error.start}).",
                                  "Re-save the file as UTF-8.") from error
    if b"\x00" in data[:_SAMPLE]:
        raise SourceError(f"{name}: looks binary (it contains NUL bytes), not text.",
                          "Convert it to .txt, .md, .html or .pdf, or remove it from the sources.")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data, name)
    if _looks_binary(text):
        raise SourceError(f"{name}: looks binary (many control characters), not text.",
                          "Convert it to .txt, .md, .html or .pdf, or remove it from the sources.")
    return text, encoding


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guessed = (str(best), best.encoding) if best is not None else None
    # Detection cannot tell cp1252 from cp1250 and friends on short English texts ("naïve" comes
    # out as "naďve"); cp1252 is the legacy encoding of most English documents, so it wins
    # whenever its reading is at least as plausible as the detector's.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (guessed is None or _plausibility(western) >= _plausibility(guessed[0])):
        return western, "cp1252"
    if guessed is None:
        raise SourceError(f"{name}: looks binary; it is neither UTF-8 nor any known text encoding.",
                          "Re-save the file as UTF-8 text.")
    return guessed
