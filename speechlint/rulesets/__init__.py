"""Stage 2b: rule packs (YAML) compiled into the rule set of a run."""

from speechlint.rulesets.build import RuleSet, build_ruleset, is_selected, rule_sources
from speechlint.rulesets.packs import RuleSource, build_rule, default_pack_paths, default_rules_dir, read_pack

__all__ = [
    "RuleSet",
    "RuleSource",
    "build_rule",
    "build_ruleset",
    "default_pack_paths",
    "default_rules_dir",
    "is_selected",
    "read_pack",
    "rule_sources",
]
