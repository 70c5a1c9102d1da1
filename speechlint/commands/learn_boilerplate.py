"""`speechlint learn-boilerplate DIR -o pack.yaml`: turn a corpus's repeated site residue into a rule pack.

The corpus phase of `boilerplate.learned` finds lines repeated at the head or tail of many
documents; this command writes them out as a `boilerplate` rule with `known_lines` (each
with its document count), so that a person can review the list once and then use it on
single documents too, where there is no corpus to learn from.
"""

from __future__ import annotations

import argparse

HEADER = """\
# 由 speechlint learn-boilerplate 生成：{sources}，共 {docs} 篇文档。
# 下列每一行都在至少 {min_docs} 篇不同文档的开头或结尾逐字出现（docs 为出现的文档数）。
# 请逐行审阅：删去其实属于正文的行（标题、单位名称、落款），然后用
#   配置文件里的 packs: [{name}]   或   speechlint check --config {name} 文件…
# 启用；speechlint test-rules {name} 会运行下面的示例。
"""
UNSIGNED_NOTE = "  # 没有任何水印信号，只因重复入选：请重点核对是否属于正文"
SAMPLE_BODY = "同志们：今天召开全县工作会议，主要任务是部署今年的重点工作。"


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(
        name,
        help="从一批文档中学习网站水印行，生成规则包",
        description="读取目录中的文档，找出在多篇文档开头或结尾重复出现的水印、广告行，写成可审阅的规则包。",
    )
    p.add_argument("paths", nargs="+", metavar="目录或文件")
    p.add_argument("-o", "--output", metavar="规则包.yaml", help="写入此文件（默认输出到标准输出）")
    p.add_argument("--min-docs", type=int, metavar="N", help="至少在 N 篇文档中出现（默认取规则的设置，3）")
    p.add_argument("--id", default="boilerplate.site", help="生成规则的 id（默认 boilerplate.site）")
    p.add_argument("--all", action="store_true", help="也收录内置打分规则已能识别的行")
    p.add_argument("--config", metavar="文件", help="配置文件（文件类型、排除规则、options.boilerplate）")
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import re
    import sys
    from pathlib import Path

    from speechlint.config import load_settings
    from speechlint.config.schema import RULE_ID_PATTERN
    from speechlint.pipeline.discover import Problems, iter_targets
    from speechlint.pipeline.run import read_summaries
    from speechlint.rulesets import RuleSet, build_rule, default_rules_dir, read_pack
    from speechlint.ruletypes.boilerplate import LearnedBoilerplateRule, learn

    if not re.match(RULE_ID_PATTERN, args.id):
        print(f"speechlint: 用法错误：规则 id “{args.id}”不合法（小写字母、数字、-、_，用 . 分段）", file=sys.stderr)
        return 2
    if args.min_docs is not None and args.min_docs < 2:
        print("speechlint: 用法错误：--min-docs 至少为 2", file=sys.stderr)
        return 2
    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    source = next(
        s for s in read_pack(default_rules_dir() / "boilerplate.yaml") if s.spec["id"] == "boilerplate.learned"
    )
    rule = build_rule(source, settings.options)
    assert isinstance(rule, LearnedBoilerplateRule)
    min_docs = args.min_docs or rule.corpus.min_docs
    problems = Problems()
    targets = [t for t in iter_targets(args.paths, settings, problems) if t.display != "-"]
    kept, errors, skipped = read_summaries(targets, RuleSet([rule]), settings)
    errors[:0] = problems.errors
    for error in errors:
        print(f"speechlint: 错误：{error}", file=sys.stderr)
    for warning in [*problems.warnings, *skipped]:
        print(f"speechlint: 警告：{warning}", file=sys.stderr)
    if errors:  # learning from part of a corpus would miss lines: say so rather than write a pack
        return 2
    summaries = kept.get(rule.meta.id, [])
    learned = learn(summaries, min_docs, require_evidence=False)
    unsigned = set(learned) - set(learn(summaries, min_docs))
    if not args.all:  # keep what the built-in scoring misses in at least one document
        missed = {c.key for _, s in summaries for c in s.candidates if c.key in learned and not c.flagged}
        learned = {k: v for k, v in learned.items() if k in missed}
    if not learned:
        print(
            f"在 {len(summaries)} 篇文档中没有找到至少出现 {min_docs} 次、且内置规则尚未识别的水印行。", file=sys.stderr
        )
        return 0
    name = Path(args.output).name if args.output else "learned-boilerplate.yaml"
    text = render_pack(learned, unsigned, args.id, ", ".join(args.paths), len(summaries), min_docs, name)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}：{len(learned)} 行（来自 {len(summaries)} 篇文档）。", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def render_pack(
    learned: dict[str, int], unsigned: set[str], rule_id: str, sources: str, docs: int, min_docs: int, name: str
) -> str:
    """The pack as YAML text: only `rules:` at the top, so it is also a valid config file."""
    ordered = sorted(learned.items(), key=lambda kv: (-kv[1], kv[0]))
    first = ordered[0][0]
    lines = [
        HEADER.format(sources=sources, docs=docs, min_docs=min_docs, name=name),
        "rules:",
        f"  - id: {rule_id}",
        "    type: boilerplate",
        "    category: boilerplate",
        "    severity: warning",
        "    fix: safe  # the most a fix can be: head/tail blocks above safe_threshold; others need --unsafe-fixes",
        f"    message: {_quote('来源网站的固定内容（{signals}，{lines}），建议删除：{match}')}",
        f"    description: {_quote(f'从 {docs} 篇文档中学到的网站残留行（learn-boilerplate 生成，已人工审阅后启用）。')}",
        "    known_lines:",
        *[
            f"      - {{line: {_quote(line)}, docs: {count}}}" + (UNSIGNED_NOTE if line in unsigned else "")
            for line, count in ordered
        ],
        "    examples:",
        f"      - bad: {_quote(first + chr(10) + SAMPLE_BODY)}",
        f"        fixed: {_quote(SAMPLE_BODY)}",
        f"      - good: {_quote(SAMPLE_BODY)}",
        "",
    ]
    return "\n".join(lines)


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)
