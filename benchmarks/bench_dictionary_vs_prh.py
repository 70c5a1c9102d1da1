#!/usr/bin/env python3
"""speechlint's `dictionary` rule against textlint + textlint-rule-prh, same dictionary (issue #5).

Both tools get THE SAME wrong -> right pairs (speechlint as a `dictionary` rule, textlint
as a prh YAML file: `version: 1` + `rules: [{expected: right, pattern: wrong}]`) and lint
the same corpus, pinned to one core, in one run, so the figures are ratios measured
side by side. For every dictionary size:

* speechlint in-process: building the rule, and its `check` over all pre-decoded files;
* speechlint CLI: `speechlint check --config <config with only that rule> DIR` as a
  subprocess (`extends: none` drops the default packs), JSON report written to a file;
* textlint CLI: `textlint --config <prh only> --format json --output-file … FILES`.

Targets: the speechlint CLI >= 20x faster than textlint + prh, and >= 20 MB/s on one core
with 10,000 entries. The counts of matches of both tools are printed to show they find
about the same things (they resolve overlapping entries differently: one leftmost-longest
automaton pass against one regex per entry, so the counts differ slightly).

The npm packages are installed by this script into --node-dir (default .bench/node in the checkout),
outside the repository. Dictionaries: the 5,000-entry typos.tsv of the corpus generator,
its first 1,000 entries, and a 10,000-entry extension built the same way gen_corpus.py
builds typos.tsv (same seed: its first 5,000 entries are typos.tsv itself).

    python benchmarks/bench_dictionary_vs_prh.py                     # 1,000 / 5,000 / 10,000 entries
    python benchmarks/bench_dictionary_vs_prh.py --sizes 5000 --textlint-files 200   # quicker, scaled
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import _common
from _common import MB, MachineInfo, best_time, checkout_env, corpus_files, ensure_corpus, mb_per_s

from speechlint.rulesets import RuleSource, build_rule
from speechlint.ruletypes.base import LintInput, Rule

NPM_PACKAGES = ("textlint", "textlint-rule-prh", "@textlint/textlint-plugin-text")
RATIO_TARGET = 20.0
MBS_TARGET = 20.0
GEN_SEED = 20241121  # gen_corpus.py's random seed: typos.tsv is the first thing it draws

Pair = tuple[str, str]


# --------------------------------------------------------------------------------------
# dictionaries
# --------------------------------------------------------------------------------------
def load_pairs(path: Path) -> list[Pair]:
    """`wrong<TAB>right` lines; the first pair wins for a repeated wrong form."""
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0] and cells[1] and cells[0] != cells[1]:
            pairs.setdefault(cells[0], cells[1])
    return list(pairs.items())


def write_pairs(pairs: Sequence[Pair], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w}\t{r}\n" for w, r in pairs), encoding="utf-8")
    return path


def extend_pairs(base: list[Pair], n_total: int, generator: Path = _common.GEN_CORPUS) -> list[Pair]:
    """`n_total` pairs made exactly as gen_corpus.py makes typos.tsv (deterministic).

    gen_corpus draws typos.tsv first from `Random(20241121)`, so asking its `make_typos`
    for more entries with the same seed reproduces typos.tsv as the prefix; that is checked.
    """
    if n_total <= len(base):
        return base[:n_total]
    spec = importlib.util.spec_from_file_location("gen_corpus", generator)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(generator)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    alltext = "\n".join(gen.load_seeds())
    pairs = [tuple(p) for p in gen.make_typos(random.Random(GEN_SEED), alltext, n_total)]
    if pairs[: len(base)] != base:
        raise RuntimeError("gen_corpus.make_typos no longer reproduces typos.tsv; cannot extend it faithfully")
    return pairs  # type: ignore[return-value]


def dictionary_variants(base_tsv: Path, sizes: Sequence[int], out_dir: Path) -> dict[int, Path]:
    """A TSV per requested size under `out_dir` (the base file itself for its own size)."""
    base = load_pairs(base_tsv)
    variants: dict[int, Path] = {}
    for size in sizes:
        if size == len(base):
            variants[size] = base_tsv
            continue
        path = out_dir / f"typos_{size}.tsv"
        if not path.is_file() or len(load_pairs(path)) != size:
            write_pairs(extend_pairs(base, size), path)
        variants[size] = path
    return variants


def _yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def to_prh_yaml(pairs: Sequence[Pair]) -> str:
    """The prh dictionary for `pairs`: `version: 1` and one `{expected, pattern}` per pair."""
    lines = ["version: 1", "rules:"]
    for wrong, right in pairs:
        lines.append(f"  - expected: {_yaml_str(right)}")
        lines.append(f"    pattern: {_yaml_str(wrong)}")
    return "\n".join(lines) + "\n"


def dictionary_spec(entries_file: Path | None = None, pairs: Sequence[Pair] | None = None) -> dict[str, Any]:
    """A speechlint `dictionary` rule with the given pairs (inline or from a TSV)."""
    spec: dict[str, Any] = {
        "id": "bench.dictionary",
        "type": "dictionary",
        "category": "typo",
        "severity": "warning",
        "message": "“{match}”应为“{suggestion}”。",
    }
    if entries_file is not None:
        spec["entries_file"] = str(entries_file.resolve())
    else:
        spec["entries"] = dict(pairs or [])
    return spec


def build_dictionary_rule(pairs: Sequence[Pair]) -> Rule:
    return build_rule(RuleSource(dictionary_spec(pairs=pairs), "<bench>", None, []), {})


def count_dictionary_matches(rule: Rule, texts: Sequence[str]) -> int:
    """Findings of `rule` over `texts` (the timed loop of the in-process measurement)."""
    return sum(1 for text in texts for _ in rule.check(LintInput(text)))


# --------------------------------------------------------------------------------------
# the two tools as subprocesses
# --------------------------------------------------------------------------------------
def ensure_textlint(node_dir: Path) -> Path:
    """textlint's binary under `node_dir`, installing the npm packages there if missing."""
    binary = node_dir / "node_modules" / ".bin" / "textlint"
    installed = all((node_dir / "node_modules" / name / "package.json").is_file() for name in NPM_PACKAGES)
    if binary.exists() and installed:
        return binary
    if _common.which("npm") is None:
        raise RuntimeError("npm not found: install Node.js to compare with textlint")
    node_dir.mkdir(parents=True, exist_ok=True)
    package_json = node_dir / "package.json"
    if not package_json.is_file():
        package_json.write_text('{"name": "speechlint-bench-node", "private": true}\n', encoding="utf-8")
    print(f"installing {' '.join(NPM_PACKAGES)} into {node_dir} …", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=node_dir, check=True)
    return binary


def npm_version(node_dir: Path, package: str) -> str:
    try:
        data = json.loads((node_dir / "node_modules" / package / "package.json").read_text(encoding="utf-8"))
        return str(data.get("version", "?"))
    except (OSError, ValueError):
        return "?"


@dataclass
class CliRun:
    seconds: float
    cpu_seconds: float  # user + system of the process and its threads: steadier under load
    matches: int
    files: int
    bytes: int


def run_textlint(binary: Path, node_dir: Path, prh_file: Path, files: Sequence[Path], work: Path) -> CliRun:
    """One textlint run over `files` with only the prh rule; matches read from its JSON report."""
    config = work / "textlintrc.json"
    config.write_text(
        json.dumps({"plugins": {"@textlint/text": True}, "rules": {"prh": {"rulePaths": [str(prh_file)]}}}),
        encoding="utf-8",
    )
    report = work / "textlint.json"
    report.unlink(missing_ok=True)
    cmd = [str(binary), "--config", str(config), "--format", "json", "--output-file", str(report)]
    cpu0, start = _common.children_cpu(), time.perf_counter()
    proc = subprocess.run([*cmd, *map(str, files)], cwd=node_dir, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _common.children_cpu() - cpu0
    if not report.is_file():
        raise RuntimeError(f"textlint failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    results = json.loads(report.read_text(encoding="utf-8"))
    matches = sum(len(r.get("messages", [])) for r in results)
    return CliRun(seconds, cpu, matches, len(files), sum(p.stat().st_size for p in files))


def run_speechlint_cli(tsv: Path, target: Path, work: Path) -> CliRun:
    """`speechlint check --config <only this dictionary> TARGET`, JSON report to a file.

    `--isolated` is not passed: in the current CLI it discards `--config` altogether; an
    explicit `--config` already skips config discovery.
    """
    import yaml

    config = work / "speechlint.yaml"
    config.write_text(
        yaml.safe_dump({"extends": "none", "rules": [dictionary_spec(entries_file=tsv)]}, allow_unicode=True),
        encoding="utf-8",
    )
    report = work / "speechlint.json"
    report.unlink(missing_ok=True)
    cli, _ = _common.speechlint_command()
    cmd = [*cli, "check", "--config", str(config), "--format", "json", "--output", str(report), str(target)]
    cpu0, start = _common.children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=work, env=checkout_env(), capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _common.children_cpu() - cpu0
    if proc.returncode not in (0, 1) or not report.is_file():
        raise RuntimeError(f"speechlint failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    files = corpus_files(target) if target.is_dir() else [target]
    n_bytes = sum(p.stat().st_size for p in files)
    return CliRun(seconds, cpu, int(summary["findings"]), int(summary["files"]), n_bytes)


# --------------------------------------------------------------------------------------
# one comparison
# --------------------------------------------------------------------------------------
@dataclass
class Comparison:
    entries: int
    files: int
    bytes: int
    build_ms: float
    check_seconds: float
    check_mb_per_s: float
    check_matches: int
    speechlint_cli_seconds: float
    speechlint_cli_cpu_seconds: float
    speechlint_cli_mb_per_s: float
    speechlint_cli_matches: int
    textlint_seconds: float  # over the whole corpus (scaled from the subset if one was used)
    textlint_cpu_seconds: float
    textlint_mb_per_s: float
    textlint_matches: int  # on the files textlint actually linted
    textlint_files: int
    textlint_scaled: bool
    subset_speechlint_cli_seconds: float | None  # speechlint CLI on the same subset, if any
    subset_textlint_seconds: float | None

    @property
    def ratio_cli(self) -> float:
        return self.textlint_seconds / self.speechlint_cli_seconds

    @property
    def ratio_cli_cpu(self) -> float:
        return self.textlint_cpu_seconds / self.speechlint_cli_cpu_seconds

    @property
    def ratio_in_process(self) -> float:
        return self.textlint_seconds / self.check_seconds

    @property
    def subset_ratio(self) -> float | None:
        if self.subset_textlint_seconds is None or not self.subset_speechlint_cli_seconds:
            return None
        return self.subset_textlint_seconds / self.subset_speechlint_cli_seconds


def compare(
    tsv: Path,
    corpus: Path,
    files: list[Path],
    texts: list[str],
    textlint: tuple[Path, Path] | None,
    textlint_files: int,
    repeat: int,
) -> Comparison:
    """Measure both tools with the dictionary in `tsv`; `textlint` is (binary, node dir) or None."""
    pairs = load_pairs(tsv)
    n_bytes = sum(p.stat().st_size for p in files)
    start = time.perf_counter()
    rule = build_dictionary_rule(pairs)
    build_ms = (time.perf_counter() - start) * 1000
    check_s, check_matches = best_time(lambda: count_dictionary_matches(rule, texts), repeat)

    with tempfile.TemporaryDirectory(prefix="speechlint-prh-") as tmp:
        work = Path(tmp)
        cli = min((run_speechlint_cli(tsv, corpus, work) for _ in range(max(1, repeat))), key=lambda r: r.seconds)
        tl_seconds = tl_cpu = tl_matches = 0.0
        tl_files = 0
        scaled = False
        sub_sl = sub_tl = None
        if textlint is not None:
            binary, node_dir = textlint
            prh = work / "prh.yml"
            prh.write_text(to_prh_yaml(pairs), encoding="utf-8")
            subset = files[:textlint_files] if 0 < textlint_files < len(files) else files
            run = run_textlint(binary, node_dir, prh, subset, work)
            tl_files, tl_matches = run.files, run.matches
            if subset is files:
                tl_seconds, tl_cpu = run.seconds, run.cpu_seconds
            else:  # scale the per-byte part; start-up (one tiny file) is paid once
                scaled = True
                startup = run_textlint(binary, node_dir, prh, [_tiny_file(work)], work)
                tl_seconds = startup.seconds + (run.seconds - startup.seconds) * n_bytes / run.bytes
                tl_cpu = startup.cpu_seconds + (run.cpu_seconds - startup.cpu_seconds) * n_bytes / run.bytes
                sub_dir = work / "subset"
                sub_dir.mkdir()
                for p in subset:
                    (sub_dir / p.name).symlink_to(p.resolve())
                sub_tl = run.seconds
                sub_sl = run_speechlint_cli(tsv, sub_dir, work).seconds
    return Comparison(
        entries=len(pairs),
        files=len(files),
        bytes=n_bytes,
        build_ms=build_ms,
        check_seconds=check_s,
        check_mb_per_s=mb_per_s(n_bytes, check_s),
        check_matches=check_matches,
        speechlint_cli_seconds=cli.seconds,
        speechlint_cli_cpu_seconds=cli.cpu_seconds,
        speechlint_cli_mb_per_s=mb_per_s(n_bytes, cli.seconds),
        speechlint_cli_matches=cli.matches,
        textlint_seconds=tl_seconds,
        textlint_cpu_seconds=tl_cpu,
        textlint_mb_per_s=mb_per_s(n_bytes, tl_seconds) if tl_seconds else 0.0,
        textlint_matches=int(tl_matches),
        textlint_files=tl_files,
        textlint_scaled=scaled,
        subset_speechlint_cli_seconds=sub_sl,
        subset_textlint_seconds=sub_tl,
    )


def _tiny_file(work: Path) -> Path:
    path = work / "tiny.txt"
    path.write_text("同志们：今天召开会议。\n", encoding="utf-8")
    return path


def print_comparison(c: Comparison, with_textlint: bool) -> None:
    print(f"== {c.entries:,} entries, {c.files} files, {c.bytes / MB:.1f} MB")
    print(f"  speechlint build rule (automaton)     {c.build_ms:9.1f} ms")
    print(
        f"  speechlint check, in-process          {c.check_seconds:9.3f} s  {c.check_mb_per_s:8.1f} MB/s  "
        f"{c.check_matches} matches"
    )
    print(
        f"  speechlint CLI (process, JSON report) {c.speechlint_cli_seconds:9.3f} s  "
        f"{c.speechlint_cli_mb_per_s:8.1f} MB/s  {c.speechlint_cli_matches} matches  (CPU {c.speechlint_cli_cpu_seconds:.3f} s)"
    )
    mbs_verdict = "MET" if c.speechlint_cli_mb_per_s >= MBS_TARGET else "MISSED"
    if c.entries >= 10_000:
        print(
            f"  target >= {MBS_TARGET:.0f} MB/s with {c.entries:,} entries: CLI {mbs_verdict}, "
            f"in-process {'MET' if c.check_mb_per_s >= MBS_TARGET else 'MISSED'}"
        )
    if not with_textlint:
        print("  textlint: skipped")
        return
    note = f"; time SCALED to all {c.files} files" if c.textlint_scaled else ""
    print(
        f"  textlint + prh CLI                    {c.textlint_seconds:9.3f} s  {c.textlint_mb_per_s:8.2f} MB/s  "
        f"{c.textlint_matches} matches on {c.textlint_files} files{note}  (CPU {c.textlint_cpu_seconds:.3f} s)"
    )
    verdict = "MET" if c.ratio_cli >= RATIO_TARGET else f"MISSED by {RATIO_TARGET / c.ratio_cli:.2f}x"
    print(f"  ratio textlint / speechlint CLI       {c.ratio_cli:9.1f}x   target >= {RATIO_TARGET:.0f}x: {verdict}")
    print(f"  same ratio on CPU time                {c.ratio_cli_cpu:9.1f}x   (steadier on a busy machine)")
    print(f"  ratio textlint / speechlint check     {c.ratio_in_process:9.1f}x   (in-process engine)")
    if c.subset_ratio is not None:
        print(
            f"  same-subset measured ratio            {c.subset_ratio:9.1f}x   "
            f"(textlint {c.subset_textlint_seconds:.2f} s, "
            f"speechlint CLI {c.subset_speechlint_cli_seconds:.2f} s on {c.textlint_files} files)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", choices=sorted(_common.SIZES), default="10M", help="corpus size (default 10M)")
    ap.add_argument("--corpus", type=Path, help="corpus directory (default <data-dir>/corpus_<size>)")
    ap.add_argument("--data-dir", type=Path, default=_common.DATA_DIR, help="corpora and dictionaries (%(default)s)")
    ap.add_argument("--generate", action="store_true", help="generate the corpus with gen_corpus.py if missing")
    ap.add_argument("--dictionary", type=Path, help="base wrong<TAB>right TSV (default <data-dir>/typos.tsv)")
    ap.add_argument("--sizes", default="1000,5000,10000", help="dictionary sizes (default %(default)s)")
    ap.add_argument("--node-dir", type=Path, default=_common.BENCH_DIR / "node", help="npm cache dir (%(default)s)")
    ap.add_argument("--no-textlint", action="store_true", help="measure speechlint only")
    ap.add_argument(
        "--textlint-files", type=int, default=0, help="run textlint on the first N files only and scale (0 = all)"
    )
    ap.add_argument("--core", type=int, default=1, help="CPU to pin to (default 1; -1 = do not pin)")
    ap.add_argument("--repeat", type=int, default=3, help="speechlint runs per measurement, best of N (default 3)")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    args = ap.parse_args(argv)

    core = _common.pin_to_one_core(None if args.core < 0 else args.core)
    corpus = args.corpus or ensure_corpus(args.size, args.data_dir, args.generate)
    files = corpus_files(corpus)
    texts = [p.read_bytes().decode("utf-8") for p in files]
    base = args.dictionary or args.data_dir / "typos.tsv"
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    variants = dictionary_variants(base, sizes, args.data_dir)
    textlint = None
    if not args.no_textlint:
        textlint = (ensure_textlint(args.node_dir), args.node_dir)

    machine = MachineInfo.collect(core)
    versions = {p: npm_version(args.node_dir, p) for p in NPM_PACKAGES} if textlint else {}
    out: dict[str, Any] = {"machine": asdict(machine), "corpus": str(corpus), "npm": versions, "results": []}
    if not args.json:
        print(f"speechlint bench_dictionary_vs_prh — {machine.line()}")
        if versions:
            print("  " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    for size in sizes:
        c = compare(variants[size], corpus, files, texts, textlint, args.textlint_files, args.repeat)
        out["results"].append(
            {
                **asdict(c),
                "ratio_cli": c.ratio_cli if textlint else None,
                "ratio_cli_cpu": c.ratio_cli_cpu if textlint else None,
                "subset_ratio": c.subset_ratio,
            }
        )
        if not args.json:
            print_comparison(c, textlint is not None)
            sys.stdout.flush()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
