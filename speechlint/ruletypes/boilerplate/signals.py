"""Scoring one line as site boilerplate: weighted signals that come from the rule's YAML.

A list of known strings only catches yesterday's sites, so a line is judged by the *kind*
of text it is: boilerplate vocabulary (仅供学习, 会员群, 侵权删除 …), structures (URLs, QQ
numbers, page numbers, anti-copy junk, rare-character watermarks) and how much of the line
they cover. Ordinary prose words get weight 0 (guards: 工会会员) or a negative weight
(加强, 落实). This module only adds the weights up; where a line sits in the document and
how lines form blocks is decided in `speechlint.ruletypes.boilerplate`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from speechlint.resources import language_default
from speechlint.ruletypes.accel import find_all
from speechlint.ruletypes.base import RuleSpecError

# Full-width letters, digits and the few symbols that spell URLs are folded to ASCII (and
# then lower-cased) before matching; Chinese punctuation (，：（）！) is kept as it is,
# because half-width punctuation in Chinese text is itself a signal of web residue. The
# pack adds its own folds (`fold_chars`: traditional forms of the signal vocabulary, so that
# a watermark in 繁體 such as 僅供學習 scores like 仅供学习).
_WIDTH_FOLD = {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
_WIDTH_FOLD.update({chr(0xFF21 + i): chr(0x61 + i) for i in range(26)})
_WIDTH_FOLD.update({chr(0x41 + i): chr(0x61 + i) for i in range(26)})
_WIDTH_FOLD.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_WIDTH_FOLD.update({"．": ".", "＠": "@", "／": "/", "＿": "_", "－": "-", "｜": "|", "\u3000": " ", "\u00a0": " "})


class Folder:
    """The form phrases and patterns are matched against: one character for one, so that
    offsets stay valid."""

    def __init__(self, extra: dict[str, str]) -> None:
        folds = dict(_WIDTH_FOLD)
        for source, target in extra.items():
            if len(source) != 1 or len(target) != 1:
                raise RuleSpecError(f"fold_chars 的键和值都必须是单个字符：{source!r} → {target!r}", "fold_chars")
            folds[source] = target
        self.table = str.maketrans(folds)
        # Characters only the (slow) table can fold; A-Z alone is left to the (fast) str.lower.
        slow = "".join(c for c in folds if not "A" <= c <= "Z")
        self.needs_table = re.compile("[" + re.escape(slow) + "]")
        self.unfold_han = {v: k for k, v in folds.items() if "\u3400" <= k <= "\u9fff"}

    def __call__(self, text: str) -> str:
        if self.needs_table.search(text):
            return text.translate(self.table)
        lowered = text.lower()
        return lowered if len(lowered) == len(text) else text.translate(self.table)

    def spellings(self, phrase: str) -> set[str]:
        """The raw spellings a folded phrase may have in a document (QQ群, Qq群, ＱＱ群, 僅供…),
        so that the whole-text prefilter can look for phrases without folding the whole text."""
        forms = {phrase, phrase.upper(), phrase.capitalize(), phrase.title()}
        forms |= {"".join(_FULL_WIDTH.get(c, c) for c in f) for f in list(forms)}
        forms.add("".join(self.unfold_han.get(c, c) for c in phrase))
        return forms

    def key(self, line: str) -> str:
        """How known lines are compared: folded, inner runs of spaces collapsed."""
        return " ".join(self(line).split())


_FULL_WIDTH = {chr(0x21 + i): chr(0xFF01 + i) for i in range(94)}


@functools.cache
def _common_han() -> str:
    """GB2312 level 1 (3,755 characters): the classic list of common characters, taken from
    the codec so that no data file has to ship. It covers 96% of the 3,500-character
    list of modern Chinese (现代汉语常用字表)."""
    data = bytearray()  # one decode of the whole table: a decode per character cost ~7 ms of start-up
    for row in range(0xB0, 0xD8):
        last = 0xF9 if row == 0xD7 else 0xFE  # D7FA–D7FE are unassigned
        for col in range(0xA1, last + 1):
            data += bytes((row, col))
    return data.decode("gb2312")


@functools.cache
def rare_class() -> str:
    """A regex character class of Han characters (and look-alikes) outside the common ones.
    Written with literal characters: the parser reads thousands of `\\uXXXX` escapes slowly."""
    chars = sorted({ord(c) for c in _common_han() if "\u4e00" <= c <= "\u9fff"})
    ranges: list[str] = []
    previous = 0x4E00 - 1
    for code in [*chars, 0x9FFF + 1]:
        if code - previous > 1:
            low, high = previous + 1, code - 1
            ranges.append(chr(low) if low == high else f"{chr(low)}-{chr(high)}")
        previous = code
    # Extension A, radicals, compatibility ideographs, private use, and the supplementary planes.
    extra = "\u2e80-\u2fdf\u3400-\u4dbf\ue000-\uf8ff\uf900-\ufaff\U00020000-\U0003ffff"
    return "[" + "".join(ranges) + extra + "]"


@dataclass(frozen=True)
class LineScore:
    """A line's raw score (position not included) and the signals that made it, strongest first."""

    score: float
    signals: tuple[str, ...] = ()
    strongest: float = 0.0  # the weight of its strongest signal


NOTHING = LineScore(0.0)
CACHE_LINES = 4096


class LineScorer:
    """Scores single lines from a rule's `phrases`, `patterns`, `structure` and `known_lines`."""

    def __init__(self, spec: dict[str, Any], lazy: bool = False, large_run: bool = True) -> None:
        folds = language_default(spec, "fold_chars", "boilerplate") or {}
        self.fold = Folder({str(k): str(v) for k, v in folds.items()})
        fold = self.fold
        structure = spec.get("structure") or {}
        self.junk_weight = float(structure.get("ascii_junk", 0))
        self.rare_weight = float(structure.get("rare_chars", 0))
        self.coverage_weight = float(structure.get("coverage", 0))
        self.latin_weight = float(structure.get("latin_line", 0))
        self.sentence_weight = float(structure.get("extra_sentence", 0))
        self.clause_weight = float(structure.get("clause_break", 0))
        self.watermark_weight = float(structure.get("watermark_shape", 0))
        self.numbered_weight = float(structure.get("numbered_line", 0))
        # A signal this strong (下载文档, 仅供学习 …) outweighs a line's numbering (一、下载文档前请…).
        self.strong_signal = float(structure.get("strong_signal", float("inf")))
        self._build_phrases(spec.get("phrases") or {}, large_run)
        self.patterns = _compile_patterns(spec.get("patterns") or [], fold, lazy)
        rare = rare_class()
        self._rare_run_length = int(structure.get("rare_run", 5))
        # Scoring a line costs ~20 µs and a speech is mostly prose, so `suspects` first looks,
        # in one pass, for what a signal needs: a phrase (`triggers`), one of the `gate_chars`
        # or a rare character (one character class for both: one scan, not two).
        gate = spec.get("gate_chars")
        self.has_gate = gate is not None
        body = re.escape("".join(sorted(set(gate or "")))) + (rare[1:-1] if self.rare_weight else "")
        self.prefilter = re.compile(f"[{body}]") if body else None
        self.known = {fold.key(str(i["line"] if isinstance(i, dict) else i)) for i in spec.get("known_lines") or []}
        self.known_weight = float(spec.get("known_weight", spec.get("safe_threshold", 6)))
        suffix = spec.get("page_suffix")
        self.page_suffix = re.compile(suffix) if suffix else None
        self._cache: dict[str, LineScore] = {}

    def _build_phrases(self, raw: dict[str, Any], large_run: bool) -> None:
        """One automaton scores phrases (leftmost-longest, so that a guard like 工会会员 wins over
        会员); another finds the positive ones in any raw spelling, for the prefilter."""
        phrases = {self.fold(str(k)): float(v) for k, v in raw.items()}
        if any(not p for p in phrases):
            raise RuleSpecError("phrases 里有空词", "phrases")
        self.phrase_list = list(phrases)
        self.phrase_weights = [phrases[p] for p in self.phrase_list]
        self.labels = [f"“{p}”" for p in self.phrase_list]
        # A DFA scans faster but builds slower: worth it only when much text follows.
        dfa = ahocorasick_rs.Implementation.DFA if large_run else ahocorasick_rs.Implementation.ContiguousNFA
        self.phrases = (
            ahocorasick_rs.AhoCorasick(
                self.phrase_list, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, implementation=dfa
            )
            if phrases
            else None
        )
        weights: dict[str, float] = {}
        for phrase, weight in phrases.items():
            if weight > 0:
                for form in self.fold.spellings(phrase):
                    weights[form] = max(weight, weights.get(form, 0.0))
        triggers = sorted(weights)
        self.trigger_literals: tuple[str, ...] = tuple(triggers)
        self.trigger_weights = weights  # each spelling's weight (the strongest phrase it spells)
        self._trigger_kind = dfa

    @functools.cached_property
    def triggers(self) -> ahocorasick_rs.AhoCorasick | None:
        """The positive phrases in any spelling, for a rule that scans by itself: built on first
        use, since in a rule set the run's shared literal scan finds them (`literal_needs`)."""
        literals = self.trigger_literals
        return ahocorasick_rs.AhoCorasick(list(literals), implementation=self._trigger_kind) if literals else None

    # --- whole lines ----------------------------------------------------------------
    def score(self, line: str) -> LineScore:
        """Sum of the weights of the distinct signals found in `line`.

        Cached: a site's residue repeats verbatim from one document to the next, and so do
        titles and salutations, while scoring a line costs ~20 µs.
        """
        cached = self._cache.get(line)
        if cached is None:
            if len(self._cache) >= CACHE_LINES:
                self._cache.clear()
            cached = self._cache[line] = self._score(line)
        return cached

    def _score(self, line: str) -> LineScore:
        text = self.fold(line.strip())
        if not text:
            return NOTHING
        found: dict[str, float] = {}
        covered = 0
        if self.known and self.fold.key(line) in self.known:
            found["已知水印行"] = self.known_weight
        if self.phrases is not None:
            titles = _titles_in(text)
            for index, start, end in self.phrases.find_matches_as_indexes(text):
                if titles and any(a < start and end <= b for a, b in titles):
                    continue  # a word in the name of a work (《学人文库》) is not the page's voice
                weight = self.phrase_weights[index]
                label = self.labels[index]
                if label not in found:
                    found[label] = weight
                if weight >= 1:  # faint words (资料, 平台) do not make a line boilerplate by covering it
                    covered += end - start
        if self.patterns:
            for name, weight, pattern, needs in self.patterns:
                if needs:
                    for need in needs:
                        if need in text:
                            break
                    else:
                        continue
                match = pattern.search(text)
                if match is None:
                    continue
                if name not in found:
                    found[name] = weight
                if weight >= 1:
                    covered += sum(m.end() - m.start() for m in pattern.finditer(text, match.start()))
        if text.isascii():
            if self.junk_weight and is_ascii_junk(text):
                found["防复制乱码"] = self.junk_weight
                covered = len(text)
            elif self.latin_weight and len(_WORD.findall(text)) >= 4:
                found["英文行"] = self.latin_weight
        if self.rare_weight and not text.isascii():
            run = self.rare_run.search(text)
            if run:
                found["生僻字水印"] = self.rare_weight
                covered += run.end() - run.start()
        if not found:
            return NOTHING
        if self.sentence_weight:
            sentences = len(_SENTENCE_END.findall(text.rstrip("。 ")))
            if sentences:
                found["多句正文"] = self.sentence_weight * sentences
        if self.clause_weight:
            clauses = text.count("，") + text.count("；")
            if clauses:
                found["分句"] = self.clause_weight * clauses
        if self.coverage_weight and covered:
            share = min(1.0, covered / max(1, len(text) - text.count(" ")))
            if share >= 0.5:
                found["整行几乎都是水印用语"] = round(self.coverage_weight * share, 2)
        total = sum(found.values())
        signals = tuple(name for name, weight in sorted(found.items(), key=lambda kv: -kv[1]) if weight > 0)
        return LineScore(round(total, 2), signals, max(found.values()))

    @functools.cached_property
    def rare_run(self) -> re.Pattern[str]:
        """Compiled on first use (~7 ms for its huge class): most runs score no suspect line."""
        return re.compile(f"(?:{rare_class()}\\s*){{{self._rare_run_length},}}")

    # --- the prefilter ----------------------------------------------------------------
    @property
    def sees_every_line(self) -> bool:
        """Known lines, and patterns without a gate, leave nothing to prefilter on."""
        return bool(self.known) or (bool(self.patterns) and not self.has_gate)

    def suspects(self, text: str, phrases: bool = True) -> list[int]:
        """Offsets in `text` (unsorted) where a signal may start; `phrases=False` when the
        phrases' places are known already (the run's shared literal scan found them)."""
        found = [start for _, start, _ in find_all(self.triggers, text)] if phrases and self.triggers else []
        if self.prefilter is not None:
            found += [m.start() for m in self.prefilter.finditer(text)]
        return found

    # --- a suffix glued to an otherwise normal line ----------------------------------
    def could_end_suffix(self, last: str) -> bool:
        """Can a line ending in `last` carry a glued suffix? (One test per line on the hot path.)"""
        return last in _SUFFIX_ENDS or (bool(self.junk_weight) and "!" <= last <= "~")

    def glued_suffix(self, line: str) -> tuple[int, str] | None:
        """Start (in `line`) and label of a page number or anti-copy junk glued to the end of
        an otherwise normal line, e.g. `在全县党建工作会议上的讲话 第1页 共3页`."""
        stripped = line.rstrip()
        if not stripped:
            return None
        last = stripped[-1]
        if self.page_suffix is not None and last in _SUFFIX_ENDS:
            match = self.page_suffix.search(self.fold(line))
            if match and line[: match.start()].strip():
                return match.start(), "页码"
        if self.junk_weight and "!" <= last <= "~":
            match = _JUNK_TAIL.search(line)
            if match and is_ascii_junk(match.group().strip()) and line[: match.start()].strip():
                return match.start(), "防复制乱码"
        return None


_SUFFIX_ENDS = frozenset("页)）]】 \t")


class _LazyPattern:
    """A shipped pattern, compiled when a line first needs it: most runs score few lines, and
    compiling all of them cost ~40 ms of a one-file run."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return getattr(self.compiled, name)


def _compile_patterns(
    items: list[dict[str, Any]], fold: Folder, lazy: bool = False
) -> list[tuple[str, float, re.Pattern[str] | _LazyPattern, tuple[str, ...]]]:
    """(label, weight, regex, needs) for each pattern. Each is compiled alone: one alternation
    of them all cannot skip ahead by its first character and cost ~100 µs a line. `needs`
    lists strings one of which must be in the line for the pattern to be tried at all.
    `lazy` (shipped, tested packs only) defers compilation to first use."""
    compiled: list[tuple[str, float, re.Pattern[str] | _LazyPattern, tuple[str, ...]]] = []
    for index, item in enumerate(items):
        try:
            regex = _LazyPattern(item["pattern"]) if lazy else re.compile(item["pattern"])
        except re.error as exc:
            raise RuleSpecError(f"正则表达式无法编译：{exc}", f"patterns.{index}.pattern") from None
        needs = tuple(fold(str(n)) for n in item.get("needs", ()))
        compiled.append((item.get("name") or item["pattern"], float(item["weight"]), regex, needs))
    return compiled


def _titles_in(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 in `text` (the marks' offsets), usually none."""
    if "《" not in text:
        return []
    return [(m.start(), m.end() - 1) for m in _TITLE.finditer(text)]


_TITLE = re.compile(r"《[^《》]{1,60}》")
_JUNK_TAIL = re.compile(r"(?<=[^\x00-\x7f])[ \t]*(?:[!-~]{1,4}[ \t]+){3,}[!-~]{1,4}[ \t]*$")
_SENTENCE_END = re.compile(r"。(?=.)")
_WORD = re.compile(r"[a-z]{2,}")
_SYMBOLS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def is_ascii_junk(text: str) -> bool:
    """Forums defeat copying by inserting lines of random short ASCII tokens
    (`# y8 g$ ]; z. n2 [$ b' S`): at least four tokens of one to four characters, mixing
    letters and symbols. Words, numbers and page numbers (`Page 1 of 3`) do not qualify."""
    tokens = text.split()
    if len(tokens) < 4 or any(len(t) > 4 for t in tokens):
        return False
    letters = sum(1 for c in text if c.isalpha())
    symbols = sum(1 for c in text if c in _SYMBOLS)
    return letters >= 2 and symbols >= 2 and symbols + letters >= len(tokens)
