"""Source metadata: a sidecar file next to the source, over what the document itself says.

A sidecar is ``<file name>.meta.json`` or ``<file name>.meta.toml`` (``report.pdf.meta.toml``)
with any of the keys ``title``, ``author``, ``date`` (ISO: "1977", "1977-03", "1977-03-21"),
``genre`` (one of ``kg.model.GENRES``) and ``language``. Keys the sidecar leaves out come from
the document (HTML ``<title>``/meta tags, PDF document info, Markdown front matter) and then
from defaults: the first line as title when it is short, genre "other", language "en".
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from dataclasses import fields, replace
from pathlib import Path

from ..errors import SourceError
from ..model import GENRES, SourceMetadata

SIDECAR_KEYS = tuple(f.name for f in fields(SourceMetadata))
MAX_TITLE_LENGTH = 200
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def sidecar_paths(source: Path) -> tuple[Path, Path]:
    return (source.with_name(source.name + ".meta.json"), source.with_name(source.name + ".meta.toml"))


def read_sidecar(source: Path) -> dict[str, str]:
    """The sidecar's validated fields, or {} when there is none."""
    present = [p for p in sidecar_paths(source) if p.is_file()]
    if not present:
        return {}
    if len(present) > 1:
        raise SourceError(f"{source.name} has two sidecars ({present[0].name} and "
                          f"{present[1].name}).", "Keep one of them.")
    sidecar = present[0]
    try:
        raw = sidecar.read_bytes().decode("utf-8-sig")
        data = json.loads(raw) if sidecar.suffix == ".json" else tomllib.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"Cannot read the sidecar {sidecar}: {error}",
                          "Fix its syntax (JSON object or TOML table of strings).") from error
    if not isinstance(data, dict):
        raise SourceError(f"The sidecar {sidecar} must hold an object with keys "
                          f"{', '.join(SIDECAR_KEYS)}.")
    return validate_metadata(data, str(sidecar))


def validate_metadata(data: dict, where: str) -> dict[str, str]:
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        raise SourceError(f"{where}: unknown key(s) {', '.join(unknown)}.",
                          f"Allowed keys: {', '.join(SIDECAR_KEYS)}.")
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, (_dt.date, _dt.datetime)):
            value = value.isoformat()[:10]
        elif isinstance(value, int) and not isinstance(value, bool) and key == "date":
            value = str(value)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SourceError(f"{where}: {key} must be a string, not {type(value).__name__}.")
        value = value.strip()
        if not value:
            continue
        values[key] = value
    genre = values.get("genre")
    if genre is not None and genre not in GENRES:
        raise SourceError(f"{where}: genre {genre!r} is not one of {', '.join(GENRES)}.",
                          "Pick one of the allowed genres.")
    date = values.get("date")
    if date is not None and not _ISO_DATE.match(date):
        raise SourceError(f"{where}: date {date!r} is not an ISO date.",
                          "Write it as YYYY, YYYY-MM or YYYY-MM-DD.")
    language = values.get("language")
    if language is not None and not _LANGUAGE.match(language):
        raise SourceError(f"{where}: language {language!r} is not a language code.",
                          "Use a code such as en, fr or de.")
    return values


def title_from_text(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= MAX_TITLE_LENGTH else None
    return None


def normalise_date(value: str | None) -> str | None:
    """An ISO date prefix of a document-declared date ("2009-05-01T10:00", "D:20090501")."""
    if not value:
        return None
    match = re.search(r"(\d{4})-?(\d{2})?-?(\d{2})?", value)
    if not match or not 1000 <= int(match.group(1)) <= 2999:
        return None
    return "-".join(part for part in match.groups() if part)


def build_metadata(source: Path, text: str, embedded: dict[str, str] | None = None) -> SourceMetadata:
    """Sidecar values over ``embedded`` (what the document declares) over defaults."""
    merged: dict[str, str] = {}
    if embedded:
        cleaned = {k: v for k, v in embedded.items() if k in SIDECAR_KEYS and v}
        if "date" in cleaned:
            date = normalise_date(cleaned["date"])
            cleaned.pop("date")
            if date:
                cleaned["date"] = date
        if cleaned.get("genre") not in GENRES:
            cleaned.pop("genre", None)
        merged.update(cleaned)
    merged.update(read_sidecar(source))
    metadata = SourceMetadata(**merged)
    if metadata.title is None:
        metadata = replace(metadata, title=title_from_text(text))
    return metadata
