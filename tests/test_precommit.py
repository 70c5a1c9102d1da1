"""The real pre-commit, pointed at this checkout, on a temporary repository of documents."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
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


def docs_repo(
    tmp_path: Path, hook_repo: tuple[Path, str], hook_id: str, files: dict[str, str], config: str | None = None
) -> Path:
    """A repository of documents whose pre-commit config is `config`, or one naming `hook_id`."""
    repo = tmp_path / "docs"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        config or f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n", encoding="utf-8"
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


# --- the README's snippet ------------------------------------------------------------------
def readme_snippet() -> str:
    """The YAML block of the README's "pre-commit" section, as a user copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found is not None, "README.md: no yaml block in the pre-commit section"
    return found.group(1)


def test_readme_snippet_names_only_hooks_this_repository_has():
    mentioned = re.findall(r"^\s*#?\s*- id: (\S+)", readme_snippet(), re.MULTILINE)  # the commented alternative too
    assert mentioned and set(mentioned) <= set(hook_definitions())


def test_readme_rev_is_a_commit_here_with_the_current_hooks():
    """A user copying the snippet gets these hooks: its `rev:` exists and has them."""
    rev = yaml.safe_load(readme_snippet())["repos"][0]["rev"]
    here = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    if here.returncode != 0 or here.stdout.strip() != "false":
        pytest.skip("not a full git checkout: the README's rev cannot be looked up")
    shown = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert shown.returncode == 0, f"README.md: rev {rev} is not a commit or tag of this repository ({shown.stderr})"
    assert yaml.safe_load(shown.stdout) == list(hook_definitions().values()), f"README.md: rev {rev} has other hooks"


def write_docx(path: Path, paragraph: str) -> None:
    body = f"<w:body><w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p></w:body>"
    xml = f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{body}</w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)


def test_readme_snippet_checks_documents_with_upper_case_extensions(tmp_path, hook_repo, pre_commit_home):
    """The snippet exactly as written (its hook ids), pointed at a snapshot of this checkout."""
    config = yaml.safe_load(readme_snippet())
    path, rev = hook_repo
    config["repos"][0].update(repo=str(path), rev=rev)
    placeholder = "同志们：\n刚才XX部长讲了话。\n"
    files = {"SPEECH.TXT": placeholder, "Notes.Md": placeholder, "ok.txt": "今天开会。\n"}
    repo = docs_repo(tmp_path, hook_repo, "", files, config=yaml.safe_dump(config, allow_unicode=True))
    write_docx(repo / "REPORT.DOCX", "刚才XX部长讲了话。")
    git("add", "-A", cwd=repo)
    done = pre_commit(repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    for expected in ("SPEECH.TXT:2:3: placeholder.x", "Notes.Md:2:3: placeholder.x", "REPORT.DOCX:1:3: placeholder.x"):
        assert expected in done.stdout, done.stdout


def test_a_word_document_committed_through_both_hooks(tmp_path, hook_repo, pre_commit_home):
    """`git commit` of a .docx with the fix hook then the check hook installed, as a writer meets them:
    the first commit is stopped with the typo fixed inside the document; the second goes through."""
    path, rev = hook_repo
    config = (
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: speechlint-fix\n      - id: speechlint\n"
    )
    repo = docs_repo(tmp_path, hook_repo, "", {}, config=config)
    document = repo / "讲话.docx"
    write_docx(document, "需为全省探索路劲、提供经验。")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home)}
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True)
    assert installed.returncode == 0, installed.stderr
    git("add", "-A", cwd=repo)

    def commit() -> subprocess.CompletedProcess:
        return subprocess.run(["git", "commit", "-m", "讲话"], cwd=repo, env=env, capture_output=True, text=True)

    first = commit()
    assert first.returncode != 0, first.stdout + first.stderr  # files were modified by the fix hook
    with zipfile.ZipFile(document) as archive:
        assert "探索路径" in archive.read("word/document.xml").decode("utf-8")
    git("add", "-A", cwd=repo)
    second = commit()
    assert second.returncode == 0, second.stdout + second.stderr
    assert git("log", "--oneline", cwd=repo).count("\n") == 0  # exactly one commit
