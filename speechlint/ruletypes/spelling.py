"""`spelling` rules: one-character slips that no list holds (规化 → 规划), found by a model of correct prose.

A thin adapter: all the logic lives in speechlint/spelling/ (no dependency on the engine). Building
the rule only records where the model is; NumPy and the model are loaded when the first document is
checked. User words (`words`, `words_file` on the rule, or `options: {spelling: {words, words_file}}`
in the configuration) are never reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from speechlint.model import Applicability, Finding, RuleMeta
from speechlint.ruletypes.accel import Deferred
from speechlint.ruletypes.base import BuildContext, DocumentRule, LintInput, RuleSpecError, register

if TYPE_CHECKING:
    from speechlint.spelling.detector import Detector

_PARAM_KEYS = [
    "weights",
    "threshold",
    "idiom_threshold",
    "min_gain",
    "screen_gain",
    "rare_count",
    "gain_knee",
    "merge_distance",
    "protect_word",
    "skip_chars",
    "skip_pairs",
    "surnames",
    "name_titles",
    "titles_before",
    "name_dots",
    "place_suffixes",
    "org_suffixes",
    "name_window",
    "place_window",
    "org_window",
    "domain_words",
    "numerals",
    "quote_pairs",
    "term_quotes",
    "term_length",
    "parallel",
    "parallel_gap",
    "echo_window",
    "prescreen_weights",
    "prescreen_cut",
    "guard_waive",
    "waive_word",
    "joint_weights",
    "joint_threshold",
    "joint_min_word",
    "joint_same_sound",
    "joint_unexplained",
    "joint_usual_reading",
]
_LIST = {"type": "array", "items": {"type": "string"}}


@register("spelling")
class SpellingRule(DocumentRule):
    """Report the suspects of `speechlint.spelling.Detector` with the word around each as the match."""

    spec_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "model": {"type": "string"},
            "params": {"type": "object", "properties": {k: {} for k in _PARAM_KEYS}, "additionalProperties": False},
            "words": _LIST,
            "words_file": {"type": "string"},
        },
        "required": ["model", "params"],
    }

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.model_dir = ctx.resolve(spec["model"])
        if not (self.model_dir / "meta.json").is_file():  # a stat, not a load
            raise RuleSpecError(f"找不到拼写模型 {self.model_dir}（需要 meta.json 和 *.npy）", "model")
        self.user_words = list(spec.get("words", [])) + list(ctx.options.get("words", []))
        for source, name in ((spec, "words_file"), (ctx.options, "words_file")):
            if source.get(name):
                _, lines = ctx.read_data_lines(str(source[name]), name, "词表文件")
                self.user_words.extend(w.strip() for w in lines if w.strip() and not w.startswith("#"))
        try:
            from speechlint.spelling.params import Params  # no NumPy here

            self.params = Params.from_mapping(spec["params"])
        except (ValueError, TypeError) as exc:
            raise RuleSpecError(str(exc), "params") from None
        # The model (and NumPy) load when the first document is checked, never at start-up.
        self.detector: Deferred[Detector] = Deferred(self._load)

    def _load(self) -> Detector:
        from speechlint.spelling.detector import Detector
        from speechlint.spelling.model import load_model

        return Detector(load_model(self.model_dir), self.params, self.user_words)

    def check(self, doc: LintInput) -> Iterator[Finding]:
        # every document of the batch is scored in one pass (array work has a per-call cost)
        suspects = doc.batch_memo(
            ("spelling.suspects", id(self)), lambda docs: self.detector.get().detect_many([d.text for d in docs])
        )
        for s in suspects:
            # A statistical guess: always a suggestion, never a safe fix.
            yield self.finding(
                s.word_start,
                s.word_end,
                s.word_wrong,
                s.word_right,
                applicability=Applicability.UNSAFE,
                fields={"reason": s.reason},
            )
