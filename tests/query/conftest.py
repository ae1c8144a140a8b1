"""The placement model of the small placement map, shared by the `place` tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.kb.load import load
from fomo.query.place import PlacementModel, model_for
from tests._placekb import PLACE_KB


@pytest.fixture
def model(make_kb: Callable[..., Path]) -> PlacementModel:
    return model_for(load(make_kb(PLACE_KB)).kb)
