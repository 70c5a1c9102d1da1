"""`speechlint check`: report findings; `--fix` applies safe fixes; `--diff` shows them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from speechlint.model import Severity

if TYPE_CHECKING:
    from speechlint.pipeline.discover import Target

FAIL_LEVELS = ("error", "warning", "info", "never")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    from speechlint.reporters import FORMATS

    p = subparsers.add_parser(name, help="检查文档（默认命令）", description="检查文件或目录；- 表示读标准输入。")
    p.add_argument("paths", nargs="*", default=["."], help="文件或目录（默认当前目录）")
    p.add_argument("--fix", action="store_true", help="应用安全修复并写回文件")
    p.add_argument("--unsafe-fixes", action="store_true", help="同时应用需要人工确认的修复")
    p.add_argument("--diff", action="store_true", help="以统一 diff 显示修复内容，不改文件")
    p.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text）")
    p.add_argument(
        "--select", action="append", default=[], metavar="规则", help="只启用这些规则 id、前缀或类别（可用逗号分隔）"
    )
    p.add_argument("--ignore", action="append", default=[], metavar="规则", help="停用这些规则 id、前缀或类别")
    p.add_argument("--config", metavar="文件", help="配置文件（默认向上查找 .speechlint.yaml 或 pyproject.toml）")
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件，只用内置默认规则")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, help="何种级别的问题使退出码为 1（默认 error）")
    p.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出（出错时仍为 2）")
    p.add_argument("--statistics", action="store_true", help="按规则统计问题数量")
    p.add_argument("--extension", action="append", default=[], metavar=".txt", help="遍历目录时检查的扩展名")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="是否彩色输出")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="并行进程数（默认：待查文本超过 4 MB 时用全部可用 CPU，否则 1）",
    )
    p.add_argument("--baseline", metavar="文件", help="忽略基线文件中已接受的问题，只报告新问题")
    p.add_argument("--write-baseline", metavar="文件", help="把当前全部问题写入基线文件后退出（退出码 0）")
    p.add_argument("-o", "--output", metavar="文件", help="把报告写入文件而不是标准输出")
    p.set_defaults(run=run)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves


def _jobs(requested: int | None, expected_bytes: int | None) -> int:
    """Processes to use: as asked, or every available CPU for a large run."""
    from speechlint.pipeline.pool import available_cpus

    if requested is not None:
        return max(1, requested) if requested > 0 else available_cpus()
    return available_cpus() if expected_bytes and expected_bytes >= PARALLEL_BYTES else 1


def _check_output(output: Path) -> None:
    """A report file that cannot be written is known before any work is done (or any file fixed)."""
    from speechlint.config import ConfigError

    folder = output.parent if str(output.parent) else None
    if folder is not None and not folder.is_dir():
        raise ConfigError(f"{output}: 报告所在的目录 {folder} 不存在")
    if output.is_dir():
        raise ConfigError(f"{output}: 是目录，不能写报告")


def _check_not_an_input(output: Path, targets: list[Target]) -> None:
    """The report must never overwrite a document being checked (or fixed)."""
    from speechlint.config import ConfigError

    if not output.exists():
        return
    real = os.path.realpath(output)
    for target in targets:
        if target.display != "-" and target.content is None and os.path.realpath(target.path) == real:
            raise ConfigError(f"{output}: 报告文件也是要检查的文档（{target.display}），会被覆盖；请换一个报告文件名")


def run(args: argparse.Namespace) -> int:
    from speechlint.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
    from speechlint.config import load_settings
    from speechlint.pipeline.discover import Problems, iter_targets
    from speechlint.pipeline.run import RunOptions, target_size
    from speechlint.pipeline.run import run as run_documents
    from speechlint.progress import Progress
    from speechlint.progress import wanted as progress_wanted
    from speechlint.reporters import RunSummary, get_streamer
    from speechlint.rulesets import build_ruleset

    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    if args.extension:
        settings.extensions = tuple(e if e.startswith(".") else f".{e}" for e in _split(args.extension))
    if args.output:
        _check_output(Path(args.output))
    problems = Problems()
    targets = list(iter_targets(args.paths, settings, problems))
    if args.output:
        _check_not_an_input(Path(args.output), targets)
    expected = None if any(t.display == "-" for t in targets) else sum(target_size(t) for t in targets)
    ruleset = build_ruleset(settings, _split(args.select), _split(args.ignore), expected_bytes=expected)
    baseline = None
    if args.baseline and not args.write_baseline:
        from speechlint.pipeline.baseline import read_baseline

        baseline = read_baseline(Path(args.baseline))
    options = RunOptions(
        fix=args.fix and not args.diff,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        excerpts=args.format in ("text", "html"),
        baseline=baseline,
    )
    jobs = _jobs(args.jobs, expected)
    bar = Progress(expected) if expected and progress_wanted(args.format) else None
    try:
        result = run_documents(
            targets, ruleset, settings, options, lambda: sys.stdin.buffer.read(), jobs, bar.advance if bar else None
        )
    finally:
        if bar is not None:
            bar.close()
    result.errors[:0] = problems.errors
    result.skipped[:0] = problems.warnings

    for error in result.errors:
        print(f"speechlint: 错误：{error}", file=sys.stderr)
    if args.diff:
        for warning in result.skipped:
            print(f"speechlint: 警告：{warning}", file=sys.stderr)
        sys.stdout.flush()
        sys.stdout.buffer.write(b"".join(result.diffs))
        if result.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if result.diffs else EXIT_OK

    if args.write_baseline:
        from speechlint.pipeline.baseline import write_baseline

        count = write_baseline(Path(args.write_baseline), result.located)
        print(f"已把 {count} 个问题写入基线 {args.write_baseline}。", file=sys.stderr)
        return EXIT_ERROR if result.errors else EXIT_OK

    summary = RunSummary(
        result.files, result.fixed_files, result.fixes_applied, result.skipped, result.baselined, result.errors
    )
    colour = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    report = get_streamer(args.format)(
        result.located,
        summary,
        colour=colour,
        statistics=args.statistics,
        rules={rule.meta.id: rule.meta for rule in ruleset.rules},
        errors=result.errors,
    )
    if result.fixed_stdin is not None:  # the fixed document is the output; the report goes to stderr
        sys.stdout.buffer.write(result.fixed_stdin)
        sys.stderr.writelines(report)
    elif args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.writelines(report)
        except OSError as exc:
            print(f"speechlint: 错误：{args.output}: 无法写入报告（{exc.strerror}）", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.writelines(report)

    if result.errors:
        return EXIT_ERROR
    fail_on = args.fail_on or settings.fail_on
    if args.exit_zero or fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(i.severity.rank >= threshold for i in result.located) else EXIT_OK
