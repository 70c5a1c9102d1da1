"""The `boilerplate` rule type: line scoring (`signals`), blocks (`layout`), corpus learning
(`learned`) and the two engines (`rule`)."""

from speechlint.ruletypes.boilerplate.learned import learn
from speechlint.ruletypes.boilerplate.rule import BoilerplateRule, LearnedBoilerplateRule

__all__ = ["BoilerplateRule", "LearnedBoilerplateRule", "learn"]
