"""`speechlint explain RULE`: a rule's documentation page — description, examples, fix."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(name, help="解释一条规则", description="显示规则的说明、示例与修复方式。")
    p.add_argument("rule_id", metavar="规则id")
    p.add_argument("--config", metavar="文件")
    p.add_argument("--isolated", action="store_true", help="忽略配置文件")
    p.set_defaults(run=run)


def first_line(text: str, limit: int = 60) -> str:
    """The description's first sentence, short enough for one line of `speechlint rules`."""
    if not text or not text.strip():
        return ""
    line = text.strip().splitlines()[0]
    end = line.find("。")
    if end != -1:
        line = line[: end + 1]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from speechlint.config import ConfigError, load_settings
    from speechlint.rulesets import build_ruleset
    from speechlint.rulesets.examples import fix_with

    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    ruleset = build_ruleset(settings, ["ALL", args.rule_id])  # naming a rule also finds one that is off by default
    rule = ruleset.by_id(args.rule_id)
    if rule is None:
        close = [r.meta.id for r in ruleset.rules if args.rule_id in r.meta.id]
        hint = f"（相近的有：{', '.join(close[:5])}）" if close else "（用 speechlint rules 查看全部规则）"
        raise ConfigError(f"没有规则 {args.rule_id}{hint}")
    meta = rule.meta
    fix = {"safe": "安全修复（--fix 自动应用）", "unsafe": "不安全修复（需 --unsafe-fixes）", None: "不提供自动修复"}[
        meta.applicability.value if meta.applicability else None
    ]
    print(f"{meta.id}  [{meta.category}]  级别：{meta.severity.label}（{meta.severity.value}）  类型：{meta.type}")
    print(f"修复：{fix}")
    print(f"消息：{meta.message}")
    if meta.description:
        print("\n" + meta.description.strip())
    if meta.source:
        print(f"\n来源：{meta.source}")
    if meta.examples:
        print("\n示例：")
        for example in meta.examples:
            if example.bad is not None:
                print(f"  ✗ {example.bad}")
                if meta.applicability is not None:
                    print(f"  → {example.fixed if example.fixed is not None else fix_with(rule, example.bad)}")
            if example.good is not None:
                print(f"  ✓ {example.good}")
    return 0
