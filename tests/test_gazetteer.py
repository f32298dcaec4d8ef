"""Gazetteer integrity and look-ups (no model needed)."""
from __future__ import annotations

import json

import pytest

from kg.errors import RuleError
from kg.extract.gazetteer import (
    GAZETTEER_FILES, DATA_DIR, Gazetteer, GazetteerEntry, Role, is_acronym, load_gazetteer, normalize_surface,
)
from kg.model import ENTITY_TYPES


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_keys_are_unique_lowercase_hyphenated(gaz):
    keys = [e.key for e in gaz.entries]
    assert len(keys) == len(set(keys))
    bad = [k for k in keys if k != k.lower() or " " in k or not k.replace("-", "").isalnum()]
    assert bad == []


def test_every_referenced_key_exists(gaz):
    missing = {(e.key, ref) for e in gaz.entries for ref in e.referenced_keys() if ref not in gaz}
    assert missing == set()


def test_types_and_capitals_are_consistent(gaz):
    for entry in gaz.entries:
        assert entry.type in ENTITY_TYPES
        assert entry.aliases and entry.label in entry.aliases
        if entry.capital:
            assert gaz.get(entry.capital).type == "Place", entry.key
        for role in entry.roles:
            assert entry.type == "Person"
            assert gaz.get(role.of).type in ("State", "Organization"), (entry.key, role.of)


def test_data_files_are_one_json_object_a_line():
    for name in GAZETTEER_FILES:
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            assert isinstance(json.loads(line), dict)


def test_iso_codes_come_from_iso_tables(gaz):
    import pycountry

    alpha3 = {c.alpha_3 for c in pycountry.countries}
    alpha4 = {c.alpha_4 for c in pycountry.historic_countries}
    for entry in gaz.entries:
        if entry.iso_code:
            assert entry.iso_code in alpha3 | alpha4, entry.key
    assert gaz.get("east-germany").iso_code == "DDDE"
    assert gaz.get("soviet-union").iso_code == "SUHH"
    assert gaz.get("north-korea").iso_code == "PRK"


@pytest.mark.parametrize("surface,key", [
    ("DPRK", "north-korea"), ("Democratic People’s Republic of Korea", "north-korea"),
    ("North Korea’s", "north-korea"), ("North Korean", "north-korea"),
    ("GDR", "east-germany"), ("German Democratic Republic", "east-germany"),
    ("FRG", "west-germany"), ("Federal Republic of Germany", "west-germany"),
    ("the Soviets", "soviet-union"), ("USSR", "soviet-union"),
    ("the Chinese", "china"), ("PRC", "china"), ("Peking", "beijing"),
    ("Republic of China", "taiwan"), ("ROC", "taiwan"),
    ("ROK", "south-korea"), ("DRV", "north-vietnam"), ("Republic of Vietnam", "south-vietnam"),
    ("Kampuchea", "democratic-kampuchea"), ("Cambodia", "cambodia"),
    ("Upper Volta", "upper-volta"), ("Dahomey", "dahomey"), ("Zaire", "zaire"),
    ("Iran", "iran"), ("Laos", "laos"), ("Tanzania", "tanzania"), ("Bolivia", "bolivia"),
    ("Eswatini", "eswatini"),  # from ISO 3166-1, not curated
    ("Comrade Kim Il Sung", "kim-il-sung"), ("Kim Il-sung", "kim-il-sung"),
    ("E. Honecker", "erich-honecker"), ("President Sukarno", "sukarno"),
    ("Mao Tse-tung", "mao-zedong"), ("Chou En-lai", "zhou-enlai"),
    ("Korean Workers’ Party", "korean-workers-party"), ("SED", "socialist-unity-party"),
    ("CMEA", "comecon"), ("Juche", "juche"), ("juche", "juche"), ("Bandung Conference", "bandung-conference"),
])
def test_lookup(gaz, surface, key):
    assert gaz.keys_for(surface)[0] == key


def test_ambiguous_bare_surnames_are_not_aliases(gaz):
    assert gaz.keys_for("Kim") == ()
    assert gaz.keys_for("Park") == ()


def test_acronyms_are_case_sensitive(gaz):
    assert gaz.keys_for("UN") == ("united-nations",)
    assert gaz.keys_for("un") == ()
    assert gaz.keys_for("who") == ()
    assert is_acronym("DPRK") and is_acronym("U.S.") and not is_acronym("Mali") and not is_acronym("NORTH KOREA")
    assert normalize_surface("the DPRK's") == "DPRK"


def test_lowercase_only_for_common_noun_aliases(gaz):
    assert gaz.allows_lowercase("socialism")
    assert not gaz.allows_lowercase("turkey")


def test_actor_for_capitals_and_states(gaz):
    assert gaz.actor_for("pyongyang") == "north-korea"
    assert gaz.actor_for("north-korea") == "north-korea"
    assert gaz.actor_for("moscow") == "soviet-union"
    assert gaz.actor_for("moscow", 1995) == "russia"
    assert gaz.actor_for("hanoi", 1965) == "north-vietnam"
    assert gaz.actor_for("hanoi", 1980) == "vietnam"
    assert gaz.actor_for("kim-il-sung") is None
    assert gaz.actor_for("geneva") is None


def test_choose_by_year(gaz):
    assert gaz.choose(["democratic-republic-of-the-congo", "zaire"], 1980) == "democratic-republic-of-the-congo"
    assert gaz.choose(["zaire", "democratic-republic-of-the-congo"], 1980) == "zaire"
    assert gaz.choose(["upper-volta", "burkina-faso"], 1990) == "burkina-faso"


def test_roles(gaz):
    assert "kim-il-sung" in gaz.holders_of("north-korea", "leader", 1970)
    assert "kim-il-sung" not in gaz.holders_of("north-korea", "leader", 1999)
    assert any(r.of == "east-germany" for r in gaz.roles_of("erich-honecker", 1980))
    assert gaz.people_roles()["pol-pot"]


def test_patterns_use_orth_for_acronyms_and_skip_decorated_names(gaz):
    patterns = gaz.patterns()
    dprk = [p for p in patterns if p["id"] == "north-korea" and isinstance(p["pattern"], list)]
    assert [{"ORTH": "DPRK"}] in [p["pattern"] for p in dprk]
    texts = {p["pattern"] for p in patterns if isinstance(p["pattern"], str)}
    assert "North Korea" in texts and "Democratic People’s Republic of Korea" in texts
    assert "Comrade Kim Il Sung" not in texts and "Kim Il Sung" in texts
    assert "Uncle Ho" in texts  # the bare rest "Ho" names nobody, so the decorated form stays
    assert "Kim" not in texts


def test_duplicate_keys_are_a_rule_error():
    entry = GazetteerEntry(key="x", label="X", type="State", aliases=("X",))
    with pytest.raises(RuleError):
        Gazetteer.from_entries([entry, entry])


def test_bad_line_is_a_rule_error(tmp_path):
    (tmp_path / "states.jsonl").write_text('{"key": "a", "label": "A", "type": "State"}\nnot json\n')
    with pytest.raises(RuleError) as info:
        load_gazetteer(tmp_path)
    assert "line 2" in str(info.value)


def test_role_held_in():
    role = Role("leader", "x", 1950, 1960)
    assert role.held_in(1955) and role.held_in(None) and not role.held_in(1961)
