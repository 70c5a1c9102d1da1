"""`consistency` rules: one document should not spell the same thing two ways.

Two checks, each optional in a rule:
- `groups`: configured variant spellings (账号/帐号, 其他/其它). When a document uses more
  than one form of a group, the other forms are reported with the group's norm (`prefer`) as
  the suggestion, or else the form the document uses most. A document that sticks to one form
  is left alone: a wrong form used throughout is the typo rules' business.
- `quoted`: terms in quotation marks (“双战双赢”) that differ in exactly one character from
  another quoted term of the same document. The rare form is reported with the common one as
  an unsafe suggestion. Precision guards, because many such pairs are different correct
  terms (“六稳”/“六保”, “智慧党建”/“智慧团建”): a minimum length, the rare form at most
  `max_minority` times against a common form seen at least `min_majority` times and at
  least twice as often, no
  numeral-led enumerations (“四个不摘”/“四个不准”), no pair that differs in a numeral
  (“十三五”/“十四五”), and a list of known `distinct` pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import ahocorasick_rs
import regex

from speechlint.model import Applicability, Finding, RuleMeta
from speechlint.resources import language_default
from speechlint.ruletypes.accel import find_all
from speechlint.ruletypes.base import BuildContext, DocumentRule, LintInput, RuleSpecError, register

# What a quoted term is, typographically: text between Chinese double quotation marks.
QUOTED_PATTERN = r"“([^“”\n]{2,16})”"


@dataclass(frozen=True)
class Group:
    """Spellings of one thing; `prefer` is the norm when there is one."""

    forms: tuple[str, ...]
    prefer: str | None
    note: str


@register("consistency")
class ConsistencyRule(DocumentRule):
    """Report the minority spelling where one document uses two."""

    spec_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "groups": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "forms": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 2},
                        "prefer": {"type": "string"},
                        "note": {"type": "string"},
                        "except": {"type": "array", "items": {"type": "string", "minLength": 2}},
                    },
                    "required": ["forms"],
                    "additionalProperties": False,
                },
            },
            "quoted": {
                "type": "object",
                "properties": {
                    "min_length": {"type": "integer", "minimum": 2},
                    "max_minority": {"type": "integer", "minimum": 1},
                    "min_majority": {"type": "integer", "minimum": 1},
                    "numerals": {"type": "string"},
                    "sentence_end": {"type": "string"},
                    "contrast_window": {"type": "integer", "minimum": 0},
                    "pattern": {"type": "string", "minLength": 1},
                    "distinct": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                    },
                },
                "additionalProperties": False,
            },
        },
        "anyOf": [{"required": ["groups"]}, {"required": ["quoted"]}],
    }

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.groups: list[Group] = []
        self.form_group: dict[str, int] = {}
        guards: list[str] = []
        for index, raw in enumerate(spec.get("groups", [])):
            group = _group(raw, index)
            for form in group.forms:
                if form in self.form_group:
                    raise RuleSpecError(f"写法“{form}”出现在两个组中", f"groups.{index}.forms")
                self.form_group[form] = len(self.groups)
            guards.extend(_guards(raw, group, index))
            self.groups.append(group)
        self.forms = list(self.form_group)
        self.automaton = (
            ahocorasick_rs.AhoCorasick(self.forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self.forms
            else None
        )
        self.guards = ahocorasick_rs.AhoCorasick(guards) if guards else None
        quoted = spec.get("quoted")
        self.quoted = quoted is not None
        quoted = quoted or {}
        self.min_length = int(quoted.get("min_length", 4))
        self.max_minority = int(quoted.get("max_minority", 2))
        self.min_majority = int(quoted.get("min_majority", 2))
        self.distinct = {frozenset(pair) for pair in quoted.get("distinct", [])}
        # Numerals (from the pack): a numeral-led enumeration or a numeral difference names
        # different things, never a slip.
        self.numerals = frozenset(str(language_default(quoted, "numerals") or ""))
        # Two terms within this many characters of each other in one sentence are set side by
        # side on purpose (“以言代法”、“以权代法”; “法制”修改为“法治”): contrasted, not a slip.
        self.contrast_window = int(quoted.get("contrast_window", 0))
        self.sentence_end = frozenset(str(language_default(quoted, "sentence_end") or "")) | {
            "\n"
        }  # a line ends one too
        try:
            self.quoted_pattern = regex.compile(str(quoted.get("pattern", QUOTED_PATTERN)))
        except regex.error as exc:
            raise RuleSpecError(f"正则表达式无法编译：{exc}", "quoted.pattern") from None

    def check(self, doc: LintInput) -> Iterator[Finding]:
        if self.automaton is not None:
            yield from self._check_groups(doc.text)
        if self.quoted:
            yield from self._check_quoted(doc.text)

    # --- configured groups ---------------------------------------------------------------
    def _check_groups(self, text: str) -> Iterator[Finding]:
        assert self.automaton is not None
        hits = find_all(self.automaton, text)
        if len(hits) < 2:
            return
        if self.guards is not None:
            guarded = [(s, e) for _, s, e in find_all(self.guards, text, overlapping=True)]
            hits = [h for h in hits if not any(s <= h[1] and h[2] <= e for s, e in guarded)]
        used: dict[int, Counter[str]] = {}
        for pattern, _, _ in hits:
            form = self.forms[pattern]
            used.setdefault(self.form_group[form], Counter())[form] += 1
        for group_index, counts in used.items():
            if len(counts) < 2:
                continue
            group = self.groups[group_index]
            target = group.prefer if group.prefer else _majority(counts, group.forms)
            applicability = Applicability.SAFE if group.prefer else Applicability.UNSAFE
            for pattern, start, end in hits:
                form = self.forms[pattern]
                if self.form_group[form] != group_index or form == target:
                    continue
                yield self.finding(start, end, form, target, applicability=applicability, fields={"note": group.note})

    # --- quoted terms --------------------------------------------------------------------
    def _check_quoted(self, text: str) -> Iterator[Finding]:
        terms = {m for m in self.quoted_pattern.findall(text) if len(m) >= self.min_length}
        if len(terms) < 2:
            return
        pairs = list(_one_apart(sorted(terms)))
        if not pairs:
            return
        places = _occurrences(text, sorted({term for pair in pairs for term in pair}))  # quoted or not
        counts = {term: len(at) for term, at in places.items()}
        reported: set[str] = set()
        for minority, majority in pairs:
            for rare, common in ((minority, majority), (majority, minority)):
                if rare in reported or not self._suspicious(rare, common, counts):
                    continue
                if self._contrasted(text, places[rare], places[common], len(rare)):
                    continue
                reported.add(rare)
                for start in places[rare]:
                    yield self.finding(
                        start,
                        start + len(rare),
                        rare,
                        common,
                        applicability=Applicability.UNSAFE,
                        fields={"count": str(counts[common])},
                    )

    def _contrasted(self, text: str, rare_at: list[int], common_at: list[int], length: int) -> bool:
        """Does the rare term stand next to the common one in the same sentence?"""
        window = self.contrast_window
        if not window:
            return False
        for r in rare_at:
            for c in common_at:
                low, high = (r + length, c) if r < c else (c + length, r)
                if 0 <= high - low <= window and not any(ch in self.sentence_end for ch in text[low:high]):
                    return True
        return False

    def _suspicious(self, rare: str, common: str, counts: dict[str, int]) -> bool:
        if counts[rare] > self.max_minority or counts[common] < self.min_majority:
            return False
        if counts[common] < 2 * counts[rare]:
            return False  # 2 against 3 is a choice between two terms, not a slip
        if frozenset((rare, common)) in self.distinct:
            return False
        numerals = self.numerals
        if rare[0] in numerals or common[0] in numerals:
            return False  # 四个不摘 / 四个不准: numbered enumerations name different things
        return not any(a != b and (a in numerals or b in numerals) for a, b in zip(rare, common, strict=True))


def _group(raw: dict[str, Any], index: int) -> Group:
    forms = tuple(str(f) for f in raw["forms"])
    if len(set(forms)) != len(forms):
        raise RuleSpecError("同一组内写法重复", f"groups.{index}.forms")
    prefer = raw.get("prefer")
    if prefer is not None and prefer not in forms:
        raise RuleSpecError(f"prefer “{prefer}” 不在 forms 中", f"groups.{index}.prefer")
    return Group(forms, prefer, str(raw.get("note", "")))


def _guards(raw: dict[str, Any], group: Group, index: int) -> list[str]:
    """Longer correct strings that contain a form (思想像 holds 想像) and must not count."""
    guards = [str(g) for g in raw.get("except", [])]
    for guard in guards:
        if not any(form in guard for form in group.forms):
            raise RuleSpecError(f"例外“{guard}”不包含本组任何写法，永远不会生效", f"groups.{index}.except")
    return guards


def _occurrences(text: str, terms: list[str]) -> dict[str, list[int]]:
    """Where each term occurs in `text` (non-overlapping, as `str.count` counts): a few `find`
    loops, or one scan for many terms (a long document can hold thousands of quoted terms)."""
    places: dict[str, list[int]] = {term: [] for term in terms}
    if len(terms) <= 8:
        for term in terms:
            at = text.find(term)
            while at >= 0:
                places[term].append(at)
                at = text.find(term, at + len(term))
        return places
    longest = max(len(term) for term in terms)
    for index, start, _ in find_all(ahocorasick_rs.AhoCorasick(terms), text, overlapping=True, longest=longest):
        term = terms[index]
        found = places[term]
        if not found or start >= found[-1] + len(term):
            found.append(start)
    return places


def _majority(counts: Counter[str], order: tuple[str, ...]) -> str:
    """The most used form; a tie goes to the form listed first."""
    return max(order, key=lambda form: (counts.get(form, 0), -order.index(form)))


def _one_apart(terms: list[str]) -> Iterator[tuple[str, str]]:
    """Pairs of equal-length terms differing in exactly one position, each pair once.

    Two such terms agree on their first half or on their second: each term is filed under its
    two halves, and only terms sharing a bucket are compared.
    """
    buckets: dict[tuple[int, bool, str], list[str]] = {}
    for term in terms:
        middle = len(term) // 2
        buckets.setdefault((len(term), True, term[:middle]), []).append(term)
        buckets.setdefault((len(term), False, term[middle:]), []).append(term)
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) not in seen and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
                    seen.add((a, b))
                    yield a, b
