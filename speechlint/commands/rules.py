"""`speechlint rules`: every rule of the run, one line each (or JSON)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(
        name, help="列出全部规则", description="列出当前配置下的全部规则：id、类别、级别、能否修复、说明。"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--config", metavar="文件")
    p.add_argument("--isolated", action="store_true", help="忽略配置文件")
    p.add_argument("--all", action="store_true", help="也列出默认关闭的规则")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from speechlint.commands.explain import first_line
    from speechlint.config import load_settings
    from speechlint.rulesets import build_ruleset, is_selected, rule_sources

    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    sources = rule_sources(settings)
    specs = {  # a later rule replaces an earlier one; one without an id is refused by build_ruleset below
        source.spec["id"]: source.spec
        for source in sources
        if isinstance(source.spec, dict) and isinstance(source.spec.get("id"), str)
    }
    enabled = {rule_id for rule_id, spec in specs.items() if is_selected(spec, settings, [], [])}
    # Every rule by its id: `ALL` alone leaves out the rules that are off by default.
    every = build_ruleset(settings, list(specs), sources=sources)
    rows: list[dict[str, Any]] = [
        {
            "id": r.meta.id,
            "type": r.meta.type,
            "category": r.meta.category,
            "severity": r.meta.severity.value,
            "fixable": r.meta.applicability.value if r.meta.applicability else None,
            "enabled": r.meta.id in enabled,
            "summary": first_line(r.meta.description) or r.meta.message,
        }
        for r in sorted(every.rules, key=lambda r: r.meta.id)
        if args.all or r.meta.id in enabled
    ]
    off = sorted(r.meta.id for r in every.rules if r.meta.id not in enabled)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max((len(str(r["id"])) for r in rows), default=10)
    for r in rows:
        fix = {"safe": "可修复", "unsafe": "可修复*", None: "—"}[r["fixable"]]
        state = "" if r["enabled"] else "（默认关闭）"
        print(f"{r['id']:<{width}}  {r['category']:<11} {r['severity']:<7} {fix:<5} {state}{r['summary']}")
    print(f"\n共 {len(rows)} 条规则。“可修复*”表示修复需加 --unsafe-fixes。用 speechlint explain <规则id> 查看详情。")
    if off and not args.all:
        print(f"另有 {len(off)} 条默认关闭的规则（{'、'.join(off)}）：用 --all 列出，用 --select 规则id 启用。")
    return 0
