"""A small three-source fixture for the claims tests: a scholarly paper, an archival telegram and a
polemic that agree on some facts, deny, hedge, give other years and other numbers for others.

Statements are built by hand; ``write_build`` lays them out as a build folder (statements.jsonl
and build.json) the way ``kg build`` does.
"""
from __future__ import annotations

import json
from pathlib import Path

from kg.jsonl import dumps_statements
from kg.model import Entity, Evidence, Qualifiers, Statement

BASE = "https://example.org/kg/"

NORTH_KOREA = Entity("north-korea", "North Korea", "State", ("DPRK", "Pyongyang"), "PRK")
SOVIET_UNION = Entity("soviet-union", "Soviet Union", "State", ("USSR",), "SUHH")
CAMEROON = Entity("cameroon", "Cameroon", "State", (), "CMR")
ANGOLA = Entity("angola", "Angola", "State", (), "AGO")
EGYPT = Entity("egypt", "Egypt", "State", (), "EGY")
UN = Entity("united-nations", "United Nations", "Organization", ("UN",))
NAM = Entity("non-aligned-movement", "Non-Aligned Movement", "Organization", ("NAM",))
KIM = Entity("kim-il-sung", "Kim Il Sung", "Person", ("Kim Il-sung",))
MOSCOW = Entity("moscow", "Moscow", "Place")

PAPER, TELEGRAM, POLEMIC = "paper.txt", "archive/telegram 1975.txt", "polemic.txt"
GENRES = {PAPER: "scholarly", TELEGRAM: "archival", POLEMIC: "polemic"}


def statement(subject: Entity, predicate: str, obj: Entity, source: str, sentence: str, offset: int = 0,
              **qualifiers) -> Statement:
    return Statement(subject, predicate, obj, Qualifiers(**qualifiers), 0.9,
                     Evidence(source, offset, offset + len(sentence), sentence, f"test.{predicate}"))


def fixture_statements() -> list[Statement]:
    s = statement
    return [
        # relations with Cameroon: the paper says 1972, the telegram 1975 (a one-off fact: conflict)
        s(NORTH_KOREA, "diplomaticRelations", CAMEROON, PAPER, "In 1972 the DPRK established relations with Cameroon.",
          0, year=1972),
        s(CAMEROON, "diplomaticRelations", NORTH_KOREA, TELEGRAM, "Cameroon and Pyongyang set up relations in 1975.",
          0, year=1975),
        # relations with Egypt: all agree on 1963 (symmetric, stated in both orders)
        s(NORTH_KOREA, "diplomaticRelations", EGYPT, PAPER, "Relations with Egypt date from 1963.", 100, year=1963),
        s(EGYPT, "diplomaticRelations", NORTH_KOREA, TELEGRAM, "Egypt has recognised the DPRK since 1963.", 100,
          year=1963),
        # Soviet troops in 1975: two different head counts (quantity conflict); the 1980 figure is another year
        s(SOVIET_UNION, "sentPersonnel", NORTH_KOREA, PAPER, "In 1975 some 2,000 Soviet troops were stationed.", 200,
          year=1975, kind="troops", quantity="2000"),
        s(SOVIET_UNION, "sentPersonnel", NORTH_KOREA, TELEGRAM, "About 5000 Soviet soldiers are here this year.", 200,
          year=1975, kind="troops", quantity="5000"),
        s(SOVIET_UNION, "sentPersonnel", NORTH_KOREA, POLEMIC, "By 1980 3,000 Soviet troops occupied the North.", 0,
          year=1980, kind="troops", quantity="3000"),
        # arms to Angola: the paper asserts, the polemic denies
        s(NORTH_KOREA, "providedAid", ANGOLA, PAPER, "Pyongyang sent arms to Angola.", 300, kind="military"),
        s(NORTH_KOREA, "providedAid", ANGOLA, POLEMIC, "The DPRK never armed anyone in Angola.", 100,
          kind="military", polarity="negated"),
        # Kim in Moscow: visits in different years are different occasions, not a conflict
        s(KIM, "visited", MOSCOW, PAPER, "Kim Il Sung visited Moscow in 1956.", 400, year=1956),
        s(KIM, "visited", MOSCOW, TELEGRAM, "Kim Il Sung was in Moscow in 1961.", 400, year=1961),
        # UN membership: the paper says 1991, the telegram hedges it
        s(NORTH_KOREA, "memberOf", UN, PAPER, "North Korea joined the UN in 1991.", 500, year=1991),
        s(NORTH_KOREA, "memberOf", UN, TELEGRAM, "The DPRK reportedly joined the UN in 1991.", 500, year=1991,
          hedged=True),
        # Kim's tenure: overlapping, different periods
        s(KIM, "leaderOf", NORTH_KOREA, PAPER, "Kim Il Sung led North Korea from 1948 to 1994.", 600, year=1948,
          end_year=1994),
        s(KIM, "leaderOf", NORTH_KOREA, POLEMIC, "The Great Leader ruled from 1945 until 1994.", 200, year=1945,
          end_year=1994),
        # NAM: the telegram alone says North Korea was turned down in 1975
        s(NORTH_KOREA, "memberOf", NAM, TELEGRAM, "The DPRK request to join NAM was turned down.", 700, year=1975,
          polarity="negated"),
        # a named agreement signed in different years, and another agreement without a name
        s(NORTH_KOREA, "signedAgreement", SOVIET_UNION, PAPER, "The Treaty of Friendship was signed in 1961.", 800,
          year=1961, kind="treaty", kind_text="Treaty of Friendship"),
        s(SOVIET_UNION, "signedAgreement", NORTH_KOREA, POLEMIC, "In 1962 the USSR imposed the treaty of friendship.",
          300, year=1962, kind="treaty", kind_text="the treaty of  friendship"),
        s(NORTH_KOREA, "signedAgreement", SOVIET_UNION, TELEGRAM, "A trade agreement was signed in 1970.", 900,
          year=1970, kind="trade"),
    ]


def write_build(folder: Path, statements: list[Statement] | None = None, genres: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    genres = GENRES if genres is None else genres
    (folder / "statements.jsonl").write_text(
        dumps_statements(fixture_statements() if statements is None else statements, BASE), encoding="utf-8")
    manifest = {"settings": {"base_iri": BASE},
                "sources": [{"id": sid, "sha256": "0" * 64, "genre": genre} for sid, genre in sorted(genres.items())]}
    (folder / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
