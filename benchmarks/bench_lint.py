#!/usr/bin/env python3
"""Throughput and start-up of `speechlint check` with the default packs (issue #2).

Part (a), in-process on ONE core: the default packs over a corpus directory, as MB/s
overall (the same runner the CLI uses: read, decode, lint, locate, corpus phase) and per
rule (each rule's `check` timed on its own over pre-decoded text), against two baselines
measured in the same run: read + decode of the same files, and one `regex` placeholder
pattern over the same text. Each figure is the best of --repeat runs. Target: >= 20 MB/s.

Part (b), process start to exit: `speechlint check FILE` on one ~10 KB file as a
subprocess, median of N runs after a warm-up, against `python -c pass` in the same run.
Target: <= 150 ms. CPU time (user + system) is printed too: on a busy machine it is the
steadier figure. The warm-up fills speechlint's pack cache; a series with
SPEECHLINT_NO_CACHE=1 shows a first run (or one after an upgrade). Where the time goes:
the top imports of `python -X importtime`, and a phase breakdown (imports, config, pack
loading, rule compilation with the slowest rules, lint, report) in a fresh interpreter.

    python benchmarks/bench_lint.py                       # 10 MB corpus, both parts
    python benchmarks/bench_lint.py --size 1M --json      # machine-readable
    python benchmarks/bench_lint.py --generate --size 100M
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import _common
from _common import MB, MachineInfo, best_time, checkout_env, corpus_files, ensure_corpus, mb_per_s

from speechlint.config import Settings
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import RuleSet, build_ruleset
from speechlint.ruletypes.base import LintInput

THROUGHPUT_TARGET_MBS = 20.0
STARTUP_TARGET_MS = 150.0
# The regex baseline: one simple placeholder pattern, the cheapest useful rule there is.
BASELINE_PATTERN = r"XX|××|某某"


# --------------------------------------------------------------------------------------
# (a) throughput
# --------------------------------------------------------------------------------------
@dataclass
class RuleTiming:
    rule_id: str
    type: str
    seconds: float
    mb_per_s: float
    share: float  # of the summed per-rule time
    findings: int
    build_ms: float = 0.0  # compiling the rule once (imports already warm)
    corpus_aware: bool = False


@dataclass
class ThroughputResult:
    files: int
    bytes: int
    build_seconds: float
    rules: int
    read_decode_mb_per_s: float
    regex_baseline_mb_per_s: float
    overall_seconds: float
    overall_mb_per_s: float
    lint_only_mb_per_s: float
    lint_only_seconds: float
    load_documents_seconds: float  # Document.from_path for every file (read, decode, line map)
    locate_seconds: float  # placing every finding of lint_text in its document (line, column)
    findings: int
    per_rule: list[RuleTiming] = field(default_factory=list)

    @property
    def target_met(self) -> bool:
        return self.overall_mb_per_s >= THROUGHPUT_TARGET_MBS


def read_texts(files: list[Path]) -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in files]


def time_rule(rule: Any, inputs: list[LintInput]) -> tuple[float, int]:
    """Seconds one rule costs over every input, as the runner calls it.

    Per-document rules: `check` on each input. Corpus-aware rules: `summarize` on each
    input, then `corpus_findings` over the summaries (the runner never calls their `check`).
    """
    from speechlint.ruletypes.base import CorpusRule

    inputs = [LintInput(doc.text, doc.path) for doc in inputs]  # fresh: a corpus rule uses its summaries up
    start = time.perf_counter()
    if isinstance(rule, CorpusRule):
        summaries = [(doc.path, rule.summarize(doc)) for doc in inputs]
        count = sum(1 for _ in rule.corpus_findings(summaries))
    else:
        count = sum(1 for doc in inputs for _ in rule.check(doc))
    return time.perf_counter() - start, count


def rule_build_times(settings: Settings, ruleset: RuleSet) -> dict[str, float]:
    """Milliseconds to build each rule of `ruleset` again from its pack data (imports warm)."""
    from speechlint.rulesets import build_rule, rule_sources

    sources = {s.spec.get("id"): s for s in rule_sources(settings) if isinstance(s.spec, dict)}
    times: dict[str, float] = {}
    for rule in ruleset.rules:
        source = sources.get(rule.meta.id)
        if source is None:
            continue
        start = time.perf_counter()
        build_rule(source, settings.options)
        times[rule.meta.id] = (time.perf_counter() - start) * 1000
    return times


def measure_throughput(
    files: list[Path],
    ruleset: RuleSet,
    settings: Settings,
    repeat: int = 3,
    build_seconds: float = 0.0,
) -> ThroughputResult:
    """Overall, per-rule and baseline throughput over `files` (best of `repeat` runs each)."""
    import regex

    from speechlint.documents import Document
    from speechlint.pipeline.discover import Target
    from speechlint.pipeline.locate import locate
    from speechlint.pipeline.run import RunOptions
    from speechlint.pipeline.run import run as run_documents
    from speechlint.ruletypes.base import CorpusRule

    n_bytes = sum(p.stat().st_size for p in files)
    read_s, texts = best_time(lambda: read_texts(files), repeat)

    pattern = regex.compile(BASELINE_PATTERN)
    regex_s, _ = best_time(lambda: sum(len(pattern.findall(t)) for t in texts), repeat)

    targets = [Target(p, p.name, explicit=True) for p in files]
    overall_s, result = best_time(lambda: run_documents(targets, ruleset, settings, RunOptions()), repeat)

    inputs = [LintInput(t, p.name) for t, p in zip(texts, files, strict=True)]
    lint_s, _ = best_time(lambda: [lint_text(ruleset, d.text, d.path) for d in inputs], repeat)

    load_s, documents = best_time(
        lambda: [Document.from_path(p, p.name, settings.encoding_fallback) for p in files], repeat
    )
    found = [(doc, lint_text(ruleset, doc.text, doc.path)) for doc in documents]
    locate_s, _ = best_time(lambda: [locate(doc, f) for doc, fs in found for f in fs], repeat)

    build_ms = rule_build_times(settings, ruleset)
    per_rule: list[RuleTiming] = []
    for rule in ruleset.rules:
        seconds, count = best_time(lambda r=rule: time_rule(r, inputs)[1], repeat)
        per_rule.append(
            RuleTiming(
                rule_id=rule.meta.id,
                type=rule.meta.type,
                seconds=seconds,
                mb_per_s=mb_per_s(n_bytes, seconds),
                share=0.0,
                findings=count,
                build_ms=build_ms.get(rule.meta.id, 0.0),
                corpus_aware=isinstance(rule, CorpusRule),
            )
        )
    total_rule_s = sum(r.seconds for r in per_rule) or 1.0
    for timing in per_rule:
        timing.share = timing.seconds / total_rule_s
    per_rule.sort(key=lambda r: r.seconds, reverse=True)

    return ThroughputResult(
        files=len(files),
        bytes=n_bytes,
        build_seconds=build_seconds,
        rules=len(ruleset.rules),
        read_decode_mb_per_s=mb_per_s(n_bytes, read_s),
        regex_baseline_mb_per_s=mb_per_s(n_bytes, regex_s),
        overall_seconds=overall_s,
        overall_mb_per_s=mb_per_s(n_bytes, overall_s),
        lint_only_mb_per_s=mb_per_s(n_bytes, lint_s),
        lint_only_seconds=lint_s,
        load_documents_seconds=load_s,
        locate_seconds=locate_s,
        findings=len(result.located),
        per_rule=per_rule,
    )


# --------------------------------------------------------------------------------------
# (b) start-up
# --------------------------------------------------------------------------------------
@dataclass
class ImportEntry:
    name: str
    self_ms: float
    cumulative_ms: float
    depth: int


@dataclass
class StartupResult:
    command: str
    file_bytes: int
    runs: int
    baseline_median_ms: float
    baseline_min_ms: float
    baseline_cpu_median_ms: float
    check_median_ms: float
    check_min_ms: float
    check_stdev_ms: float
    check_cpu_median_ms: float
    exit_status: int
    no_cache_median_ms: float = 0.0  # SPEECHLINT_NO_CACHE=1: packs parsed from YAML every run
    no_bytecode_median_ms: float = 0.0  # PYTHONDONTWRITEBYTECODE=1 and no .pyc: modules compiled every run
    import_total_ms: float = 0.0
    import_by_package_ms: dict[str, float] = field(default_factory=dict)
    top_imports: list[ImportEntry] = field(default_factory=list)
    phases_ms: dict[str, float] = field(default_factory=dict)
    cold_build_ms: dict[str, float] = field(default_factory=dict)  # per rule, first build in a fresh process

    @property
    def overhead_ms(self) -> float:
        return self.check_median_ms - self.baseline_median_ms

    @property
    def target_met(self) -> bool:
        return self.check_median_ms <= STARTUP_TARGET_MS


def pick_sample(files: list[Path], size: int = 10_000) -> Path:
    """The corpus document whose size is closest to `size` bytes."""
    return min(files, key=lambda p: abs(p.stat().st_size - size))


def parse_importtime(stderr: str) -> list[ImportEntry]:
    """Entries of `-X importtime` output (`import time: self | cumulative | name`)."""
    entries: list[ImportEntry] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        parts = line.split(":", 1)[1].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        self_us, cumulative_us, name = parts
        stripped = name.lstrip(" ")
        depth = (len(name) - len(stripped) - 1) // 2
        entries.append(ImportEntry(stripped, int(self_us) / 1000, int(cumulative_us) / 1000, max(0, depth)))
    return entries


def summarize_imports(entries: list[ImportEntry], top: int = 12) -> tuple[float, dict[str, float], list[ImportEntry]]:
    """Total import time, self time summed by top-level package (heaviest first), top-level imports.

    Summing self time by package names the libraries that cost the most wherever they are
    imported from (`yaml` under `speechlint.yamlsource`, `certifi` under `site` …).
    """
    total = sum(e.self_ms for e in entries)
    by_package: dict[str, float] = {}
    for e in entries:
        root = e.name.split(".")[0]
        by_package[root] = by_package.get(root, 0.0) + e.self_ms
    heaviest = dict(sorted(by_package.items(), key=lambda kv: kv[1], reverse=True)[:top])
    top_level = sorted((e for e in entries if e.depth == 0), key=lambda e: e.cumulative_ms, reverse=True)[:top]
    return total, heaviest, top_level


# Run in a fresh interpreter: where the time of one `speechlint check FILE` goes, by phase.
PHASES_SNIPPET = r"""
import json, sys, time
t = [time.perf_counter()]
marks = {}
def mark(name):
    now = time.perf_counter(); marks[name] = (now - t[0]) * 1000; t[0] = now
from speechlint.cli import build_parser
parser = build_parser(); mark("import cli + build parser")
from pathlib import Path
from speechlint.config import load_settings
from speechlint.pipeline.discover import iter_targets
from speechlint.rulesets import build_ruleset
from speechlint.reporters import RunSummary, get_reporter
from speechlint.pipeline.run import RunOptions, run
mark("import check modules")
import speechlint.rulesets.build as linter_module
from speechlint.rulesets import rule_sources
cold = {}
_build_rule = linter_module.build_rule
def timed_build(source, *args, **kwargs):
    start = time.perf_counter()
    rule = _build_rule(source, *args, **kwargs)
    cold[source.spec["id"]] = (time.perf_counter() - start) * 1000
    return rule
linter_module.build_rule = timed_build
settings = load_settings(None, False); mark("load settings")
sources = rule_sources(settings); mark("read packs (YAML)")
from speechlint.pipeline.run import target_size
targets = list(iter_targets([sys.argv[1]], settings))
expected = sum(target_size(t) for t in targets)  # as the CLI sizes the run (small: NFA automata, no NumPy)
ruleset = build_ruleset(settings, sources=sources, expected_bytes=expected); mark("compile rules")
result = run(targets, ruleset, settings, RunOptions()); mark("read + lint file")
report = get_reporter("text")(result.located, RunSummary(result.files, 0, 0, result.skipped), colour=False,
                              statistics=False); mark("render report")
print(json.dumps({"phases": marks, "cold_builds": cold}))
"""


def measure_startup(sample: Path, runs: int = 15, warmup: int = 2, importtime_top: int = 12) -> StartupResult:
    """Median wall time of `speechlint check FILE` and of `python -c pass`, interleaved.

    Byte-code is cached as an installed wheel has it: with PYTHONDONTWRITEBYTECODE set (as
    in this dev environment) a checkout has no .pyc and every start compiles speechlint
    from source, so children write theirs under a temporary PYTHONPYCACHEPREFIX instead
    (outside the repository); a separate series shows the cost without byte-code.
    """
    cli, label = _common.speechlint_command()
    with tempfile.TemporaryDirectory(prefix="speechlint-bench-") as tmp:
        work = Path(tmp)
        no_pyc_env = {**checkout_env(), "PYTHONDONTWRITEBYTECODE": "1"}
        env = {k: v for k, v in no_pyc_env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        file = work / "sample.txt"
        shutil.copyfile(sample, file)
        baseline_cmd = [sys.executable, "-c", "pass"]
        check_cmd = [*cli, "check", file.name]
        for _ in range(warmup):
            _common.run_timed(baseline_cmd, work, env)
            _common.run_timed(check_cmd, work, env)
        no_cache_env = {**env, "SPEECHLINT_NO_CACHE": "1"}
        # All series round-robin, so that a burst of load elsewhere hits them alike.
        base: list[_common.Timed] = []
        check: list[_common.Timed] = []
        no_cache: list[float] = []
        no_pyc: list[float] = []
        for _ in range(runs):
            base.append(_common.run_timed(baseline_cmd, work, env))
            check.append(_common.run_timed(check_cmd, work, env))
            no_cache.append(_common.run_timed(check_cmd, work, no_cache_env).wall * 1000)
            no_pyc.append(_common.run_timed(check_cmd, work, no_pyc_env).wall * 1000)
        imp = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "speechlint", "check", file.name],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        total, by_package, top_level = summarize_imports(parse_importtime(imp.stderr), importtime_top)
        phases_proc = subprocess.run(
            [sys.executable, "-c", PHASES_SNIPPET, file.name], cwd=work, env=env, capture_output=True, text=True
        )
        try:
            measured = json.loads(phases_proc.stdout.strip().splitlines()[-1])
            phases, cold = measured["phases"], measured["cold_builds"]
        except (IndexError, KeyError, ValueError):
            phases, cold = {"(phase breakdown failed)": 0.0}, {}
            print(phases_proc.stderr[-2000:], file=sys.stderr)
    base_times = [t.wall * 1000 for t in base]
    check_times = [t.wall * 1000 for t in check]
    return StartupResult(
        command=f"{label} check FILE",
        file_bytes=sample.stat().st_size,
        runs=runs,
        baseline_median_ms=statistics.median(base_times),
        baseline_min_ms=min(base_times),
        baseline_cpu_median_ms=statistics.median(t.cpu * 1000 for t in base),
        check_median_ms=statistics.median(check_times),
        check_min_ms=min(check_times),
        check_stdev_ms=statistics.stdev(check_times) if len(check_times) > 1 else 0.0,
        check_cpu_median_ms=statistics.median(t.cpu * 1000 for t in check),
        exit_status=check[-1].status,
        no_cache_median_ms=statistics.median(no_cache),
        no_bytecode_median_ms=statistics.median(no_pyc),
        import_total_ms=total,
        import_by_package_ms=by_package,
        top_imports=top_level,
        phases_ms=phases,
        cold_build_ms=dict(sorted(cold.items(), key=lambda kv: kv[1], reverse=True)),
    )


# --------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------
def print_throughput(r: ThroughputResult, corpus: Path) -> None:
    verdict = "MET" if r.target_met else f"MISSED by {THROUGHPUT_TARGET_MBS / r.overall_mb_per_s:.2f}x"
    print(f"== (a) throughput: default packs, {r.rules} rules, {corpus} ({r.files} files, {r.bytes / MB:.1f} MB)")
    print(f"  rule set build (YAML + compile)       {r.build_seconds * 1000:8.0f} ms")
    print(f"  baseline read + decode                {r.read_decode_mb_per_s:8.1f} MB/s")
    print(f"  baseline regex `{BASELINE_PATTERN}`          {r.regex_baseline_mb_per_s:8.1f} MB/s")
    print(
        f"  overall (runner: read, lint, locate)  {r.overall_mb_per_s:8.1f} MB/s  ({r.overall_seconds:.2f} s, "
        f"{r.findings} findings)   target >= {THROUGHPUT_TARGET_MBS:.0f} MB/s: {verdict}"
    )
    print(f"  lint_text only (per-document rules)   {r.lint_only_mb_per_s:8.1f} MB/s")
    rules_s = sum(t.seconds for t in r.per_rule)
    print(
        f"  components: rules alone {rules_s:.2f} s ({mb_per_s(r.bytes, rules_s):.1f} MB/s), loading documents "
        f"{r.load_documents_seconds:.2f} s, locating {r.findings} findings {r.locate_seconds:.2f} s"
    )
    alone = sum(t.seconds for t in r.per_rule if not t.corpus_aware)
    if alone > 0:
        print(
            f"  per-document rules: {alone:.2f} s one rule at a time, {r.lint_only_seconds:.2f} s together in lint_text "
            f"(x{r.lint_only_seconds / alone:.2f}; interleaving rules per document costs more, likely CPU-cache misses)"
        )
    print(
        f"  ratios: overall / read+decode = {r.overall_mb_per_s / r.read_decode_mb_per_s:.3f}, "
        f"overall / regex baseline = {r.overall_mb_per_s / r.regex_baseline_mb_per_s:.3f}"
    )
    print("  per rule, alone over the pre-decoded corpus (corpus-aware rules: summarize + corpus_findings):")
    print(f"    {'rule':32} {'type':12} {'MB/s':>9} {'ms':>8} {'share':>6} {'findings':>9} {'build ms':>9}")
    for t in r.per_rule:
        print(
            f"    {t.rule_id:32} {t.type:12} {t.mb_per_s:9.1f} {t.seconds * 1000:8.0f} "
            f"{t.share * 100:5.1f}% {t.findings:9d} {t.build_ms:9.1f}"
        )


def print_startup(s: StartupResult) -> None:
    verdict = "MET" if s.target_met else f"MISSED by {s.check_median_ms - STARTUP_TARGET_MS:.0f} ms"
    print(f"== (b) start-up: `{s.command}` on a {s.file_bytes / 1000:.1f} KB file, median of {s.runs} runs")
    print(
        f"  baseline python -c pass      median {s.baseline_median_ms:7.1f} ms   min {s.baseline_min_ms:7.1f} ms   "
        f"CPU {s.baseline_cpu_median_ms:6.1f} ms"
    )
    print(
        f"  speechlint check FILE        median {s.check_median_ms:7.1f} ms   min {s.check_min_ms:7.1f} ms   "
        f"CPU {s.check_cpu_median_ms:6.1f} ms   stdev {s.check_stdev_ms:.1f} ms   exit {s.exit_status}"
    )
    print(f"  same, no pack cache          median {s.no_cache_median_ms:7.1f} ms   (SPEECHLINT_NO_CACHE=1)")
    print(
        f"  same, no .pyc byte-code      median {s.no_bytecode_median_ms:7.1f} ms   (a checkout + PYTHONDONTWRITEBYTECODE)"
    )
    print(
        f"  overhead over bare Python    {s.overhead_ms:7.1f} ms   "
        f"ratio {s.check_median_ms / s.baseline_median_ms:.2f}x   target <= {STARTUP_TARGET_MS:.0f} ms: {verdict}"
    )
    print("  phases (fresh interpreter, after interpreter start-up):")
    for name, ms in s.phases_ms.items():
        print(f"    {name:34} {ms:7.1f} ms")
    heavy = [f"{k} {v:.1f}" for k, v in list(s.cold_build_ms.items())[:6]]
    print("    compile, slowest rules (ms, incl. lazy imports): " + ", ".join(heavy))
    print(f"  -X importtime (inflates every figure): {s.import_total_ms:.1f} ms importing in all")
    print("    self time by top-level package: " + ", ".join(f"{k} {v:.1f}" for k, v in s.import_by_package_ms.items()))
    print("    top-level imports by cumulative time:")
    for e in s.top_imports:
        print(f"      {e.name:38} cumulative {e.cumulative_ms:6.1f} ms  self {e.self_ms:6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", choices=sorted(_common.SIZES), default="10M", help="corpus size (default 10M)")
    ap.add_argument("--corpus", type=Path, help="corpus directory (default <data-dir>/corpus_<size>)")
    ap.add_argument("--data-dir", type=Path, default=_common.DATA_DIR, help="where corpora live (default %(default)s)")
    ap.add_argument("--generate", action="store_true", help="generate the corpus with gen_corpus.py if missing")
    ap.add_argument("--core", type=int, default=1, help="CPU to pin to (default 1; -1 = do not pin)")
    ap.add_argument("--repeat", type=int, default=3, help="throughput runs per measurement, best of N (default 3)")
    ap.add_argument("--runs", type=int, default=15, help="start-up runs, median (default 15)")
    ap.add_argument("--select", action="append", default=[], help="only these rules/categories (default: all)")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    args = ap.parse_args(argv)

    core = _common.pin_to_one_core(None if args.core < 0 else args.core)
    corpus = args.corpus or ensure_corpus(args.size, args.data_dir, args.generate)
    files = corpus_files(corpus)
    if not files:
        raise SystemExit(f"{corpus}: no *.txt files")
    machine = MachineInfo.collect(core)
    out: dict[str, Any] = {"machine": asdict(machine), "corpus": str(corpus)}
    if not args.json:
        print(f"speechlint bench_lint — {machine.line()}")

    if not args.skip_throughput:
        settings = Settings()
        start = time.perf_counter()
        ruleset = build_ruleset(settings, [s.strip() for v in args.select for s in v.split(",") if s.strip()])
        build_s = time.perf_counter() - start
        thr = measure_throughput(files, ruleset, settings, args.repeat, build_s)
        out["throughput"] = {**asdict(thr), "target_mb_per_s": THROUGHPUT_TARGET_MBS, "target_met": thr.target_met}
        if not args.json:
            print_throughput(thr, corpus)
    if not args.skip_startup:
        st = measure_startup(pick_sample(files), args.runs)
        out["startup"] = {
            **asdict(st),
            "overhead_ms": st.overhead_ms,
            "target_ms": STARTUP_TARGET_MS,
            "target_met": st.target_met,
        }
        if not args.json:
            print_startup(st)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
