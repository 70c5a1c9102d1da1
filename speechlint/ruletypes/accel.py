"""Performance switches shared by every rule type, so that no type decides them on its own.

Two trade-offs recur: an Aho-Corasick DFA scans ~1.5x faster than the contiguous NFA but
takes ~4x longer to build (worth it only when much text follows), and compiling a shipped
rule's regexes or tables costs start-up time that a one-file run may never need. Both are
decided here from the run's `BuildContext`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import ahocorasick_rs

from speechlint.ruletypes.base import BuildContext

T = TypeVar("T")


def automaton(
    patterns: Iterable[str], ctx: BuildContext | None = None, *, longest: bool = True
) -> ahocorasick_rs.AhoCorasick:
    """One Aho-Corasick automaton over `patterns`.

    `longest`: leftmost-longest matching (a longer guard such as 工会会员 wins over 会员);
    otherwise standard matching, which also allows overlapping searches.
    """
    large = ctx is None or ctx.large_run
    implementation = ahocorasick_rs.Implementation.DFA if large else ahocorasick_rs.Implementation.ContiguousNFA
    kind = ahocorasick_rs.MatchKind.LeftmostLongest if longest else ahocorasick_rs.MatchKind.Standard
    return ahocorasick_rs.AhoCorasick(list(patterns), matchkind=kind, implementation=implementation)


class Deferred(Generic[T]):
    """A value built on first use, or at once.

    A shipped pack is tested, so its compilation may wait until a document needs it: a
    one-file run then compiles only the rules it uses. A user's rule is built at once, so
    that a mistake (a regex that does not compile) is reported at load time with its line.
    """

    __slots__ = ("_build", "_value")

    def __init__(self, build: Callable[[], T], *, defer: bool = True) -> None:
        self._build: Callable[[], T] | None = build
        self._value: T | None = None
        if not defer:
            self.get()

    @classmethod
    def for_context(cls, ctx: BuildContext, build: Callable[[], T]) -> Deferred[T]:
        """Deferred for trusted (shipped) packs, built now for everyone else's."""
        return cls(build, defer=ctx.trusted)

    @property
    def built(self) -> bool:
        return self._build is None

    def get(self) -> T:
        if self._build is not None:
            self._value = self._build()
            self._build = None
        return self._value  # type: ignore[return-value]

    def replace(self, value: T) -> None:
        """Use `value` instead (a type's `combine` sharing one structure between rules)."""
        self._value = value
        self._build = None
