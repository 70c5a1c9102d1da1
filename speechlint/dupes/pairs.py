"""How much of each document a pair of documents shares.

Counted from the passages: for documents a and b, the characters of a that lie in passages
b holds too, over a's length. A passage held by very many documents (an advertising block
in thousands of files) says nothing about any one pair and would make the table quadratic,
so passages with more than `max_docs` documents are left out of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from speechlint.dupes.corpus import SharedPassage


@dataclass(frozen=True)
class PairShare:
    """How much of two documents is shared text, in characters and as a share of each."""

    a: int
    b: int
    chars_a: int  # characters of a shared with b
    chars_b: int
    share_a: float  # chars_a / length of a
    share_b: float


def pair_shares(passages: list[SharedPassage], lengths: list[int], max_docs: int = 50) -> list[PairShare]:
    """Every pair of documents sharing a passage of at most `max_docs` documents, largest share first."""
    shared: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for passage in passages:
        if passage.docs > max_docs:
            continue
        per_doc: dict[int, int] = defaultdict(int)
        for place in passage.places:
            per_doc[place.doc] += place.chars
        for a, b in combinations(sorted(per_doc), 2):
            pair = shared[(a, b)]
            pair[0] += per_doc[a]
            pair[1] += per_doc[b]
    rows = [
        PairShare(a, b, ca, cb, min(1.0, ca / max(1, lengths[a])), min(1.0, cb / max(1, lengths[b])))
        for (a, b), (ca, cb) in shared.items()
    ]
    rows.sort(key=lambda r: (-max(r.share_a, r.share_b), r.a, r.b))
    return rows
