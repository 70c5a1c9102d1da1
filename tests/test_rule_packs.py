"""Every shipped rule documents and tests itself: schema-valid, with examples that pass."""

from __future__ import annotations

import pytest

from speechlint.config import Settings
from speechlint.rulesets import build_ruleset, default_pack_paths, read_pack
from speechlint.rulesets.examples import check_examples

PACKS = default_pack_paths()
SOURCES = [s for path in PACKS for s in read_pack(path, validate=True)]
# every rule by its id: an explicit pick also turns on rules that are off by default (`enabled: false`)
ALL_IDS = [s.spec["id"] for s in SOURCES]
RULESET = build_ruleset(Settings(extends_default=False), ALL_IDS, sources=SOURCES)


def test_default_packs_exist():
    names = {p.stem for p in PACKS}
    assert {"placeholder", "typo"} <= names


def test_rule_ids_are_unique():
    ids = [s.spec["id"] for s in SOURCES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.meta.id)
def test_rule_examples(rule):
    failures = check_examples(rule)
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.meta.id)
def test_rule_has_bad_and_good_examples(rule):
    assert any(e.bad for e in rule.meta.examples), "no bad example"
    assert any(e.good for e in rule.meta.examples), "no good example"
    if rule.meta.fixable:
        assert any(e.bad and e.fixed is not None for e in rule.meta.examples), "fixable rule without an expected fix"


def test_every_shipped_rule_compiles_eagerly():
    """Shipped rules may defer compiling their patterns; compiled now, none may fail."""
    from dataclasses import replace

    eager = [replace(s, trusted=False) for s in SOURCES]
    assert len(build_ruleset(Settings(extends_default=False), ALL_IDS, sources=eager).rules) == len(SOURCES)


def test_published_schema_accepts_every_shipped_pack():
    """`speechlint schema pack` is what editors validate against: it must accept our own packs."""
    import jsonschema
    import yaml

    from speechlint.config.schema import full_pack_schema

    validator = jsonschema.Draft202012Validator(full_pack_schema())
    for path in PACKS:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not errors, (path.name, [e.message[:200] for e in errors[:3]])
