"""`speechlint schema pack|config`: the JSON Schema, for editors' completion and validation."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(name, help="输出规则包或配置的 JSON Schema")
    p.add_argument("which", choices=("pack", "config"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from speechlint.config.schema import CONFIG_SCHEMA, full_pack_schema

    schema = full_pack_schema() if args.which == "pack" else CONFIG_SCHEMA
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0
