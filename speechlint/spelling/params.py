"""The detector's tunable numbers and lists, read from the rule pack (rules/spelling.yaml).

Why a separate module: the values are data, tuned by benchmarks/spelling_eval.py on training folds and
written into the YAML pack; the code keeps only their meaning. `Params.from_mapping` rejects unknown
keys so that a typo in a pack is an error, not a silently ignored setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# The features of one (position, candidate) pair, in the order of the weight vector. Their meaning is
# documented in speechlint/spelling/features.py.
FEATURES = (
    "gain",
    "gain2",
    "word_cand",
    "word_orig",
    "has_word_cand",
    "has_word_orig",
    "idiom_cand",
    "idiom_orig",
    "log_count_orig",
    "log_count_cand",
    "rare_orig",
    "word_repair",
    "span_repair",
    "gain_excess",
    "seen_orig",
    "seen_cand",
    "same_sound",
    "near_sound",
    "shape",
    "table",
    "both_unseen",
    "log_bigram_cand",
    "log_trigram_cand",
    "word_through",
    "has_word_through",
    "word_inner",
    "has_word_inner",
    "keep_side",
    "segment_gain",
    "quad_orig",
    "quad_cand",
    "bias",
)


@dataclass(frozen=True)
class Params:
    """Everything the detector needs besides the model; see rules/spelling.yaml for the values."""

    weights: dict[str, float]
    threshold: float
    idiom_threshold: float
    min_gain: float
    screen_gain: float
    rare_count: float
    gain_knee: float = 8.0
    merge_distance: int = 2
    protect_word: float = 99.0
    skip_chars: str = ""
    skip_pairs: tuple[str, ...] = ()
    surnames: str = ""
    name_titles: tuple[str, ...] = ()
    titles_before: tuple[str, ...] = ()
    name_dots: str = ""  # separators of transliterated names (赫苏斯·皮雷斯); empty: no such guard
    place_suffixes: tuple[str, ...] = ()
    org_suffixes: tuple[str, ...] = ()
    name_window: int = 2
    place_window: int = 3
    org_window: int = 4
    domain_words: tuple[str, ...] = ()
    numerals: str = ""
    quote_pairs: tuple[str, ...] = ("《》",)
    term_quotes: tuple[str, ...] = ()
    term_length: int = 8
    parallel: bool = True
    parallel_gap: int = 2  # the parallel guard looks this many characters away (2: 入脑入心; 3: 懂科技懂产业)
    echo_window: int = 12
    prescreen_weights: dict[str, float] = field(default_factory=dict)
    prescreen_cut: float = 0.0
    guard_waive: tuple[str, ...] = ()
    waive_word: float = 99.0
    # word substitutions (joint.py): both characters of a word typed wrongly (桂花 → 规划); no weights: off
    joint_weights: dict[str, float] = field(default_factory=dict)
    joint_threshold: float = 99.0
    joint_min_word: float = 8.0
    joint_same_sound: bool = True
    joint_unexplained: bool = False
    # both characters sound like their replacements in a reading in common use (USUAL), not a rare one
    joint_usual_reading: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Params:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown spelling parameter(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in ("prescreen_weights", "joint_weights"):
                value = {k: float(v) for k, v in value.items()}
            elif f.name == "weights":
                missing = set(FEATURES) - set(value)
                if missing:
                    raise ValueError(f"weights lack: {', '.join(sorted(missing))}")
                value = {k: float(v) for k, v in value.items()}
            elif isinstance(value, list):
                value = tuple(str(v) for v in value)
            elif isinstance(value, str):
                value = "".join(value.split())  # character sets may be wrapped over several lines
            values[f.name] = value
        return cls(**values)

    def weight_vector(self) -> list[float]:
        return [self.weights[name] for name in FEATURES]
