#!/usr/bin/env python3
"""Check SARIF reports with Microsoft's SARIF validator, as GitHub code scanning would judge them.

    python tools/validate_sarif.py speechlint.sarif ...   # validate these reports
    python tools/validate_sarif.py                         # a report of fixtures/sample.txt copied under
                                                           # awkward names (Chinese, spaces, #, %)

Runs `npx @microsoft/sarif-multitool validate` with its SARIF rules and its GitHub rules (GH…), and
prints every error, warning and note it reports. The multitool exits 0 whatever it finds, so this
script reads its output log: exit 1 when it reports an error (or a warning with --strict), 0 when
not, and 0 with a message when npx is not installed (the check is skipped, not failed). The first
run downloads the multitool (about 100 MB) from the npm registry.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MULTITOOL = "@microsoft/sarif-multitool@5.7.0"
SAMPLE_NAMES = ("讲话稿.txt", "会议 纪要 #1 100%.txt", "子目录/a b.md")
TIMEOUT_SECONDS = 900


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path, help="SARIF files (default: a report of the sample)")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    args = parser.parse_args(argv)
    npx = shutil.which("npx")
    if npx is None:
        print("validate_sarif: npx not found (install Node.js and npm): skipped")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        reports = args.reports or [sample_report(Path(scratch))]
        worst = max(validate(npx, report, Path(scratch)) for report in reports)
    return 1 if worst >= (1 if args.strict else 2) else 0


def sample_report(scratch: Path) -> Path:
    """`speechlint check --format sarif` on the sample, copied under names that need percent-encoding."""
    docs = scratch / "docs"
    for name in SAMPLE_NAMES:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "fixtures" / "sample.txt", docs / name)
    report = scratch / "sample.sarif"
    command = [sys.executable, "-m", "speechlint", "check", "--isolated", "--format", "sarif", "-o", str(report), "."]
    subprocess.run(command, cwd=docs, check=False)
    return report


def validate(npx: str, report: Path, scratch: Path) -> int:
    """Run the validator on one report and print what it says; 2 if it found an error (or did
    not run), 1 a warning, 0 neither."""
    findings = run_multitool(npx, report, scratch)
    if findings is None:
        return 2
    print(f"{report}: {summary(findings)}")
    for (level, rule), (count, text) in grouped(findings).items():
        print(f"  {level} {rule}" + (f" (x{count}, the first)" if count > 1 else "") + f": {text}")
    levels = {level for level, _, _ in findings}
    return 2 if "error" in levels else 1 if "warning" in levels else 0


def run_multitool(npx: str, report: Path, scratch: Path) -> list[tuple[str, str, str]] | None:
    """The validator's findings on one report, or None (with a message) when it did not run."""
    output = scratch / "validation.sarif"
    output.unlink(missing_ok=True)
    arguments = [
        *("validate", str(report.resolve()), "--output", str(output), "--log", "ForceOverwrite"),
        *("--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note"),
    ]
    # The package's launcher hands its arguments to a shell: quote them once more for it.
    command = [npx, "--yes", MULTITOOL, *(shlex.quote(a) for a in arguments)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    if not output.is_file():
        print(f"validate_sarif: the multitool did not run (exit {done.returncode}):\n{done.stdout}{done.stderr}")
        return None
    return read_findings(output)


def read_findings(output: Path) -> list[tuple[str, str, str]]:
    """(level, rule id, message) of every result in the validator's own SARIF log."""
    log = json.loads(output.read_text(encoding="utf-8-sig"))
    return [
        (r.get("level", "warning"), r.get("ruleId", "?"), message_text(r, run))
        for run in log.get("runs", [])
        for r in run.get("results", [])
    ]


def message_text(result: dict, run: dict) -> str:
    """A result's message: its text, or its rule's message string filled with its arguments."""
    message = result.get("message", {})
    if "text" in message:
        return message["text"]
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    rule = next((r for r in rules if r.get("id") == result.get("ruleId")), {})
    template = rule.get("messageStrings", {}).get(message.get("id", ""), {}).get("text", message.get("id", ""))
    for index, argument in enumerate(message.get("arguments", [])):
        template = template.replace("{" + str(index) + "}", str(argument))
    return template


def grouped(findings: list[tuple[str, str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """One line per level and rule: how often, and its first message."""
    groups: dict[tuple[str, str], tuple[int, str]] = {}
    for level, rule, text in findings:
        count, first = groups.get((level, rule), (0, text))
        groups[(level, rule)] = (count + 1, first)
    return dict(sorted(groups.items(), key=lambda kv: ("error", "warning", "note").index(kv[0][0])))


def summary(findings: list[tuple[str, str, str]]) -> str:
    counts = {level: sum(1 for f in findings if f[0] == level) for level in ("error", "warning", "note")}
    return ", ".join(f"{count} {level}(s)" for level, count in counts.items())


if __name__ == "__main__":
    sys.exit(main())
