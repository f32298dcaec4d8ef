"""Small hand-built statements shared by the view, analytics and browser tests (no model)."""
from __future__ import annotations

from kg.model import Entity, Evidence, Qualifiers, Statement


def entity(key: str, label: str, type_: str = "State", aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(key=key, label=label, type=type_, aliases=aliases)


NORTH_KOREA = entity("north-korea", "North Korea", aliases=("DPRK", "Democratic People's Republic of Korea"))
ETHIOPIA = entity("ethiopia", "Ethiopia")
EAST_GERMANY = entity("east-germany", "East Germany", aliases=("GDR", "German Democratic Republic"))
SOVIET_UNION = entity("soviet-union", "Soviet Union", aliases=("USSR",))
KIM = entity("kim-il-sung", "Kim Il Sung", "Person")
NAM = entity("non-aligned-movement", "Non-Aligned Movement", "Organization", ("NAM",))
HOSTILE = entity("hostile", "<img src=x onerror=alert('label')>", "Organization")


def statement(subject: Entity, predicate: str, obj: Entity, *, year: int | None = None,
              polarity: str = "affirmed", hedged: bool = False, sentence: str = "A sentence.",
              source: str = "a.txt", start: int = 0, **qualifiers) -> Statement:
    return Statement(subject, predicate, obj,
                     Qualifiers(year=year, polarity=polarity, hedged=hedged, **qualifiers), 0.9,
                     Evidence(source, start, start + len(sentence), sentence, "test-rule"))


HOSTILE_SENTENCE = "</script><script>window.kgPwned = true</script> and <img src=x onerror=\"window.kgPwned=1\">"


def sample_statements() -> list[Statement]:
    return [
        statement(NORTH_KOREA, "providedAid", ETHIOPIA, year=1977, quantity="50", unit="advisers",
                  kind="military", sentence="In 1977 North Korea sent 50 military advisers to Ethiopia."),
        statement(EAST_GERMANY, "providedAid", ETHIOPIA, year=1978, hedged=True, start=100,
                  sentence="East Germany reportedly supplied Ethiopia with arms in 1978.",
                  attributed_to="US intelligence"),
        statement(NORTH_KOREA, "diplomaticRelations", EAST_GERMANY, year=1949, source="b.txt",
                  sentence="The DPRK and the GDR established relations in 1949."),
        statement(KIM, "leaderOf", NORTH_KOREA, start=200, sentence="Kim Il Sung led North Korea."),
        statement(NORTH_KOREA, "memberOf", NAM, year=1975, start=300,
                  sentence="North Korea joined the Non-Aligned Movement in 1975."),
        statement(SOVIET_UNION, "providedAid", NORTH_KOREA, year=1961, source="b.txt", start=50,
                  sentence="Moscow extended credits to Pyongyang in 1961."),
        statement(SOVIET_UNION, "providedAid", NORTH_KOREA, year=1965, source="b.txt", start=400,
                  sentence="Soviet aid resumed in 1965."),
        statement(NORTH_KOREA, "recognized", HOSTILE, year=1980, polarity="negated", start=500,
                  sentence=HOSTILE_SENTENCE),
    ]
