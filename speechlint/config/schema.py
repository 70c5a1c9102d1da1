"""JSON Schemas for rule packs and configuration, and validation with Chinese messages.

The pack schema is assembled from the common rule keys plus each rule type's own
`spec_schema`, so a new type brings its schema with it. `speechlint schema pack` prints
the assembled schema for editors.
"""

from __future__ import annotations

import copy
from typing import Any

from speechlint.model import CATEGORIES

RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$"

EXAMPLE_SCHEMA = {
    "type": "object",
    "properties": {
        "bad": {"type": "string", "minLength": 1},
        "good": {"type": "string", "minLength": 1},
        "fixed": {"type": "string"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["bad"]}, {"required": ["good"]}],
}

COMMON_RULE_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "pattern": RULE_ID_PATTERN},
    "type": {"type": "string"},
    "category": {"enum": list(CATEGORIES)},
    "severity": {"enum": ["error", "warning", "info"]},
    "message": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "source": {"type": "string"},
    "enabled": {"type": "boolean"},
    "yields_to": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "fix": {
        "anyOf": [
            {"enum": ["safe", "unsafe"]},
            {
                "type": "object",
                "properties": {"applicability": {"enum": ["safe", "unsafe"]}},
                "required": ["applicability"],
                "additionalProperties": False,
            },
        ]
    },
    "examples": {"type": "array", "items": EXAMPLE_SCHEMA},
}

PATTERNS_DEF = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}

RULE_SCHEMA = {
    "type": "object",
    "properties": COMMON_RULE_PROPERTIES,
    "required": ["id", "type", "category", "severity", "message"],
}

PACK_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "speechlint rule pack",
    "type": "object",
    "properties": {
        "version": {"const": 1},
        "pack": {"type": "string"},
        "description": {"type": "string"},
        "rules": {"type": "array", "items": RULE_SCHEMA},
    },
    "required": ["rules"],
    "additionalProperties": False,
    "$defs": {"patterns": PATTERNS_DEF},
}

SELECTOR_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}

CONFIG_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "speechlint configuration (.speechlint.yaml or [tool.speechlint])",
    "type": "object",
    "properties": {
        "extends": {"enum": ["default", "none"]},
        "select": SELECTOR_LIST,
        "ignore": SELECTOR_LIST,
        "extend-select": SELECTOR_LIST,
        "unsafe-fixes": SELECTOR_LIST,
        "severity": {"type": "object", "additionalProperties": {"enum": ["error", "warning", "info"]}},
        "packs": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "array", "items": RULE_SCHEMA},
        "exclude": {"type": "array", "items": {"type": "string"}},
        "extensions": {"type": "array", "items": {"type": "string", "pattern": r"^\.[^./\\]+$"}},
        "per-file-ignores": {"type": "object", "additionalProperties": SELECTOR_LIST},
        "fail-on": {"enum": ["error", "warning", "info", "never"]},
        "encoding": {"type": "string"},
        "options": {"type": "object", "additionalProperties": {"type": "object"}},
    },
    "additionalProperties": False,
    "$defs": {"patterns": PATTERNS_DEF},
}


def rule_schema_for(type_schema: dict[str, Any]) -> dict[str, Any]:
    """The full schema of one rule of a given type: common keys + the type's own, nothing else."""
    schema = copy.deepcopy(type_schema)
    properties = dict(COMMON_RULE_PROPERTIES)
    properties.update(schema.get("properties", {}))
    schema["properties"] = properties
    schema["required"] = sorted(set(RULE_SCHEMA["required"]) | set(schema.get("required", [])))
    schema["additionalProperties"] = False
    schema["type"] = "object"
    schema["$defs"] = {"patterns": PATTERNS_DEF}
    return schema


def full_pack_schema() -> dict[str, Any]:
    """The pack schema with one branch per known rule type, for editors."""
    from speechlint.ruletypes.base import known_type_names, rule_type

    schema: dict[str, Any] = copy.deepcopy(PACK_SCHEMA)
    branches = []
    for name in known_type_names():
        cls = rule_type(name)
        if cls is None:
            continue
        branch = rule_schema_for(cls.spec_schema)
        branch.pop("$defs")
        branch["properties"]["type"] = {"const": name}
        branches.append(branch)
    schema["properties"]["rules"]["items"] = {"oneOf": branches}
    return schema


def first_error(data: Any, schema: dict[str, Any]) -> tuple[list[str | int], str] | None:
    """The most relevant schema violation as (path into data, Chinese message), or None."""
    import jsonschema  # imported only when a user file is validated: it is slow to import

    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(data))
    if not errors:
        return None
    best = jsonschema.exceptions.best_match(errors)
    return list(best.absolute_path), _explain(best)


def _explain(error: Any) -> str:
    """Say what is wrong in Chinese, naming the key."""
    name = ".".join(str(p) for p in error.absolute_path) or "顶层"
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        return f"{name}: 缺少必填项 {', '.join(missing) or value}"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{name}: 未知的键 {', '.join(extra)}"
    if kind in ("enum", "const"):
        choices = value if kind == "enum" else [value]
        return f"{name}: 取值 {error.instance!r} 无效，可选 {', '.join(map(str, choices))}"
    if kind == "type":
        return f"{name}: 类型应为 {value}，实际是 {type(error.instance).__name__}"
    if kind == "pattern":
        return f"{name}: “{error.instance}” 格式不对（应匹配 {value}）"
    if kind == "minLength":
        return f"{name}: 不能为空"
    if kind in ("anyOf", "oneOf"):
        return f"{name}: 取值 {error.instance!r} 不符合任何一种允许的写法"
    return f"{name}: {error.message}"
