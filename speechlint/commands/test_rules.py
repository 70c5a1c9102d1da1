"""`speechlint test-rules PACK…`: run the examples every rule carries."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(
        name,
        help="运行规则包自带的示例",
        description="校验规则包，并运行每条规则的正例、反例与期望修复；不给文件则测试内置规则包。",
    )
    p.add_argument("packs", nargs="*", metavar="规则包.yaml")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from speechlint.config import Settings
    from speechlint.rulesets import build_ruleset, default_pack_paths, read_pack
    from speechlint.rulesets.examples import check_examples

    paths = [Path(p) for p in args.packs] or default_pack_paths()
    sources = [s for path in paths for s in read_pack(path, validate=True)]
    ruleset = build_ruleset(Settings(extends_default=False), ["ALL"], sources=sources)
    failures = []
    examples = 0
    for rule in ruleset.rules:
        examples += len(rule.meta.examples)
        failures.extend(check_examples(rule))
    for failure in failures:
        print(f"失败  {failure}")
    print(
        f"{len(ruleset.rules)} 条规则，{examples} 个示例：{'全部通过' if not failures else f'{len(failures)} 处失败'}。"
    )
    return 1 if failures else 0
