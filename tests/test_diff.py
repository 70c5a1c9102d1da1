"""`--diff` as patch tools read it: applied with `patch -p1` or `git apply` to a copy of the
files, it must give byte for byte what `--fix` writes — whatever the encoding, line endings,
final newline or file name."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx_builder import P, R, make_docx

from speechlint.documents import Document
from speechlint.pipeline.diff import file_diff, patch_note, unified_diff, unified_diff_bytes

TOOLS = ("patch", "git")

BODY = [
    "同志们：",
    "今天我们召开全市党建工作会议。",
    "需为全省探索路劲、提供经验。",
    *(f"第{n}项工作要抓好落实。" for n in "一二三四五六七八"),
    "希望大家再接再励。",
]  # two typos nine lines apart: two hunks
WATERMARK = "本文档仅供学习交流 禁止外传 更多范文请关注会员群"


def text(lines: list[str], eol: str = "\n", final: bool = True) -> str:
    return eol.join(lines) + (eol if final else "")


# name → bytes on disk; every one has at least one safe fix
PATCHABLE_CASES: dict[str, bytes] = {
    "utf8.txt": text(BODY).encode(),
    "bom.txt": codecs.BOM_UTF8 + text(BODY[2:]).encode(),  # the fix is on the line holding the BOM
    "crlf.txt": text(BODY, "\r\n").encode(),
    "mixed.txt": (text(BODY[:4], "\r\n") + text(BODY[4:])).encode(),
    "no-eol.txt": text(BODY, final=False).encode(),  # the last line is fixed and has no newline
    "no-eol-context.txt": text(BODY[1:4], final=False).encode(),  # … or is unchanged context
    "crlf-no-eol.txt": text(BODY, "\r\n", final=False).encode(),
    "lone-cr.txt": text(BODY, "\r").encode(),  # one line to patch tools: LF is their only line end
    "watermark.txt": text([WATERMARK, "", *BODY]).encode(),  # lines deleted
    "emptied.txt": text([WATERMARK]).encode(),  # nothing left
    "讲话稿.txt": text(BODY).encode(),
    "my speech.txt": text(BODY).encode(),
    "dir with space/会议 #1 %20.md": text(BODY).encode(),
    'say "hi".txt': text(BODY).encode(),
}
GB18030_CASES: dict[str, bytes] = {
    "gb18030.txt": text(BODY).encode("gb18030"),
    "gb18030-crlf.txt": text(BODY, "\r\n", final=False).encode("gb18030"),
}


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def speechlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The installed command as a shell runs it: its standard output as bytes."""
    env = {**os.environ, "SPEECHLINT_CACHE_DIR": str(cwd.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "speechlint", "check", "--isolated", *args], cwd=cwd, capture_output=True, env=env
    )


def fixed_copy(source: Path, where: Path) -> Path:
    """What `--fix` writes: the reference every applied diff is compared with."""
    shutil.copytree(source, where)
    done = speechlint("--fix", ".", cwd=where)
    assert done.returncode in (0, 1), done.stderr.decode()
    return where


def git_env() -> dict[str, str]:
    """No user or system configuration (autocrlf, apply.whitespace) may change what git applies."""
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def apply(tool: str, tree: Path, diff: bytes) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    (tree.parent / "fix.diff").write_bytes(diff)
    if tool == "patch":
        command = ["patch", "-p1", "--fuzz=0", "--forward", "--batch", "--no-backup-if-mismatch"]
        done = subprocess.run([*command, "-i", str(tree.parent / "fix.diff")], cwd=tree, capture_output=True)
    else:
        subprocess.run(["git", "init", "-q"], cwd=tree, check=True, env=git_env())
        command = ["git", "apply", "--whitespace=nowarn", str(tree.parent / "fix.diff")]
        done = subprocess.run(command, cwd=tree, capture_output=True, env=git_env())
    assert done.returncode == 0, (done.stdout + done.stderr).decode(errors="replace")


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> tuple[Path, Path]:
    """Every case as written, and as `--fix` leaves it."""
    base = tmp_path_factory.mktemp("diff")
    original = write_tree(base / "original", {**PATCHABLE_CASES, **GB18030_CASES})
    fixed = fixed_copy(original, base / "fixed")
    before, after = read_tree(original), read_tree(fixed)
    assert [name for name in before if before[name] == after[name]] == []  # every case has a fix
    return original, fixed


def case_copy(trees: tuple[Path, Path], tmp_path: Path, names: list[str]) -> Path:
    original, _ = trees
    copy = tmp_path / "tree"
    write_tree(copy, {name: (original / name).read_bytes() for name in names})
    return copy


@pytest.mark.parametrize("tool", TOOLS)
def test_cli_diff_of_many_files_applies_byte_for_byte(trees, tmp_path, tool):
    """One `--diff` of a whole tree (UTF-8 files): the shell's bytes, applied in one go."""
    original, fixed = trees
    names = list(PATCHABLE_CASES)
    copy = case_copy(trees, tmp_path, names)
    done = speechlint("--diff", *names, cwd=copy)
    assert done.returncode == 1, done.stderr.decode()
    assert read_tree(copy) == {name: (original / name).read_bytes() for name in names}  # --diff wrote nothing
    apply(tool, copy, done.stdout)
    assert read_tree(copy) == {name: (fixed / name).read_bytes() for name in names}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("name", [*PATCHABLE_CASES, *GB18030_CASES])
def test_diff_bytes_apply_to_each_kind_of_file(trees, tmp_path, tool, name):
    original, fixed = trees
    before = Document.from_path(original / name, name)
    after = Document.from_path(fixed / name, name)
    assert patch_note(before) is None
    copy = case_copy(trees, tmp_path, [name])
    apply(tool, copy, unified_diff_bytes(before, after))
    assert (copy / name).read_bytes() == (fixed / name).read_bytes()


@pytest.mark.parametrize("name", list(GB18030_CASES))
def test_diff_bytes_keep_the_files_encoding(trees, name):
    original, fixed = trees
    diff = unified_diff_bytes(Document.from_path(original / name, name), Document.from_path(fixed / name, name))
    assert "路劲".encode("gb18030") in diff and "路径".encode("gb18030") in diff
    assert "路劲".encode() not in diff


@pytest.mark.parametrize("tool", TOOLS)
def test_cli_diff_of_gb18030_files_applies(trees, tmp_path, tool):
    _, fixed = trees
    names = list(GB18030_CASES)
    copy = case_copy(trees, tmp_path, names)
    apply(tool, copy, speechlint("--diff", *names, cwd=copy).stdout)
    assert read_tree(copy) == {name: (fixed / name).read_bytes() for name in names}


def test_cli_diff_of_a_utf16_file_warns_that_patch_cannot_apply_it(tmp_path):
    write_tree(tmp_path / "t", {"u.txt": codecs.BOM_UTF16_LE + text(BODY).encode("utf-16-le")})
    done = speechlint("--diff", "u.txt", cwd=tmp_path / "t")
    assert "-需为全省探索路劲、提供经验。\n+需为全省探索路径、提供经验。\n" in done.stdout.decode()
    assert "u.txt: utf-16-le+BOM 文件的 diff 以 UTF-8 文本显示，不能用 patch 或 git apply 应用" in done.stderr.decode()


@pytest.mark.parametrize("tool", TOOLS)
def test_a_word_documents_paragraph_diff_is_skipped_by_patch_tools(trees, tmp_path, tool):
    """Its changed paragraphs are for reading; the text files beside it are still patched."""
    _, fixed = trees
    copy = case_copy(trees, tmp_path, ["utf8.txt", "crlf.txt"])
    docx = make_docx(P(R("同志们：需为全省探索"), R("路劲、提供经验。")))
    (copy / "speech.docx").write_bytes(docx)
    done = speechlint("--diff", "utf8.txt", "speech.docx", "crlf.txt", cwd=copy)
    assert "-同志们：需为全省探索路劲、提供经验。" in done.stdout.decode()
    apply(tool, copy, done.stdout)
    assert read_tree(copy) == {
        "crlf.txt": (fixed / "crlf.txt").read_bytes(),
        "speech.docx": docx,
        "utf8.txt": (fixed / "utf8.txt").read_bytes(),
    }


def test_word_diff_comes_with_a_note(tmp_path):
    (tmp_path / "speech.docx").write_bytes(make_docx(P(R("需为全省探索路劲。"))))
    before = Document.from_path(tmp_path / "speech.docx", "speech.docx")
    after, _, _ = before.with_edits([(6, 8, "路径")])
    data, note = file_diff(before, after)
    assert "-需为全省探索路劲。\n+需为全省探索路径。\n" in data.decode()
    assert note is not None and note.startswith("speech.docx: Word 文档")
    plain = Document("a.txt", "路劲\n")
    assert file_diff(plain, plain.with_source("路径\n")) == (
        unified_diff_bytes(plain, plain.with_source("路径\n")),
        None,
    )


def test_text_diff_of_a_utf8_file_is_the_byte_diff():
    before = Document.from_bytes(text(BODY, "\r\n", final=False).encode(), "a.txt")
    after = before.with_source(before.source.replace("路劲", "路径"))
    assert unified_diff(before, after).encode() == unified_diff_bytes(before, after)


def test_missing_final_newline_is_marked_on_both_sides():
    before = Document("a.txt", "一\n二\n路劲")
    after = before.with_source("一\n二\n路径")
    assert (
        unified_diff_bytes(before, after)
        == (
            "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 一\n 二\n-路劲\n"
            "\\ No newline at end of file\n+路径\n\\ No newline at end of file\n"
        ).encode()
    )


def test_names_with_spaces_end_with_a_tab_and_special_names_are_quoted():
    """GNU patch reads a name up to a tab or the end of the line; git's C quoting for the rest."""
    spaced = unified_diff_bytes(Document("a b.txt", "路劲\n"), Document("a b.txt", "路径\n"))
    assert spaced.startswith(b"--- a/a b.txt\t\n+++ b/a b.txt\t\n")
    quoted = unified_diff_bytes(Document('x"\\.txt', "路劲\n"), Document('x"\\.txt', "路径\n"))
    assert quoted.startswith(b'--- "a/x\\"\\\\.txt"\n+++ "b/x\\"\\\\.txt"\n')


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_diffs_are_utf8_text_with_a_note(codec):
    """Their bytes cannot be patched (an LF byte may be half of a character): readable text instead."""
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}
    before = Document.from_bytes(boms[codec] + "上\n路劲\n".encode(codec), "u.txt")
    after = before.with_source("上\n路径\n")
    assert unified_diff_bytes(before, after).decode("utf-8") == unified_diff(before, after)
    assert "-路劲\n+路径\n" in unified_diff(before, after)
    note = patch_note(before)
    assert note is not None and "u.txt" in note and "patch" in note
