"""The third-party rule type of docs/rule-types.md, installed as a package with its entry point, works
from the CLI exactly as the guide says (its code and configuration are taken from the guide itself)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT

GUIDE = (ROOT / "docs" / "rule-types.md").read_text(encoding="utf-8")


def _block(language: str, holding: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", GUIDE, flags=re.DOTALL)
    return next(block for block in blocks if holding in block)


def _install(site):
    """The plugin as an installed distribution: its module and a dist-info with the entry point."""
    (site / "speechlint_long_sentence.py").write_text(_block("python", "@register"), encoding="utf-8")
    info = site / "speechlint_long_sentence-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: speechlint-long-sentence\nVersion: 0.1\n")
    entry = _block("toml", "speechlint.rule_types").replace('[project.entry-points."speechlint.rule_types"]', "")
    name, value = (part.strip().strip('"') for part in entry.strip().split("=", 1))  # TOML → entry_points.txt
    (info / "entry_points.txt").write_text(f"[speechlint.rule_types]\n{name} = {value}\n")


def _speechlint(*args, cwd, site):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]), "SPEECHLINT_NO_CACHE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "speechlint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_guide_plugin_runs_from_the_cli(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _install(site)
    work = tmp_path / "docs"
    work.mkdir()
    (work / ".speechlint.yaml").write_text(_block("yaml", "type: long-sentence"), encoding="utf-8")
    long = "为深入贯彻落实党中央关于加强基层治理的决策部署，进一步推动我县基层治理工作提质增效，经县委、县政府研究同意，现就有关事项通知如下。"
    (work / "notice.txt").write_text(f"{long}\n请认真贯彻执行。\n", encoding="utf-8")

    checked = _speechlint("check", "--select", "style", "--format", "json", "notice.txt", cwd=work, site=site)
    assert checked.returncode == 0, checked.stderr  # an info finding does not fail the run
    [finding] = __import__("json").loads(checked.stdout)["findings"]
    assert finding["rule"] == "style.long-sentence" and finding["text"] == long
    assert finding["message"] == f"句子过长（{len(long)} 字），建议拆分。"

    tested = _speechlint("test-rules", ".speechlint.yaml", cwd=work, site=site)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_a_plugin_rule_with_bad_data_is_one_line_naming_the_key(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _install(site)
    config = _block("yaml", "type: long-sentence").replace("max_chars: 60", "max_chars: 5")
    (tmp_path / ".speechlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    done = _speechlint("check", "a.txt", cwd=tmp_path, site=site)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert ".speechlint.yaml:" in line and "max_chars" in line


def test_a_broken_plugin_is_one_line_not_a_traceback(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _install(site)
    (site / "speechlint_long_sentence.py").write_text("raise ImportError('no such thing')\n", encoding="utf-8")
    (tmp_path / ".speechlint.yaml").write_text(_block("yaml", "type: long-sentence"), encoding="utf-8")
    (tmp_path / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    done = _speechlint("check", "a.txt", cwd=tmp_path, site=site)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "long-sentence" in line and "no such thing" in line
