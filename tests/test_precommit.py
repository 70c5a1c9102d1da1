"""The real pre-commit, pointed at this checkout, on a temporary repository of documents."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from speechlint.config.settings import DEFAULT_EXTENSIONS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A commit of this working tree as it is now (committed or not), like `pre-commit try-repo`."""
    shadow = tmp_path_factory.mktemp("hook-repo")
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (shadow / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, shadow / name)
    git("init", "-q", cwd=shadow)
    git("add", "-A", cwd=shadow)
    git("commit", "-q", "-m", "snapshot", cwd=shadow)
    return shadow, git("rev-parse", "HEAD", cwd=shadow)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def docs_repo(tmp_path: Path, hook_repo: tuple[Path, str], hook_id: str, files: dict[str, str]) -> Path:
    repo = tmp_path / "docs"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n", encoding="utf-8"
    )
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git("add", "-A", cwd=repo)
    return repo


def pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        timeout=900,
    )


def test_check_hook_fails_on_placeholders(tmp_path, hook_repo, pre_commit_home):
    repo = docs_repo(
        tmp_path, hook_repo, "speechlint", {"speech.txt": "同志们：\n刚才XX部长讲了话。\n", "ok.md": "今天开会。\n"}
    )
    done = pre_commit(repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "speech.txt:2:3: placeholder.x" in done.stdout


def test_fix_hook_rewrites_a_typo(tmp_path, hook_repo, pre_commit_home):
    repo = docs_repo(tmp_path, hook_repo, "speechlint-fix", {"speech.txt": "需为全省探索路劲、提供经验。\n"})
    done = pre_commit(repo, pre_commit_home)
    assert done.returncode == 1  # pre-commit fails a hook that modified files, so the writer reviews them
    assert (repo / "speech.txt").read_text(encoding="utf-8") == "需为全省探索路径、提供经验。\n"
    again = pre_commit(repo, pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr


def hook_definitions() -> dict[str, dict]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


NAMES = ["a.txt", "B.TXT", "c.Txt", "d.md", "E.MD", "f.Md", "g.docx", "H.DOCX", "docs/讲话 稿.TxT"]
NOT_DOCUMENTS = ["a.markdown", "a.txt.bak", "txt", "a.doc", "a.docm", "a.py", "md/a.yaml"]


@pytest.mark.parametrize("hook", list(hook_definitions()))
def test_hook_files_are_what_a_walk_checks_in_any_case(hook):
    """pre-commit hands a hook only the files its `files` pattern matches (re.search on the path)."""
    pattern = re.compile(hook_definitions()[hook]["files"])
    for name in NAMES + NOT_DOCUMENTS:
        assert bool(pattern.search(name)) == name.lower().endswith(DEFAULT_EXTENSIONS), name
