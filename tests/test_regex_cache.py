"""The on-disk cache of compiled regexes: the same pattern back, never anything else."""

from __future__ import annotations

import pickle

import pytest
import regex

from speechlint.cache import _digest, cached_regex

SURNAME_BLANK = r"\L<surname>(?<!\L<word_end>)某某"
LISTS = {"surname": ["王", "方"], "word_end": ["双方", "地方"]}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("SPEECHLINT_CACHE_DIR", str(directory))
    monkeypatch.delenv("SPEECHLINT_NO_CACHE", raising=False)
    return directory


def entries(directory):
    return sorted(directory.glob("re-*.pickle"))


def spans(pattern, text="王某某与双方某某到场"):
    return [m.span() for m in pattern.finditer(text)]


def test_a_cached_pattern_is_loaded_without_compiling_again(cache, monkeypatch):
    first = cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    assert len(entries(cache)) == 1

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again instead of loaded from the cache")

    monkeypatch.setattr(regex, "compile", no_compiling)
    second = cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    assert second.pattern == SURNAME_BLANK
    assert spans(second) == spans(first) == [(0, 3)]


def test_named_lists_and_flags_are_part_of_the_key(cache):
    assert spans(cached_regex(r"\L<a>", regex.V1, {"a": ["甲"]}), "甲乙") == [(0, 1)]
    assert spans(cached_regex(r"\L<a>", regex.V1, {"a": ["乙"]}), "甲乙") == [(1, 2)]
    assert spans(cached_regex("x", regex.V1), "xX") == [(0, 1)]
    assert spans(cached_regex("x", regex.V1 | regex.IGNORECASE), "xX") == [(0, 1), (1, 2)]
    assert len(entries(cache)) == 4


class _Payload:
    ran: list[str] = []  # noqa: RUF012

    def __reduce__(self):
        return (_Payload.ran.append, ("code ran",))


@pytest.mark.parametrize(
    "planted",
    [
        b"not a pickle",
        pickle.dumps(_Payload()),
        _digest(pickle.dumps(_Payload())) + pickle.dumps(_Payload()),  # even with a valid digest
        _digest(pickle.dumps("某某")) + pickle.dumps("某某"),
    ],
)
def test_a_tampered_or_corrupt_entry_is_compiled_afresh_and_never_run(cache, planted):
    cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    (entry,) = entries(cache)
    entry.write_bytes(planted)
    pattern = cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    assert spans(pattern) == [(0, 3)]
    assert _Payload.ran == []
    assert entry.read_bytes() != planted  # rewritten with the real pattern


def test_a_pattern_that_does_not_compile_raises_and_caches_nothing(cache):
    with pytest.raises(regex.error):
        cached_regex("(未闭合", regex.V1)
    assert entries(cache) == []


def test_no_cache_when_switched_off(cache, monkeypatch):
    monkeypatch.setenv("SPEECHLINT_NO_CACHE", "1")
    assert spans(cached_regex(SURNAME_BLANK, regex.V1, LISTS)) == [(0, 3)]
    assert not cache.exists()


def test_an_unwritable_cache_directory_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("SPEECHLINT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("SPEECHLINT_NO_CACHE", raising=False)
    assert spans(cached_regex(SURNAME_BLANK, regex.V1, LISTS)) == [(0, 3)]


@pytest.mark.parametrize("where", [25, 60, -3])
def test_a_damaged_compiled_pattern_is_never_handed_to_regex(cache, where):
    """A flipped byte in the compiled code could crash `regex` or change what matches: the
    entry's digest no longer fits, so the pattern is compiled afresh."""
    cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    (entry,) = entries(cache)
    data = bytearray(entry.read_bytes())
    data[where] ^= 0x55
    entry.write_bytes(bytes(data))
    assert spans(cached_regex(SURNAME_BLANK, regex.V1, LISTS)) == [(0, 3)]
    assert entry.read_bytes() != bytes(data)


def test_another_regex_version_gets_its_own_entry(cache, monkeypatch):
    cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    monkeypatch.setattr(regex, "__version__", "0.0.0")
    cached_regex(SURNAME_BLANK, regex.V1, LISTS)
    assert len(entries(cache)) == 2
    assert not list(cache.glob("*.tmp"))
