"""The extraction cache: keys, hits, misses, invalidation, pruning; and the build lock."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import kg.cache as cache_module
from kg.builder import BuildLockedError, build, build_lock
from kg.cache import (
    ExtractionCache, decode_extractions, encode_extractions, pipeline_fingerprint, rules_digest, source_key,
)
from kg.model import Evidence, Extraction, Mention, OffsetMap, Qualifiers, SourceDocument, SourceMetadata
from kg.settings import Settings

PACKAGE = Path(cache_module.__file__).resolve().parent


def _source(text: str = "North Korea sent aid to Vietnam in 1967.", source_id: str = "a.txt") -> SourceDocument:
    return SourceDocument(id=source_id, path=Path(source_id), sha256="ab" * 32, text=text, original_text=text,
                          offset_map=OffsetMap((0, 5), (0, 7)), metadata=SourceMetadata(title="A", date="1970"))


def _extraction(year: int | None = 1967, quantity: str | None = "2220") -> Extraction:
    return Extraction(
        subject=Mention("North Korea", 0, 11, "State", "north-korea"), predicate="providedAid",
        object=Mention("Vietnam", 24, 31, "State", None),
        qualifiers=Qualifiers(year=year, time_text="in 1967", quantity=quantity, unit="person", hedged=True,
                              attributed_to="US intelligence", polarity="negated"),
        confidence=0.85, evidence=Evidence("a.txt", 0, 40, "North Korea sent aid to Vietnam in 1967.", "aid.sent"))


def test_extractions_survive_the_json_codec_exactly():
    values = [_extraction(), _extraction(year=None, quantity=None)]
    rows = json.loads(json.dumps(encode_extractions(values)))
    assert decode_extractions(rows) == values


def test_put_then_get_is_a_hit_and_other_content_misses(tmp_path):
    cache = ExtractionCache(tmp_path / "c", "fp-1")
    source = _source()
    assert cache.get(source) is None
    cache.put(source, [_extraction()])
    assert cache.get(source) == [_extraction()]
    # an empty list is a result too (a source with no facts is not parsed again)
    other = _source("Nothing happened.", "b.txt")
    cache.put(other, [])
    assert cache.get(other) == []
    assert cache.get(replace(source, text=source.text + " More.")) is None
    assert cache.get(replace(source, metadata=SourceMetadata(title="A", date="1971"))) is None
    assert cache.get(replace(source, offset_map=OffsetMap((0, 5), (0, 8)))) is None
    assert ExtractionCache(tmp_path / "c", "fp-2").get(source) is None


def test_forced_refresh_misses_but_rewrites(tmp_path):
    source = _source()
    ExtractionCache(tmp_path, "fp").put(source, [_extraction()])
    refresh = ExtractionCache(tmp_path, "fp", read=False)
    assert refresh.get(source) is None
    refresh.put(source, [])
    assert ExtractionCache(tmp_path, "fp").get(source) == []


def test_damaged_or_foreign_entries_are_misses(tmp_path):
    cache = ExtractionCache(tmp_path, "fp")
    source = _source()
    cache.put(source, [_extraction()])
    path = next(tmp_path.glob("*/*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(source) is None
    # an entry copied under another key is not trusted
    path.write_text(json.dumps({"key": "other", "extractions": []}), encoding="utf-8")
    assert cache.get(source) is None
    path.write_text(json.dumps({"key": cache.key(source), "extractions": [["bad"]]}), encoding="utf-8")
    assert cache.get(source) is None


def test_prune_keeps_only_what_this_build_used(tmp_path):
    first = ExtractionCache(tmp_path, "fp")
    a, b = _source(source_id="a.txt"), _source(source_id="b.txt")
    first.put(a, [])
    first.put(b, [])
    second = ExtractionCache(tmp_path, "fp")
    assert second.get(a) == []
    assert second.prune() == 1
    assert ExtractionCache(tmp_path, "fp").get(a) == [] and ExtractionCache(tmp_path, "fp").get(b) is None


def test_keys_depend_on_source_identity_and_fingerprint():
    source = _source()
    assert source_key(source, "x") == source_key(_source(), "x")
    assert source_key(source, "x") != source_key(source, "y")
    assert source_key(source, "x") != source_key(replace(source, id="b.txt"), "x")
    assert source_key(source, "x") != source_key(replace(source, sha256="cd" * 32), "x")


def _package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "kg"
    shutil.copytree(PACKAGE / "extract", copy / "extract", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE / "model.py", copy / "model.py")
    return copy


def test_fingerprint_changes_when_a_rule_file_changes(tmp_path):
    copy = _package_copy(tmp_path)
    settings = Settings(model="some_model")
    before = pipeline_fingerprint(settings, "3.8.0", "0.1.0", package_dir=copy)
    assert before == pipeline_fingerprint(settings, "3.8.0", "0.1.0", package_dir=copy)
    rule_file = sorted((copy / "extract" / "rules").glob("*.json"))[0]
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = pipeline_fingerprint(settings, "3.8.0", "0.1.0", package_dir=copy)
    assert after != before
    gazetteer = sorted((copy / "extract" / "data").glob("*.jsonl"))[0]
    gazetteer.write_bytes(gazetteer.read_bytes() + b"\n")
    assert pipeline_fingerprint(settings, "3.8.0", "0.1.0", package_dir=copy) != after


def test_fingerprint_follows_model_and_version_not_speed_settings():
    base = pipeline_fingerprint(Settings(model="m", n_process=1, batch_size=32), "1", "0.1.0")
    assert base == pipeline_fingerprint(Settings(model="m", n_process=4, batch_size=256, min_confidence=0.9), "1",
                                        "0.1.0")
    assert base != pipeline_fingerprint(Settings(model="n"), "1", "0.1.0")
    assert base != pipeline_fingerprint(Settings(model="m"), "2", "0.1.0")
    assert base != pipeline_fingerprint(Settings(model="m"), "1", "0.2.0")
    assert len(rules_digest()) == 64


def test_a_second_build_in_the_same_folder_fails_at_once(tmp_path):
    out = tmp_path / "out"
    with build_lock(out):
        with pytest.raises(BuildLockedError) as caught:
            build([tmp_path / "no-such-sources"], out)
        assert caught.value.code == "E810" and "Another build" in str(caught.value)
    # released: the next build gets past the lock (and fails on its missing sources instead)
    from kg.errors import NoSourcesError

    with pytest.raises(NoSourcesError):
        build([tmp_path / "no-such-sources"], out)
    assert (out / ".kg-build.lock").exists()


@pytest.mark.model
def test_rebuild_reads_the_cache_and_a_rule_change_invalidates_it(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "one.txt").write_text("In 1975 North Korea established diplomatic relations with Togo.\n",
                                     encoding="utf-8")
    (sources / "two.txt").write_text("The Soviet Union sent 500 advisers to Vietnam in 1966.\n", encoding="utf-8")
    out = tmp_path / "out"
    settings = Settings(n_process=1)
    first = build([sources], out, settings, html=False)
    assert (first.cache_hits, first.cache_misses) == (0, 2)
    ttl = (out / "graph.ttl").read_bytes()
    second = build([sources], out, settings, html=False)
    assert (second.cache_hits, second.cache_misses) == (0 + 2, 0) and second.up_to_date and not first.up_to_date
    assert (out / "graph.ttl").read_bytes() == ttl and second.statements == first.statements
    assert (second.triples, second.entities_by_type, second.statements_by_predicate) == (
        first.triples, first.entities_by_type, first.statements_by_predicate)
    # an output edited by hand is not "up to date": the build writes it again
    (out / "graph.ttl").write_bytes(ttl + b"# edited\n")
    repaired = build([sources], out, settings, html=False)
    assert not repaired.up_to_date and repaired.cache_hits == 2 and (out / "graph.ttl").read_bytes() == ttl
    # other settings that change the outputs are not up to date either
    assert not build([sources], out, Settings(n_process=1, min_confidence=0.9), html=False).up_to_date

    (sources / "two.txt").write_text("The Soviet Union sent 600 advisers to Vietnam in 1966.\n", encoding="utf-8")
    third = build([sources], out, settings, html=False)
    assert (third.cache_hits, third.cache_misses) == (1, 1)

    copy = _package_copy(tmp_path)
    monkeypatch.setattr(cache_module, "_PACKAGE_DIR", copy)
    rule_file = sorted((copy / "extract" / "rules").glob("*.json"))[0]
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + " ", encoding="utf-8")
    fourth = build([sources], out, settings, html=False)
    assert (fourth.cache_hits, fourth.cache_misses) == (0, 2)
    # the stale entries are gone: the cache holds this build's two sources only
    assert len(list((out / ".cache" / "extractions").glob("*/*.json"))) == 2
