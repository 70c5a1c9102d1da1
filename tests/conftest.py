"""Shared helpers: run the CLI in-process and read what it printed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from speechlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run `speechlint ARGS` in-process, in `cwd` (default: an empty temporary directory)."""

    def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> CliResult:
        monkeypatch.chdir(cwd or tmp_path)
        monkeypatch.setenv("SPEECHLINT_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
        if stdin is not None:
            import io
            import sys

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
