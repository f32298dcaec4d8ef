"""Builds ``states.jsonl``: the hand-curated states merged over ISO 3166-1 and ISO 3166-3.

Run once after editing ``_states_curated.jsonl`` (``python -m kg.extract.data.build_states``);
the output is committed so that a build never depends on the installed pycountry version.
Curated entries win: they carry the common English name, demonyms, capitals and historical
succession that ISO tables do not have; pycountry contributes the long tail of current states
and its official names as extra aliases.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parent
CURATED = DATA_DIR / "_states_curated.jsonl"
OUTPUT = DATA_DIR / "states.jsonl"


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _common_name(country) -> str:
    """ISO writes "Korea, Republic of"; texts write the part before the comma or the common name."""
    common = getattr(country, "common_name", None)
    if common:
        return common
    name = re.sub(r"\s*\(.*?\)", "", country.name)
    return name.split(",")[0].strip()


def _iso_names(country) -> list[str]:
    names = [country.name, _common_name(country)]
    official = getattr(country, "official_name", None)
    if official:
        names.append(official)
    # ISO's inverted forms ("Korea, Republic of") are never written in running text
    return [n for n in names if "," not in n and "(" not in n]


def build() -> list[dict]:
    curated = [json.loads(line) for line in CURATED.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_iso = {entry["iso_code"]: entry for entry in curated if entry.get("iso_code")}
    entries = {entry["key"]: dict(entry) for entry in curated}
    # an ISO name a curated entry already uses belongs to it ("Federal Republic of Germany" is
    # West Germany in the texts this reads, not ISO's DEU)
    claimed = {alias.lower(): entry["key"] for entry in curated for alias in entry["aliases"]}

    def unclaimed(names: list[str], key: str | None) -> list[str]:
        return [n for n in names if claimed.get(n.lower(), key) == key]
    for country in pycountry.countries:
        names = _iso_names(country)
        entry = by_iso.get(country.alpha_3)
        if entry is None:
            key = slug(_common_name(country))
            if key in entries:
                continue
            entry = {"key": key, "label": _common_name(country), "iso_code": country.alpha_3, "aliases": []}
            entries[key] = entry
        entry = entries[entry["key"]]
        entry["aliases"] = list(dict.fromkeys([*entry["aliases"], *unclaimed(names, entry["key"])]))
    for country in pycountry.historic_countries:
        entry = by_iso.get(country.alpha_4)
        if entry is not None:
            # only the full historic name: its short form ("Yemen") is the current state's
            names = unclaimed([country.name] if "," not in country.name else [], entry["key"])
            entries[entry["key"]]["aliases"] = list(dict.fromkeys([*entries[entry["key"]]["aliases"], *names]))
    out = []
    for key in sorted(entries):
        entry = entries[key]
        entry["type"] = "State"
        out.append(entry)
    return out


def main() -> None:
    lines = [json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in build()]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} states to {OUTPUT}")


if __name__ == "__main__":
    main()
