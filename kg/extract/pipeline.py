"""The spaCy pipeline the extraction reads: the user's model plus our entity components."""
from __future__ import annotations

import spacy
from spacy.language import Language

from ..errors import ModelError
from ..settings import Settings
from . import entities as _entities  # noqa: F401 - registers the kg_* factories with spaCy
from .linebreaks import LINE_BREAKS_NAME

RULER_NAME = "kg_gazetteer_ruler"
IDEOLOGY_RULER_NAME = "kg_ideology_ruler"
ENTITIES_NAME = "kg_entities"


def load_pipeline(settings: Settings) -> Language:
    """Loads ``settings.model`` (any installed spaCy pipeline) and adds the gazetteer rulers and
    the ``kg_entities`` component. Nothing the relation rules need (tagger, parser, attribute
    ruler, lemmatizer, ner) is disabled."""
    try:
        nlp = spacy.load(settings.model)
    except OSError as err:
        raise ModelError(f"spaCy pipeline {settings.model!r} is not installed or cannot be loaded.") from err
    return add_entity_components(nlp)


def add_entity_components(nlp: Language) -> Language:
    """Adds the components to a loaded pipeline (in place; returns it for chaining)."""
    if ENTITIES_NAME in nlp.pipe_names:
        return nlp
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS_NAME, before="parser")
    has_ner = "ner" in nlp.pipe_names
    # names before the statistical NER so gazetteer spans win and the NER labels around them;
    # ideologies after it, so a capitalised "Socialist" stays free to start a party's name
    placement = {"before": "ner"} if has_ner else {}
    nlp.add_pipe(RULER_NAME, name=RULER_NAME, config={"exclude_types": ["Ideology"]}, **placement)
    nlp.add_pipe(RULER_NAME, name=IDEOLOGY_RULER_NAME, config={"types": ["Ideology"]})
    nlp.add_pipe(ENTITIES_NAME, name=ENTITIES_NAME)
    return nlp


__all__ = ["load_pipeline", "add_entity_components"]
