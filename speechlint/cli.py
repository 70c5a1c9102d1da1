"""The `speechlint` command: parses arguments and hands over to one command module.

Each subcommand lives in `speechlint/commands/<name>.py` with `add_parser` and `run`, and
imports what it needs inside `run`, so that start-up stays fast. User mistakes (bad config,
missing path, unreadable file) end as one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from speechlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# subcommand name → module in speechlint.commands
COMMANDS = {
    "check": "check",
    "rules": "rules",
    "explain": "explain",
    "test-rules": "test_rules",
    "schema": "schema",
    "learn-boilerplate": "learn_boilerplate",
    "dupes": "dupes",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but its usage errors end with exit status 2 and a one-line Chinese hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"speechlint: 用法错误：{message}\n")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


class _Formatter(argparse.HelpFormatter):
    """argparse makes a formatter for every `add_argument`; without a width it imports shutil
    (~2 ms of every run's start-up) to ask for the terminal's. This one asks `os` directly."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, _help_width() if width is None else width)


def _help_width() -> int:
    """The width argparse would use: COLUMNS, else the terminal's, else 80; minus 2."""
    columns = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns if columns > 0 else 80) - 2  # a terminal may say 0 columns


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="speechlint",
        description="中文讲话稿、报告、公文的内容检查：占位符、水印广告、错别字、规范提法、前后不一致、重复段落。",
    )
    parser.add_argument("--version", action="version", version=f"speechlint {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(f"speechlint.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"speechlint.commands.{module_name}":
                continue  # a command still being written is simply absent
            raise
        module.add_parser(subparsers, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    from speechlint.config.yamlsource import ConfigError
    from speechlint.documents import DocumentError
    from speechlint.pipeline.discover import PathError

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")  # `speechlint docs/` means `speechlint check docs/`
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return args.run(args)
    except (ConfigError, PathError, DocumentError) as exc:
        print(f"speechlint: 错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line for the user, the traceback with SPEECHLINT_DEBUG=1
        import os

        if os.environ.get("SPEECHLINT_DEBUG"):
            raise
        print(
            f"speechlint: 内部错误：{type(exc).__name__}: {exc}（设 SPEECHLINT_DEBUG=1 可看详情，请报告此问题）",
            file=sys.stderr,
        )
        return EXIT_ERROR


def entry() -> None:
    """The console script: run, flush, and leave without tearing the interpreter down.

    Freeing every object of a run at exit (compiled rules, automata, findings) took 15–20 ms of
    a one-file check; nothing is left to do by then (reports are flushed here, files written
    and closed, worker processes joined), so the process ends at once."""
    import os

    # NumPy (imported by the duplicate rules) would start a thread per core for linear algebra
    # it never does here: ~50 ms of a run's CPU on an unpinned machine. A user's setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from speechlint.dupes.memory import allow_tuning

    allow_tuning()  # the process is speechlint's: its heap may be kept for reuse between batches
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`speechlint … | head`): not an error
        pass
    except OSError:
        code = code or EXIT_ERROR
    os._exit(code)
