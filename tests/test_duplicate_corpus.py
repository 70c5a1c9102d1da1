"""Passages shared between documents: `duplicate.across` in `check`, and `speechlint dupes`."""

from __future__ import annotations

from speechlint.dupes.corpus import find_shared
from speechlint.dupes.fingerprint import fingerprint
from speechlint.dupes.hashing import kgram_hashes, winnow
from speechlint.dupes.phrases import SetPhrases, read_phrase_file
from speechlint.rulesets import default_rules_dir
from tests.conftest import FIXTURES, SEEDS

CORPUS = FIXTURES / "duplicates" / "corpus"
AD_START = "仅供学习 禁止外传"


def test_winnowing_keeps_a_shared_fingerprint_for_every_long_enough_match():
    import numpy as np

    from speechlint.dupes.normalise import normalise_array

    shared = "要大力推进机关作风整顿持续发力优化发展环境"  # 21 characters ≥ w + k − 1 = 20
    a, _ = normalise_array("开头不同的文字甲乙丙" + shared + "结尾也不同一二三四")
    b, _ = normalise_array("完全另外的开篇子丑寅卯辰" + shared + "别的结尾")
    ha, hb = kgram_hashes(a, 13), kgram_hashes(b, 13)
    assert set(ha[winnow(ha, 8)].tolist()) & set(hb[winnow(hb, 8)].tolist())
    assert len(winnow(ha, 8)) < len(ha) / 2
    assert np.array_equal(kgram_hashes(a, 13), kgram_hashes(a.copy(), 13))


def test_seed_ad_header_is_shared_by_seeds_002_and_003_only():
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    phrases = SetPhrases(read_phrase_file(default_rules_dir() / "data" / "set_phrases.txt"))
    passages = find_shared([fingerprint(t, 13, 8, phrases) for t in texts], 13, 8, 40)
    assert len(passages) == 1
    [passage] = passages
    assert {seeds[p.doc].name[:3] for p in passage.places} == {"002", "003"}
    assert passage.docs == 2 and passage.chars >= 80
    first = passage.places[0]
    assert "禁止外传" in texts[first.doc][first.start : first.end]


def test_without_set_phrases_a_shared_opening_formula_would_count():
    """“会议主要任务是深入学习贯彻习近平新时代中国特色社会主义思想和党的十九大” (seeds 000 and 003)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    passages = find_shared([fingerprint(t, 13, 8) for t in texts], 13, 8, 40)
    assert len(passages) == 2


def test_check_reports_a_shared_passage_once_with_all_places(cli):
    result = cli("check", "--isolated", "--select", "duplicate.across", "--format", "json", str(CORPUS))
    [finding] = result.json()["findings"]
    assert finding["path"].endswith("a.txt") and finding["line"] == 3
    assert "3 个文件" in finding["message"]
    related = {(r["path"].rsplit("/", 1)[-1], r["line"]) for r in finding["related"]}
    assert related == {("b.txt", 4), ("c.txt", 2)}  # c.txt has one character changed
    assert all({"path", "line", "column", "end_line", "end_column"} <= set(r) for r in finding["related"])


def test_check_of_a_single_file_has_no_cross_document_findings(cli):
    result = cli("check", "--isolated", "--select", "duplicate.across", "--format", "json", str(CORPUS / "a.txt"))
    assert result.json()["findings"] == []


def test_dupes_text_report_on_the_seeds(cli):
    result = cli("dupes", str(SEEDS))
    assert result.code == 1
    assert "出现在 2 个文件中" in result.out
    assert "002_a16cca3364c6c753.txt:1:" in result.out and "003_3f0f6e7f91ac13ae.txt:1:" in result.out
    assert "共检查 5 个文件；发现 1 段重复文字" in result.out


def test_dupes_json_has_locations_and_pair_shares(cli):
    result = cli("dupes", "--format", "json", "--jobs", "1", str(CORPUS))
    report = result.json()
    [passage] = report["passages"]
    assert passage["documents"] == 3 and len(passage["locations"]) == 3
    assert [loc["path"].rsplit("/", 1)[-1] for loc in passage["locations"]] == ["a.txt", "b.txt", "c.txt"]
    assert passage["text"].startswith("要大力推进机关作风整顿")
    pairs = {(p["a"].rsplit("/", 1)[-1], p["b"].rsplit("/", 1)[-1]): p for p in report["pairs"]}
    assert set(pairs) == {("a.txt", "b.txt"), ("a.txt", "c.txt"), ("b.txt", "c.txt")}
    assert 0.5 < pairs[("a.txt", "b.txt")]["share_a"] <= 1.0


def test_dupes_options_min_docs_and_min_chars(cli):
    assert cli("dupes", "--min-docs", "4", str(CORPUS)).code == 0
    assert cli("dupes", "--min-chars", "200", str(CORPUS)).code == 0
    assert "未发现重复段落" in cli("dupes", "--min-chars", "200", str(CORPUS)).out
    assert cli("dupes", "--min-chars", "0", str(CORPUS)).code == 2


def test_dupes_in_parallel_gives_the_same_report(cli, tmp_path):
    for index in range(70):  # more than one chunk of files, so that two workers share the work
        body = f"第{index}号文件的开头各不相同，编号{index * 7919}。\n" + (
            AD_START + "，举报倒卖会员资料的人，举报成功免费赠送一年会员材料！更多精品材料请关注公众号。\n"
        )
        (tmp_path / f"d{index:03d}.txt").write_text(body, encoding="utf-8")
    one = cli("dupes", "--format", "json", "--jobs", "1", ".", cwd=tmp_path).json()
    two = cli("dupes", "--format", "json", "--jobs", "2", ".", cwd=tmp_path).json()
    assert one == two
    [passage] = one["passages"]
    assert passage["documents"] == 70


def test_fingerprints_of_a_batch_are_those_of_each_document_alone():
    import numpy as np

    from speechlint.dupes.fingerprint import fingerprint_many
    from speechlint.dupes.prepared import prepare

    phrases = SetPhrases(read_phrase_file(default_rules_dir() / "data" / "set_phrases.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [
        "",
        "短句",
        "习近平新时代中国特色社会主义思想",
    ]
    together = fingerprint_many([prepare(t) for t in texts], 13, 8, phrases)
    for text, batch in zip(texts, together, strict=True):
        alone = fingerprint_many([prepare(text)], 13, 8, phrases)[0]
        assert np.array_equal(alone.hashes, batch.hashes) and np.array_equal(alone.starts, batch.starts)


def test_winnowing_a_batch_picks_what_winnowing_each_document_picks():
    import numpy as np

    from speechlint.dupes.hashing import winnow, winnow_many

    rng = np.random.default_rng(3)
    for _ in range(50):
        sizes = rng.integers(0, 40, size=rng.integers(1, 8))
        parts = [rng.integers(1, 1 << 63, size=int(n), dtype=np.uint64) for n in sizes]
        starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        joined = np.concatenate([np.empty(0, dtype=np.uint64), *parts])
        expected = np.concatenate(
            [np.empty(0, dtype=np.int64)] + [winnow(part, 8) + starts[i] for i, part in enumerate(parts)]
        )
        assert np.array_equal(np.sort(expected), winnow_many(joined, starts, 8))


def test_links_join_every_later_occurrence_to_the_first():
    import numpy as np

    from speechlint.dupes.corpus import _links

    rng = np.random.default_rng(5)
    for size in (0, 1, 2, 7, 300, 5000):
        hashes = rng.integers(0, 40, size=size).astype(np.uint64) << np.uint64(40)  # many repeats
        expected = set()
        first: dict[int, int] = {}
        for index, value in enumerate(hashes.tolist()):
            if first.setdefault(value, index) != index:
                expected.add((index, first[value]))
        later, earlier = _links(hashes.copy())
        assert set(zip(later.tolist(), earlier.tolist(), strict=True)) == expected
        assert len(later) == len(expected)


def test_columns_let_the_stores_go_and_keep_what_places_a_passage(monkeypatch):
    import numpy as np

    from speechlint.dupes import corpus
    from speechlint.dupes.corpus import Columns

    handed_back = []
    monkeypatch.setattr(corpus, "GIVE_BACK_ROWS", 100)  # as if a large corpus: memory handed back as it goes
    monkeypatch.setattr(corpus, "give_back", lambda: handed_back.append(1))

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    prints = [fingerprint(t, 13, 8) for t in texts]
    expected = [
        (p.hashes.copy(), p.positions.copy(), p.starts.copy(), p.ends.copy(), p.line_col(len(t) - 1))
        for p, t in zip(prints, texts, strict=True)
    ]
    columns = Columns.of(prints, first_doc=3, release=True)
    for index, (hashes, positions, starts, ends, last) in enumerate(expected):
        rows = np.arange(columns.bounds[index], columns.bounds[index + 1])
        assert np.array_equal(columns.hashes[rows], hashes) and np.array_equal(columns.positions[rows], positions)
        assert np.array_equal(columns.starts[rows], starts) and np.array_equal(columns.ends(rows), ends)
        assert (columns.docs()[rows] == index + 3).all()
        assert prints[index].store is None and prints[index].line_col(len(texts[index]) - 1) == last
    assert len(handed_back) >= 2


def test_giving_memory_back_and_steadying_the_heap_are_harmless(monkeypatch):
    from speechlint.dupes import memory

    monkeypatch.setattr(memory, "_tuning_allowed", True)
    for libc in (memory._libc(), None):  # this system's C library, and one without glibc's malloc
        monkeypatch.setattr(memory, "_libc", lambda libc=libc: libc)
        memory.steady_heap.cache_clear()
        memory.steady_heap()
        memory.steady_heap()
        memory.give_back()
        memory.give_back()
    memory.steady_heap.cache_clear()


def test_the_heap_is_tuned_only_for_the_console_script_and_never_against_the_users_settings(monkeypatch):
    from speechlint.dupes import memory

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, parameter: int, value: int) -> None:
            calls.append((parameter, value))

    monkeypatch.setattr(memory, "_libc", lambda: Libc())

    def tuned() -> bool:
        calls.clear()
        memory.steady_heap.cache_clear()
        memory.steady_heap()
        memory.steady_heap.cache_clear()
        return bool(calls)

    monkeypatch.setattr(memory, "_tuning_allowed", False)
    assert not tuned()  # a program importing speechlint keeps its allocator as it is
    monkeypatch.setattr(memory, "_tuning_allowed", True)
    assert tuned()
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "1000")
    assert not tuned()
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=4096")
    assert not tuned()


def test_a_kgram_spread_over_more_than_65535_characters_is_placed_exactly():
    from speechlint.dupes.corpus import Columns

    gap = "，" * 70_000  # punctuation: not counted, but the k-gram spans it
    shared = "要大力推进机关作风整顿持续发力优化发展环境坚持以上率下巩固提升中央八项规定精神成果制定完善"
    texts = [
        "开头不同的文字" + shared[:20] + gap + shared[20:] + "结尾",
        "另外的开篇" + shared + "别的结尾",
        "无关的一句话",
    ]
    prints = [fingerprint(t, 13, 8) for t in texts]
    assert prints[0].lengths.dtype.itemsize == 4 and prints[1].lengths.dtype.itemsize == 2
    assert int(prints[0].lengths.max()) > 70_000
    [passage] = find_shared(Columns.of(prints, release=True), 13, 8, 40)
    places = {place.doc: place for place in passage.places}
    assert texts[0][places[0].start : places[0].end].replace("，", "") in shared
    assert places[0].end - places[0].start > 70_000


def test_winnowing_picks_every_position_that_is_the_minimum_of_a_window():
    """Against the definition, window by window: ties, every window width, documents of any length."""
    import numpy as np

    from speechlint.dupes.hashing import winnow, winnow_many

    def expected(hashes: list[int], w: int, batch: bool = False) -> set[int]:
        if not hashes:
            return set()
        if len(hashes) < w or (len(hashes) == w and not batch):
            return {hashes.index(min(hashes))}
        # (a document of exactly w hashes in a batch keeps every tie of its one window too, as it
        # always has: with 64-bit hashes a tie is next to impossible)
        picked = set()
        for start in range(len(hashes) - w + 1):
            window = hashes[start : start + w]
            picked.update(start + i for i, value in enumerate(window) if value == min(window))
        return picked

    rng = np.random.default_rng(9)
    for _ in range(300):
        w = int(rng.integers(1, 41))
        sizes = rng.integers(0, 90, size=rng.integers(1, 5))
        top = int(rng.choice([3, 50, 1 << 62]))  # few values: many ties
        parts = [rng.integers(1, top, size=int(n), dtype=np.uint64) for n in sizes]
        starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        whole: set[int] = set()
        for index, part in enumerate(parts):
            assert set(winnow(part, w).tolist()) == expected(part.tolist(), w)
            whole.update(int(starts[index]) + i for i in expected(part.tolist(), w, batch=True))
        joined = np.concatenate([np.empty(0, dtype=np.uint64), *parts])
        assert winnow_many(joined, starts, w).tolist() == sorted(whole)
