"""`speechlint dupes PATHS`: a corpus report of passages shared between documents.

A view of the `duplicate` rule with `scope: across` of the configuration (the shipped
`duplicate.across` unless a pack overrides it): the same k, window, minimum length and set
phrases as `check`, with command-line overrides. Reading and fingerprinting run through the
pipeline's per-document stage and worker pool, like `check`.
"""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(
        name,
        help="找出多个文件之间的重复段落",
        description="报告多个文件共有的段落（含个别字不同的近似重复）：每段一次，列出全部位置和文件数，按 长度×文件数 排序。",
    )
    p.add_argument("paths", nargs="*", default=["."], help="文件或目录（默认当前目录）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--min-chars", type=int, metavar="N", help="段落至少多少字（不计标点空格；默认取规则设置，40）")
    p.add_argument(
        "--min-docs", type=int, default=2, metavar="N", help="至少出现在几个文件中（默认 2；1 同时报告文件内重复）"
    )
    p.add_argument("-k", type=int, metavar="N", help="按多少个连续字比对（默认取规则设置，13）")
    p.add_argument(
        "--window", type=int, metavar="N", help="winnowing 窗口（默认取规则设置，8：20 字以上的相同文字必被发现）"
    )
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="并行进程数（默认 CPU 核数）")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="文本报告列出的段数（默认 20）")
    p.add_argument(
        "--pair-max-docs", type=int, default=50, metavar="N", help="超过 N 个文件共有的段落不计入两两重合度（默认 50）"
    )
    p.add_argument("--set-phrases", action="append", default=[], metavar="文件", help="另加的规范提法列表（一行一条）")
    p.add_argument("--extension", action="append", default=[], metavar=".txt", help="遍历目录时检查的扩展名")
    p.add_argument("--config", metavar="文件", help="配置文件")
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    p.add_argument("-o", "--output", metavar="文件", help="把报告写入文件而不是标准输出")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from speechlint.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
    from speechlint.config import ConfigError, load_settings
    from speechlint.documents import Document, DocumentError
    from speechlint.dupes.corpus import Place
    from speechlint.dupes.pairs import pair_shares
    from speechlint.dupes.report import excerpt_of, render_json, render_text
    from speechlint.pipeline.discover import Problems, iter_targets
    from speechlint.pipeline.pool import available_cpus
    from speechlint.pipeline.run import read_summaries
    from speechlint.rulesets import RuleSet, RuleSource, build_rule, rule_sources
    from speechlint.ruletypes.duplicate import AcrossDuplicateRule

    for name in ("min_chars", "min_docs", "k", "window"):
        value = getattr(args, name)
        if value is not None and value < 1:
            print(f"speechlint: 错误：--{name.replace('_', '-')} 须为正整数", file=sys.stderr)
            return EXIT_ERROR
    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    if args.extension:
        settings.extensions = tuple(e if e.startswith(".") else f".{e}" for e in args.extension)
    candidates = [
        s for s in rule_sources(settings) if s.spec.get("type") == "duplicate" and s.spec.get("scope") == "across"
    ]
    if not candidates:
        raise ConfigError("没有 scope: across 的 duplicate 规则可用（配置里 extends: none 且未自带）")
    source = candidates[-1]  # a later rule overrides an earlier one, as in `check`
    spec = dict(source.spec)
    overrides = {"min_chars": args.min_chars, "k": args.k, "window": args.window}
    spec.update({key: value for key, value in overrides.items() if value is not None})
    extra: list[str] = []
    for file in args.set_phrases:
        try:
            extra.extend(Path(file).read_text(encoding="utf-8").splitlines())
        except OSError as exc:
            print(f"speechlint: 错误：无法读取规范提法列表 {file}：{exc.strerror}", file=sys.stderr)
            return EXIT_ERROR
    spec["set_phrases"] = [*spec.get("set_phrases", []), *(line for line in extra if line.strip())]
    rule = build_rule(RuleSource(spec, source.file, source.path, source.yaml_file, source.trusted), settings.options)
    assert isinstance(rule, AcrossDuplicateRule)
    problems = Problems()
    targets = [t for t in iter_targets(args.paths, settings, problems) if t.display != "-"]
    jobs = args.jobs or min(available_cpus(), 8)
    summaries, errors, skipped = read_summaries(targets, RuleSet([rule]), settings, jobs)
    errors[:0] = problems.errors
    skipped[:0] = problems.warnings
    for warning in skipped:
        print(f"speechlint: 警告：{warning}", file=sys.stderr)
    shared = rule.shared_passages(summaries.get(rule.meta.id, []), args.min_docs)
    pairs = pair_shares(shared.passages, [p.chars for p in shared.prints], args.pair_max_docs)
    by_display = {t.display: t.path for t in targets}
    texts: dict[int, str] = {}

    def excerpt(place: Place) -> str:
        if place.doc not in texts:
            display = shared.paths[place.doc]
            try:
                texts[place.doc] = Document.from_path(by_display[display], display, settings.encoding_fallback).text
            except DocumentError:
                texts[place.doc] = ""
        return excerpt_of(texts[place.doc], place.start, place.end)

    if args.format == "json":
        options = {
            "k": rule.k,
            "window": rule.window,
            "min_chars": rule.min_chars,
            "min_docs": args.min_docs,
            "pair_max_docs": args.pair_max_docs,
        }
        report = render_json(shared, shared.passages, pairs, excerpt, errors, **options)
    else:
        report = render_text(shared, shared.passages, pairs, excerpt, args.limit)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    for error in errors:
        print(f"speechlint: 错误：{error}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if shared.passages else EXIT_OK
