"""The wheel carries the default packs: `pip install .` from a clean clone finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT

from speechlint.rulesets import default_pack_paths


def test_wheel_contains_default_packs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("speechlint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in default_pack_paths():
        assert f"speechlint/default_rules/{pack.name}" in names
    assert "speechlint/cli.py" in names
