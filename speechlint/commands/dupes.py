"""`speechlint dupes PATHS`: a corpus report of passages shared between documents."""

from __future__ import annotations

import argparse

DEFAULT_K = 13
DEFAULT_MIN_CHARS = 40
DEFAULT_WINDOW = 8


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:
    p = subparsers.add_parser(
        name,
        help="找出多个文件之间的重复段落",
        description="报告多个文件共有的段落（含个别字不同的近似重复）：每段一次，列出全部位置和文件数，按 长度×文件数 排序。",
    )
    p.add_argument("paths", nargs="*", default=["."], help="文件或目录（默认当前目录）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument(
        "--min-chars", type=int, default=DEFAULT_MIN_CHARS, metavar="N", help="段落至少多少字（不计标点空格，默认 40）"
    )
    p.add_argument(
        "--min-docs", type=int, default=2, metavar="N", help="至少出现在几个文件中（默认 2；1 同时报告文件内重复）"
    )
    p.add_argument("-k", type=int, default=DEFAULT_K, metavar="N", help="按多少个连续字比对（默认 13）")
    p.add_argument(
        "--window",
        type=int,
        default=DEFAULT_WINDOW,
        metavar="N",
        help="winnowing 窗口（默认 8：20 字以上的相同文字必被发现）",
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
    from speechlint.config import load_settings
    from speechlint.discover import iter_targets
    from speechlint.document import Document, DocumentError
    from speechlint.dupes.corpus import Place, find_shared
    from speechlint.dupes.pairs import pair_shares
    from speechlint.dupes.phrases import read_phrase_file
    from speechlint.dupes.report import excerpt_of, render_json, render_text
    from speechlint.dupes.scan import scan
    from speechlint.packs import default_rules_dir

    for name in ("min_chars", "min_docs", "k", "window"):
        if getattr(args, name) < 1:
            print(f"speechlint: 错误：--{name.replace('_', '-')} 须为正整数", file=sys.stderr)
            return EXIT_ERROR
    settings = load_settings(Path(args.config) if args.config else None, args.isolated)
    if args.extension:
        settings.extensions = tuple(e if e.startswith(".") else f".{e}" for e in args.extension)
    targets = [t for t in iter_targets(args.paths, settings) if t.display != "-"]
    phrases: list[str] = []
    for file in [default_rules_dir() / "data" / "set_phrases.txt", *map(Path, args.set_phrases)]:
        try:
            phrases.extend(read_phrase_file(file))
        except OSError as exc:
            print(f"speechlint: 错误：无法读取规范提法列表 {file}：{exc.strerror}", file=sys.stderr)
            return EXIT_ERROR
    files = [(str(t.path), t.display) for t in targets]
    corpus = scan(files, args.k, args.window, phrases, args.jobs, settings.encoding_fallback)
    passages = find_shared(corpus.columns[0], args.k, args.window, args.min_chars, args.min_docs)
    pairs = pair_shares(passages, [p.chars for p in corpus.prints], args.pair_max_docs)
    by_display = dict((display, path) for path, display in files)
    texts: dict[int, str] = {}

    def excerpt(place: Place) -> str:
        if place.doc not in texts:
            display = corpus.paths[place.doc]
            try:
                texts[place.doc] = Document.from_path(
                    Path(by_display[display]), display, settings.encoding_fallback
                ).text
            except DocumentError:
                texts[place.doc] = ""
        return excerpt_of(texts[place.doc], place.start, place.end)

    if args.format == "json":
        options = {
            "k": args.k,
            "window": args.window,
            "min_chars": args.min_chars,
            "min_docs": args.min_docs,
            "pair_max_docs": args.pair_max_docs,
        }
        report = render_json(corpus, passages, pairs, excerpt, **options)
    else:
        report = render_text(corpus, passages, pairs, excerpt, args.limit)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    for error in corpus.errors:
        print(f"speechlint: 错误：{error}", file=sys.stderr)
    if corpus.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if passages else EXIT_OK
