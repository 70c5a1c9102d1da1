"""Edit distance for near-misses of short Chinese strings, with the kind of each edit counted.

Used by the `canonical` and `consistency` rule types. A plain distance is not enough:
precision depends on *which* edits were made. A dropped character (社会思想 for
社会主义思想) is almost always a slip, while two substituted or inserted characters often
make another correct term (法治体系 / 法律体系, 社会主义道路 / 社会主义法治道路), so callers
bound substitutions and insertions separately from the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# Punctuation and spaces do not count as differences: “四个意识” and "四个意识" are the same
# formulation, and quotation-mark style is the punctuation rules' business.
PUNCTUATION = "，。、；：？！,.;:?!“”‘’\"'＂＇（）()《》〈〉【】[]「」『』—–-－…·•　 \t"
_DELETE_PUNCTUATION = str.maketrans("", "", PUNCTUATION)


def strip_punctuation(text: str) -> str:
    """`text` without punctuation or spaces: what a formulation is compared on."""
    return text.translate(_DELETE_PUNCTUATION)


class Edits(NamedTuple):
    """How `seen` differs from `target`: counts of each kind of edit (a swap is one edit).

    A named tuple (not a dataclass) because thousands are made per megabyte and compared by
    (total, subs, …) order.
    """

    total: int
    subs: int = 0
    ins: int = 0
    dels: int = 0
    swaps: int = 0
    dropped_word: bool = False


@dataclass(frozen=True)
class Limits:
    """The edits a near-miss may have; anything more is taken to be a different, correct text."""

    total: int
    subs: int = 1
    ins: int = 1
    word_drop: int = 0  # an interior run of up to this many characters may be missing, as one edit
    run: int = 1  # longest run of adjacent missing characters (a dropped two-character modifier
    #              often leaves a correct, more general term: 社会主义法治道路 → 社会主义道路)


def common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it)."""
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def near_miss(target: str, seen: str, limits: Limits) -> Edits | None:
    """The edits turning `target` into `seen` if within `limits`; None if equal or too far.

    Common prefix and suffix are stripped first (that never changes the distance), so the
    dynamic programme only runs on the few characters that differ.
    """
    if abs(len(target) - len(seen)) > max(limits.total, limits.word_drop):
        return None
    prefix, suffix = common_affixes(target, seen)
    a = target[prefix : len(target) - suffix]
    b = seen[prefix : len(seen) - suffix]
    if not a and not b:
        return None
    if not b and len(a) > 1:
        if len(a) <= limits.word_drop and prefix and suffix:
            return Edits(1, dels=len(a), dropped_word=True)
        if len(a) > limits.run:
            return None
    edits = _simple(a, b) or _osa(a, b, limits.total)
    if edits is None or edits.total > limits.total or edits.subs > limits.subs or edits.ins > limits.ins:
        return None
    return edits


def _simple(a: str, b: str) -> Edits | None:
    """The common shapes of a slip, without search: one changed, missing, added or swapped pair."""
    if not b:
        return Edits(len(a), dels=len(a))
    if not a:
        return Edits(len(b), ins=len(b))
    if len(a) == 1 and len(b) == 1:
        return Edits(1, subs=1)
    if len(a) == 2 and len(b) == 2 and a[0] == b[1] and a[1] == b[0]:
        return Edits(1, swaps=1)
    return None


def _osa(a: str, b: str, bound: int) -> Edits | None:
    """Optimal-string-alignment edits from `a` to `b` with their kinds, or None if more than `bound`.

    With a bound of one or two, trying the four edits at the first mismatch and recursing is
    exact and much cheaper than a full table. Among alignments of equal length the one with
    fewest substitutions wins: a swap or a dropped character explains a slip better.
    """
    best = _bounded(a, b, bound)
    if best is None:
        return None
    total, subs, ins, dels, swaps = best
    return Edits(total, subs, ins, dels, swaps)


_Counts = tuple[int, int, int, int, int]  # total, subs, ins, dels, swaps


def _bounded(a: str, b: str, budget: int) -> _Counts | None:
    if abs(len(a) - len(b)) > budget:
        return None
    limit = min(len(a), len(b))
    i = 0
    while i < limit and a[i] == b[i]:
        i += 1
    if i == len(a) and i == len(b):
        return (0, 0, 0, 0, 0)
    if budget == 0:
        return None
    a, b = a[i:], b[i:]
    options: list[_Counts] = []

    def attempt(rest_a: str, rest_b: str, kind: int) -> None:
        found = _bounded(rest_a, rest_b, budget - 1)
        if found is not None:
            counts = list(found)
            counts[0] += 1
            counts[kind] += 1
            options.append((counts[0], counts[1], counts[2], counts[3], counts[4]))

    if a and b:
        attempt(a[1:], b[1:], 1)
        if len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0]:
            attempt(a[2:], b[2:], 4)
    if a:
        attempt(a[1:], b, 3)
    if b:
        attempt(a, b[1:], 2)
    return min(options) if options else None


def transplant(canonical: str, written: str) -> str:
    """`written` corrected to `canonical`, keeping the writer's own text where the two agree.

    Only the characters between the common prefix and suffix (compared without punctuation)
    are taken from `canonical`, so the writer's quotation marks and commas elsewhere stay.
    """
    canon_at = [i for i, ch in enumerate(canonical) if ch not in PUNCTUATION]
    written_at = [i for i, ch in enumerate(written) if ch not in PUNCTUATION]
    canon_core = "".join(canonical[i] for i in canon_at)
    written_core = "".join(written[i] for i in written_at)
    prefix, suffix = common_affixes(canon_core, written_core)

    def cuts(raw: str, at: list[int]) -> tuple[int, int]:
        head = at[prefix - 1] + 1 if prefix else 0
        tail = at[len(at) - suffix] if suffix else len(raw)
        return head, tail

    canon_head, canon_tail = cuts(canonical, canon_at)
    written_head, written_tail = cuts(written, written_at)
    return written[:written_head] + canonical[canon_head:canon_tail] + written[written_tail:]


def substituted_pairs(target: str, seen: str) -> list[tuple[str, str, int]]:
    """(target char, seen char, its index in `seen`) for each character an alignment of the two
    substitutes, for near-misses of at most two edits: which characters a writer typed in place of
    which. A swap of two adjacent characters is not a substitution."""
    prefix, suffix = common_affixes(target, seen)
    a, b = target[prefix : len(target) - suffix], seen[prefix : len(seen) - suffix]
    if len(a) == len(b):
        if len(a) == 2 and a == b[::-1]:
            return []
        return [(x, y, prefix + i) for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    best: list[tuple[str, str, int]] | None = None
    if len(a) > len(b):  # a character of the target dropped: try each
        for skip in range(len(a)):
            rest = a[:skip] + a[skip + 1 :]
            if len(rest) == len(b):
                pairs = [(x, y, prefix + i) for i, (x, y) in enumerate(zip(rest, b, strict=True)) if x != y]
                best = pairs if best is None or len(pairs) < len(best) else best
    else:  # a character inserted: try each place in what was seen
        for skip in range(len(b)):
            rest = b[:skip] + b[skip + 1 :]
            if len(rest) == len(a):
                pairs = [
                    (x, y, prefix + i + (i >= skip)) for i, (x, y) in enumerate(zip(a, rest, strict=True)) if x != y
                ]
                best = pairs if best is None or len(pairs) < len(best) else best
    return best or []
