"""Make text from sources safe to print in a terminal.

Source documents (and their file names) are written by people we do not know. Printed raw, an
ESC or a C1 CSI (U+009B) starts an ANSI sequence that can recolour, clear or retitle the user's
terminal, rewrite earlier lines, or (on some terminals) answer back into the shell; a bidi
override (U+202E) makes a sentence read backwards, so a table shows something other than what
the graph holds; a raw line break forges extra table rows. Here every such character becomes a
visible escape (``\\x1b``, ``\\u202e``): the sequence is inert, and the reader can still see that
the source contained it. Lone surrogates (from undecodable file names) are escaped too, because
printing them would raise ``UnicodeEncodeError`` instead of showing the line.
"""
from __future__ import annotations

import json
import re

LINE_BREAK_MODES = ("space", "escape")

# C0 controls, DEL, C1 controls (U+0080-U+009F: U+009B is CSI, U+009D OSC on 8-bit terminals)
_CONTROLS = "\x00-\x1f\x7f-\x9f"
# Unicode bidirectional formatting: ALM, LRM, RLM, embeddings/overrides, isolates
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# line and paragraph separators end a line in some terminals and most editors
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]")
_LAYOUT_WHITESPACE = re.compile("[\t\n\r\x0b\x0c]+")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# what json.dumps(ensure_ascii=False) leaves raw: it escapes C0 controls itself, not these
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}{_SEPARATORS}{_SURROGATES}]")


def _visible_escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: object, line_breaks: str = "space") -> str:
    """``text`` fit to print on one terminal line.

    ``line_breaks="space"`` turns each run of tabs and line breaks into one space (prose such as
    an evidence sentence reads on); ``"escape"`` shows them as ``\\n``, ``\\r``, ``\\t`` (a table
    cell then shows exactly what the value holds). Every other control character, bidi control,
    line/paragraph separator and lone surrogate becomes a visible ``\\xNN`` / ``\\uNNNN`` escape.
    ``None`` prints as the empty string.
    """
    if line_breaks not in LINE_BREAK_MODES:
        raise ValueError(f"line_breaks must be one of {LINE_BREAK_MODES}, not {line_breaks!r}")
    if text is None:
        return ""
    value = str(text)
    if line_breaks == "space":
        value = _LAYOUT_WHITESPACE.sub(" ", value)
        return _UNSAFE.sub(lambda m: _visible_escape(m.group()), value)
    return _UNSAFE.sub(lambda m: _NAMED_ESCAPES.get(m.group()) or _visible_escape(m.group()), value)


def is_terminal_safe(text: str) -> bool:
    """Whether ``text`` holds nothing that ``terminal_safe`` would escape (line breaks allowed)."""
    return not _UNSAFE.search(_LAYOUT_WHITESPACE.sub(" ", text))


def json_safe(value: object, indent: int | None = 2, sort_keys: bool = False) -> str:
    """JSON that keeps readable Unicode but also escapes what ``json`` leaves raw (DEL, C1, bidi
    controls, U+2028/U+2029, lone surrogates). Lossless: parsing it gives back exactly ``value``."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["LINE_BREAK_MODES", "is_terminal_safe", "json_safe", "terminal_safe"]
