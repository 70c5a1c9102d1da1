"""Context-aware spelling detector for official Chinese: one-character slips that no list holds.

`Detector(load_model(directory), Params.from_mapping(values), user_words).detect(text)` returns one
`Suspect` per suspected slip (规化 → 规划, 协掉 → 协调, 巩故 → 巩固). The package does not depend on the
rule engine; speechlint/ruletypes/spelling.py is the thin adapter. Importing it loads neither NumPy nor
the model: the names below are resolved on first use, and the model's arrays are memory-mapped on
the first query. How it decides and what it measured: docs/spelling.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from speechlint.spelling.detector import Detector, Suspect
    from speechlint.spelling.model import Model, load_model
    from speechlint.spelling.params import FEATURES, Params

__all__ = ["FEATURES", "Detector", "Model", "Params", "Suspect", "load_model"]

_WHERE = {
    "Detector": "speechlint.spelling.detector",
    "Suspect": "speechlint.spelling.detector",
    "Model": "speechlint.spelling.model",
    "load_model": "speechlint.spelling.model",
    "Params": "speechlint.spelling.params",
    "FEATURES": "speechlint.spelling.params",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
