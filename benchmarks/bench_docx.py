#!/usr/bin/env python3
"""Reading and fixing a Word document with speechlint.documents.docx, on ONE core.

The document is generated deterministically: the seed speeches' sentences, shuffled, in
paragraphs of 2–4 runs marked up as Word writes them (rsid attributes, paragraph and run
properties with 仿宋_GB2312 fonts and sizes), a header and a footer, until the .docx is
about --size MB. Reported: the .docx and XML sizes, and the best of --repeat runs of
`DocxPackage.read` (unzip, parse, text), of `with_edits` for one typo fix, and of
`paragraph_diff`, and the least CPU time (user + system of this process) of the reads: on
a busy shared machine it is the steadier figure. Then the whole `speechlint check` (every default
rule) on the .docx and, as the same run's baseline, on its text saved as a .txt. Target: a 1 MB
.docx checked in ≤ 1 s on one core.

    python benchmarks/bench_docx.py              # 1 MB
    python benchmarks/bench_docx.py --size 5 --json
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from _common import REPO_ROOT, best_time, checkout_env, pin_to_one_core, run_timed, speechlint_command, which

from speechlint.documents.docx import DocxPackage, paragraph_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RPR = (
    '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:hint="eastAsia"/>'
    '<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'
)
PPR = '<w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr>'


def sentences() -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / "fixtures" / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [s + "。" for s in line.split("。") if s.strip()]
    return found


def paragraph(rng: random.Random, text: str) -> str:
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(1, 3)))) if len(text) > 1 else []
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    runs = "".join(
        f'<w:r w:rsidRPr="00{rng.randrange(16**6):06X}">{RPR}<w:t>{piece.replace("&", "&amp;").replace("<", "&lt;")}</w:t></w:r>'
        for piece in pieces
    )
    return (
        f'<w:p w:rsidR="00{rng.randrange(16**6):06X}" w:rsidRDefault="00{rng.randrange(16**6):06X}">{PPR}{runs}</w:p>'
    )


def build(size_mb: float, seed: int = 1) -> bytes:
    """A Word-like .docx of about `size_mb` MB (compressed), deterministic for a seed."""
    rng = random.Random(seed)
    pool = sentences()
    body: list[str] = [paragraph(rng, "在全县工作会议上的讲话"), paragraph(rng, "我们要找准发展路劲。")]
    target = int(size_mb * 1_000_000)
    data = b""
    while len(data) < target:
        for _ in range(max(100, int(2000 * min(1.0, size_mb)))):
            body.append(paragraph(rng, "".join(rng.sample(pool, rng.randint(1, 4)))))
        data = _zip("".join(body))
    return data


def _zip(body: str) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}'
        '<w:sectPr><w:headerReference w:type="default" r:id="rId8"/><w:footerReference w:type="default" r:id="rId9"/>'
        '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId8" Type="{R}/header" Target="header1.xml"/>'
        f'<Relationship Id="rId9" Type="{R}/footer" Target="footer1.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", rels)
        archive.writestr("word/header1.xml", f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>仅供学习</w:t></w:r></w:p></w:hdr>')
        archive.writestr("word/footer1.xml", f'<w:ftr xmlns:w="{W}"><w:p><w:r><w:t>第1页</w:t></w:r></w:p></w:ftr>')
    return buffer.getvalue()


def cpu_time(func: Callable[[], object]) -> float:
    start = time.process_time()
    func()
    return time.process_time() - start


def end_to_end(data: bytes, text: str, repeat: int, core: int | None) -> dict[str, float]:
    """`speechlint check` (every default rule) on the .docx, and on the same text as a .txt file
    (the baseline, measured in the same run): the least CPU time of `repeat` runs, one core."""
    command, _ = speechlint_command()
    pin = ["taskset", "-c", str(core)] if core is not None and which("taskset") else []
    with tempfile.TemporaryDirectory() as folder:
        docx, txt = Path(folder) / "bench.docx", Path(folder) / "bench.txt"
        docx.write_bytes(data)
        txt.write_text(text, encoding="utf-8")
        env = {**checkout_env(), "SPEECHLINT_CACHE_DIR": str(Path(folder) / "cache")}

        def cpu(path: Path) -> float:
            runs = [
                run_timed([*pin, *command, "check", "--isolated", "-j", "1", str(path)], env=env) for _ in range(repeat)
            ]
            return min(t.cpu for t in runs)

        docx_cpu, txt_cpu = cpu(docx), cpu(txt)
    return {
        "check_docx_cpu_s": round(docx_cpu, 3),
        "check_same_text_txt_cpu_s": round(txt_cpu, 3),
        "docx_over_txt": round(docx_cpu / txt_cpu, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=1.0, help="size of the .docx in MB (default 1)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    core = pin_to_one_core()
    data = build(args.size)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml_bytes = archive.getinfo("word/document.xml").file_size
    read_s, package = best_time(lambda: DocxPackage.read(data, "bench.docx"), args.repeat)
    read_cpu_s = min(cpu_time(lambda: DocxPackage.read(data, "bench.docx")) for _ in range(args.repeat))
    start = package.text.index("路劲")
    edit_s, (fixed, notes) = best_time(lambda: package.with_edits([(start, start + 2, "路径")]), args.repeat)
    diff_s, diff = best_time(lambda: paragraph_diff(package, package.text.replace("路劲", "路径")), args.repeat)
    result = {
        "core": core,
        "docx_mb": round(len(data) / 1e6, 3),
        "document_xml_mb": round(xml_bytes / 1e6, 3),
        "paragraphs": len(package.paragraphs),
        "characters": len(package.text),
        "read_s": round(read_s, 4),
        "read_cpu_s": round(read_cpu_s, 4),
        "with_edits_s": round(edit_s, 4),
        "paragraph_diff_s": round(diff_s, 4),
        "notes": notes,
        "diff_lines": diff.count("\n"),
        "fixed_bytes": len(fixed),
    }
    result.update(end_to_end(data, package.text, args.repeat, core))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
