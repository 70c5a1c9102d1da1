"""`duplicate` rules: passages repeated inside a document (`scope: within`) or shared
between documents (`scope: across`), matched on characters after normalisation.

`within` runs on each document: exact k-gram matching, so a pasted paragraph is found
whatever its length beyond `min_chars`; a verbatim repeated paragraph gets an unsafe fix
that deletes the later copy. `across` keeps winnowed fingerprints of each document and
reports each shared passage once, at its first copy, with every other copy as a related
location; it runs only when more than one document is checked.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from speechlint.dupes.phrases import SetPhrases, read_phrase_file
from speechlint.dupes.within import Repeat, find_repeats
from speechlint.model import Finding, RelatedLocation, RuleMeta
from speechlint.ruletypes.base import BuildContext, CorpusFinding, LintInput, Rule, RuleSpecError, register

# Below this many characters checked in a run, and while NumPy is not yet imported, the
# pure-Python path is used: importing NumPy (~70 ms) costs more than hashing a few speeches.
PURE_PYTHON_BUDGET = 60_000
EXCERPT = 16


@register("duplicate")
class DuplicateRule(Rule):
    """Repeated passages; `scope` picks the per-document or the corpus engine."""

    spec_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "scope": {"enum": ["within", "across"]},
            "k": {"type": "integer", "minimum": 4, "maximum": 64},
            "min_chars": {"type": "integer", "minimum": 8},
            "max_gap": {"type": "integer", "minimum": 0},
            "window": {"type": "integer", "minimum": 1, "maximum": 256},
            "min_docs": {"type": "integer", "minimum": 2},
            "max_related": {"type": "integer", "minimum": 1},
            "set_phrases": {"type": "array", "items": {"type": "string"}},
            "set_phrases_file": {"type": "string"},
        },
        "required": ["scope"],
    }

    def __new__(cls, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> DuplicateRule:
        if cls is DuplicateRule and spec.get("scope") == "across":
            cls = AcrossDuplicateRule
        return super().__new__(cls)

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.k = int(spec.get("k", 13))
        self.min_chars = int(spec.get("min_chars", 40))
        if self.min_chars < self.k:
            raise RuleSpecError(f"min_chars（{self.min_chars}）不能小于 k（{self.k}）", "min_chars")
        self.max_gap = int(spec.get("max_gap", self.k))
        phrases = list(spec.get("set_phrases", []))
        if spec.get("set_phrases_file"):
            path = ctx.resolve(spec["set_phrases_file"])
            try:
                phrases.extend(read_phrase_file(path))
            except OSError as exc:
                raise RuleSpecError(f"无法读取规范提法列表 {path}：{exc.strerror}", "set_phrases_file") from None
        self.phrase_list = phrases
        self.phrases = SetPhrases(phrases)
        self._checked_chars = 0

    def _use_numpy(self, length: int) -> bool:
        self._checked_chars += length
        return "numpy" in sys.modules or self._checked_chars > PURE_PYTHON_BUDGET

    def _keep(self, chars: str) -> bool:
        return self.phrases.has_own_run(chars, self.k)

    def check(self, doc: LintInput) -> Iterator[Finding]:
        text = doc.text
        use_numpy = self._use_numpy(len(text))
        keep = self._keep if self.phrases else None
        for repeat in find_repeats(
            text, self.k, self.min_chars, self.max_gap, use_numpy, keep, lambda: normalised_codes(doc)
        ):
            yield self._finding(text, repeat)

    def _finding(self, text: str, repeat: Repeat) -> Finding:
        line = text.count("\n", 0, repeat.earlier[0]) + 1
        start, end = repeat.later
        paragraph = _repeated_paragraph(text, repeat)
        related = [RelatedLocation(repeat.earlier[0], repeat.earlier[1], message="首次出现")]
        fields = {
            "chars": str(repeat.chars),
            "line": str(line),
            "how": "完全相同" if repeat.exact else "几乎相同",
            "excerpt": _excerpt(text[start:end]),
        }
        if paragraph is None:
            return self.finding(start, end, text[start:end], related=related, **fields)
        p_start, p_end = paragraph
        return self.finding(p_start, p_end, text[start:end], replacement="", related=related, **fields)


def _repeated_paragraph(text: str, repeat: Repeat) -> tuple[int, int] | None:
    """The span to delete when the later copy is whole lines identical to the earlier ones.

    The span takes the line break after the copy (before it, at the end of the text), so
    deleting it leaves no empty line.
    """
    if not repeat.exact:
        return None
    line_start = text.rfind("\n", 0, repeat.later[0]) + 1
    line_end = text.find("\n", repeat.later[1])
    line_end = len(text) if line_end == -1 else line_end
    first_start = text.rfind("\n", 0, repeat.earlier[0]) + 1
    first_end = text.find("\n", repeat.earlier[1])
    if first_end == -1 or first_end >= line_start:
        return None
    later_block = text[line_start:line_end].strip()
    if later_block != text[first_start:first_end].strip():
        return None
    from speechlint.dupes.normalise import normalise

    if len(normalise(later_block).chars) != repeat.chars:
        return None  # the lines hold more than the repeated passage
    if line_end < len(text):
        return line_start, line_end + 1
    return line_start - 1, line_end


def _excerpt(passage: str) -> str:
    flat = "".join(passage.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT] + "……"


@dataclass
class _Pending:
    """The first document's text, hashed only if a second document arrives."""

    text: str


def normalised_codes(doc: LintInput) -> Any:
    """`normalise_array(doc.text)`, computed once per document for both duplicate rules."""
    from speechlint.dupes.normalise import normalise_array

    return doc.memo("dupes.normalised", lambda: normalise_array(doc.text))


class AcrossDuplicateRule(DuplicateRule):
    """Passages shared between documents, from per-document fingerprints."""

    corpus_aware: ClassVar[bool] = True

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.window = int(spec.get("window", 8))
        self.min_docs = int(spec.get("min_docs", 2))
        self.max_related = int(spec.get("max_related", 50))
        self._summaries = 0

    def check(self, doc: LintInput) -> Iterator[Finding]:
        return iter(())

    def summarize(self, doc: LintInput) -> Any:
        """Fingerprints; the first document waits as text so that a one-file run never hashes."""
        self._summaries += 1
        if self._summaries == 1:
            return _Pending(doc.text)
        return self._prints(doc.text, normalised_codes(doc))

    def _prints(self, text: str, normalised: Any = None):
        from speechlint.dupes.fingerprint import fingerprint

        return fingerprint(text, self.k, self.window, self.phrases, normalised)

    def corpus_findings(self, summaries: list[tuple[str, Any]]) -> Iterator[CorpusFinding]:
        if len(summaries) < 2:
            return
        from speechlint.dupes.corpus import find_shared

        paths = [path for path, _ in summaries]
        prints = [self._prints(s.text) if isinstance(s, _Pending) else s for _, s in summaries]
        for passage in find_shared(prints, self.k, self.window, self.min_chars, self.min_docs):
            first, others = passage.places[0], passage.places[1:]
            related = []
            for place in others[: self.max_related]:
                line, column = prints[place.doc].line_col(place.start)
                end_line, end_column = prints[place.doc].line_col(place.end)
                related.append(
                    RelatedLocation(
                        place.start,
                        place.end,
                        paths[place.doc],
                        f"{place.chars} 字",
                        line,
                        column,
                        end_line,
                        end_column,
                    )
                )
            fields = {
                "chars": str(passage.chars),
                "docs": str(passage.docs),
                "places": str(len(passage.places)),
                "more": f"（另有 {len(others) - self.max_related} 处未列出）" if len(others) > self.max_related else "",
            }
            finding = self.finding(first.start, first.end, "", related=related, **fields)
            yield CorpusFinding(paths[first.doc], finding)
