"""Residue of sites that the signals were not written from, placed in a clean speech.

Written after the detector (so not a blind test any more), it guards against regressions:
each line must be found at the head, in the middle and at the tail, alone, and nothing else.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

LINES = (FIXTURES / "boilerplate" / "other_sites.txt").read_text(encoding="utf-8").splitlines()
CLEAN = (FIXTURES / "clean" / "official_prose.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("position", ["head", "middle", "tail"])
def test_other_sites_residue_is_found(cli, tmp_path, position):
    missed, extra = [], []
    for line in LINES:
        doc = list(CLEAN)
        index = {"head": 0, "middle": 5, "tail": len(doc)}[position]
        doc.insert(index, line)
        (tmp_path / "d.txt").write_text("\n".join(doc), encoding="utf-8")
        findings = cli("check", "--format", "json", "--select", "boilerplate", "d.txt", cwd=tmp_path).json()["findings"]
        if not any(line[:6] in f["text"] for f in findings):
            missed.append(line)
        extra += [f["text"][:20] for f in findings if line[:6] not in f["text"]]
    assert not missed, missed
    assert not extra, extra
