"""`--format sarif`: SARIF 2.1.0, read by GitHub code scanning, GitLab and most CI dashboards.

What its consumers check, beyond the schema: every `artifactLocation.uri` is a valid, percent-
encoded URI reference (Microsoft's validator, SARIF1002), and every rule has a short and a full
description and help (GitHub, GH2012). Options besides those every reporter gets:

- `rules`: the run's rule metadata by id (`{r.meta.id: r.meta for r in ruleset.rules}`), for
  the rules' descriptions, help and examples; without it a rule is described by its first
  finding's message.
- `errors`: the inputs that failed (the run's errors, exit 2); they make the invocation
  unsuccessful and are listed as its notifications, with the skipped files as warnings.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import quote

from speechlint import __version__
from speechlint.model import Located, LocatedRelated, RuleMeta
from speechlint.reporters.base import RunSummary

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_FIELD = re.compile(r"\{[^{}]*\}")
_DRIVE = re.compile(r"^[A-Za-z]:/")
_HOME_LABELS = ("homepage", "home", "repository", "source", "documentation")
_MAX_EXAMPLES = 3
_EXAMPLE_CHARS = 80


def render(
    items: list[Located],
    summary: RunSummary,
    rules: dict[str, RuleMeta] | None = None,
    errors: list[str] | None = None,
    **_: Any,
) -> str:
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [_run(items, summary, rules or {}, errors or [])]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def artifact_uri(path: str) -> str:
    """A reported path as a URI reference: relative paths stay relative (GitHub resolves them
    against the repository), absolute ones become `file:` URIs. Every byte but RFC 3986's
    unreserved characters and `/` is percent-encoded as UTF-8, so `会议 #1%.txt` stays one
    path, never a path and a fragment, and `c:d.txt` is never read as a scheme."""
    if path.startswith("/"):
        return "file://" + quote(os.fsencode(path), safe="/")
    if _DRIVE.match(path):  # C:/… (Windows, outside the working directory)
        return "file:///" + path[:2] + quote(os.fsencode(path[2:]), safe="/")
    return quote(os.fsencode(path), safe="/")


def information_uri() -> str | None:
    """The project's home page from the installed package's metadata (`[project.urls]`), if any."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("speechlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    labelled = dict(_split_project_url(entry) for entry in urls)
    return next((labelled[label] for label in _HOME_LABELS if label in labelled), None)


def _split_project_url(entry: str) -> tuple[str, str]:
    label, _, url = entry.partition(",")
    return label.strip().lower(), url.strip()


# --- run, tool, invocation --------------------------------------------------------------
def _run(items: list[Located], summary: RunSummary, metas: dict[str, RuleMeta], errors: list[str]) -> dict[str, Any]:
    index: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results = []
    for item in items:
        rule_id = item.finding.rule_id
        if rule_id not in index:
            index[rule_id] = len(descriptors)
            descriptors.append(_descriptor(item, metas.get(rule_id)))
        results.append(_result(item, index[rule_id]))
    return {
        "tool": {"driver": _driver(descriptors)},
        "invocations": [_invocation(errors, summary.skipped)],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }


def _driver(descriptors: list[dict[str, Any]]) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "speechlint", "version": __version__, "semanticVersion": __version__}
    home = information_uri()
    if home:
        driver["informationUri"] = home
    driver["rules"] = descriptors
    return driver


def _invocation(errors: list[str], skipped: list[str]) -> dict[str, Any]:
    """Whether every input was read; failed inputs as errors, skipped files as warnings."""
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    notes = [_notification("error", e) for e in errors] + [_notification("warning", s) for s in skipped]
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _notification(level: str, text: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": text}}


# --- rules ------------------------------------------------------------------------------
def _descriptor(item: Located, meta: RuleMeta | None) -> dict[str, Any]:
    finding = item.finding
    short, full = _descriptions(item, meta)
    help_text = _help(item, meta, full)
    severity = (meta.severity if meta is not None else finding.severity).value
    return {
        "id": finding.rule_id,
        "name": _friendly_name(finding.rule_id),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"category": finding.category, "tags": [finding.category]},
    }


def _friendly_name(rule_id: str) -> str:
    """SARIF's `name`: one PascalCase identifier (`typo.de-xiande` → `TypoDeXiande`)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def _descriptions(item: Located, meta: RuleMeta | None) -> tuple[str, str]:
    """Short: the message with its fields elided; full: the rule's description, unwrapped."""
    if meta is None:
        return item.finding.message, item.finding.message
    short = _FIELD.sub("…", meta.message).strip() or item.finding.message
    return short, _unwrap(meta.description) or short


def _unwrap(text: str) -> str:
    """Join a description's hard-wrapped lines: Chinese lines run on, Latin ones take a space."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    joined = lines[:1]
    for line in lines[1:]:
        glue = "" if not (joined[-1][-1].isascii() or line[0].isascii()) else " "
        joined.append(glue + line)
    return "".join(joined)


def _help(item: Located, meta: RuleMeta | None, full: str) -> str:
    """What the rule finds, how it is fixed, and a few of its examples."""
    fixing = _fix_sentence(meta.applicability.value if meta and meta.applicability else _applicability(item))
    examples = "\n".join(f"- {example}" for example in _examples(meta))
    return "\n\n".join(part for part in (full, fixing, examples) if part)


def _applicability(item: Located) -> str | None:
    fix = item.finding.fix
    return fix.applicability.value if fix is not None else None


def _fix_sentence(applicability: str | None) -> str:
    if applicability == "safe":
        return "修复：speechlint check --fix 自动修复。"
    if applicability == "unsafe":
        return "修复：需人工确认，speechlint check --fix --unsafe-fixes 才会修改。"
    return "修复：须人工修改（不自动修复）。"


def _examples(meta: RuleMeta | None) -> list[str]:
    """A few of the rule's own examples, one line each."""
    if meta is None:
        return []
    shown = []
    for example in meta.examples:
        if example.bad is not None and example.fixed is not None:
            shown.append(f"错误：{_one_line(example.bad)} → 改为：{_one_line(example.fixed)}")
        elif example.bad is not None:
            shown.append(f"错误：{_one_line(example.bad)}")
    return shown[:_MAX_EXAMPLES]


def _one_line(text: str) -> str:
    """An example's lines joined by ⏎, cut to a readable length."""
    flat = " ⏎ ".join(line for line in text.strip().splitlines())
    return flat if len(flat) <= _EXAMPLE_CHARS else flat[: _EXAMPLE_CHARS - 1] + "…"


# --- results ----------------------------------------------------------------------------
def _result(item: Located, rule_index: int) -> dict[str, Any]:
    finding = item.finding
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity.value],
        "message": {"text": finding.message + (f"（{item.part}）" if item.part else "")},
        "locations": [_location(item.path, _region(item))],
    }
    if finding.fix is not None and not _is_word(item):
        result["fixes"] = [_fix(item)]
    if item.related:
        result["relatedLocations"] = [_related(index, r) for index, r in enumerate(item.related)]
    return result


def _location(path: str, region: dict[str, Any]) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}


def _region(item: Located) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": item.line,
        "startColumn": item.column,
        "endLine": item.end_line,
        "endColumn": item.end_column,
    }
    if not _is_word(item):
        region.update(charOffset=item.offset, charLength=item.end_offset - item.offset)
    region["snippet"] = {"text": item.text}
    return region


def _is_word(item: Located) -> bool:
    """A Word file is a zip: lines are its paragraphs, and character offsets or replacements in
    its bytes mean nothing (a consumer applying them would break the file)."""
    return item.path.lower().endswith(".docx")


def _fix(item: Located) -> dict[str, Any]:
    fix = item.finding.fix
    assert fix is not None
    what = f"改为“{fix.replacement}”" if fix.replacement else "删除"
    replacement = {
        "deletedRegion": {"charOffset": item.offset, "charLength": item.end_offset - item.offset},
        "insertedContent": {"text": fix.replacement},
    }
    return {
        "description": {"text": f"{what}（{fix.applicability.value} fix）"},
        "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(item.path)}, "replacements": [replacement]}],
    }


def _related(index: int, related: LocatedRelated) -> dict[str, Any]:
    region = {
        "startLine": related.line,
        "startColumn": related.column,
        "endLine": related.end_line,
        "endColumn": related.end_column,
    }
    location: dict[str, Any] = {"id": index, **_location(related.path, region)}
    if related.message:
        location["message"] = {"text": related.message}
    return location
