"""The process cache: one placement model per loaded KnowledgeBase, built on first use."""

from __future__ import annotations

import weakref

from fomo.model import KnowledgeBase
from fomo.query.place.model import PlacementModel

_MODELS: weakref.WeakKeyDictionary[KnowledgeBase, PlacementModel] = weakref.WeakKeyDictionary()


def model_for(kb: KnowledgeBase) -> PlacementModel:
    """The placement model of a KnowledgeBase, built on first use and kept for the process."""
    model = _MODELS.get(kb)
    if model is None:
        model = PlacementModel(kb)
        _MODELS[kb] = model
    return model
