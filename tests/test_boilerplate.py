"""The `boilerplate` rule type: site watermarks and ads found by kind, removed as blocks."""

from __future__ import annotations

import csv
import shutil

import pytest

from speechlint.config import Settings
from speechlint.model import Applicability
from speechlint.rulesets import build_ruleset
from speechlint.ruletypes.base import LintInput
from tests.conftest import FIXTURES, ROOT, SEEDS

EXAMPLES_TSV = ROOT.parent / "shared" / "data" / "boilerplate" / "examples.tsv"
CLEAN = FIXTURES / "clean" / "official_prose.txt"
BOILERPLATE = FIXTURES / "boilerplate"
SEED_HEADER = "".join((SEEDS / "002_a16cca3364c6c753.txt").read_text(encoding="utf-8").splitlines(keepends=True)[:15])


@pytest.fixture(scope="module")
def rule():
    return build_ruleset(Settings(), ["boilerplate.block"]).rules[0]


def findings(rule, text: str):
    return list(rule.check(LintInput(text)))


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def covered(found, text: str, needle: str) -> bool:
    start = text.index(needle)
    return any(f.offset <= start and start + len(needle) <= f.end_offset for f in found)


# --- the seeds -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["002", "003"])
def test_seed_header_block_is_one_finding_with_its_blank_lines(rule, name):
    text = seed(name)
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == SEED_HEADER  # 9 ad lines + the 6 blank lines after them
    assert text[found.end_offset :].startswith("在")  # the title stays
    assert found.fix.applicability is Applicability.SAFE


def test_seed_004_first_line(rule):
    text = seed("004")
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == "本文系作者原创投稿，仅供学习参考，请勿照搬照抄！\n"


@pytest.mark.parametrize("path", [SEEDS / "000_e7a1516f53fdab88.txt", SEEDS / "001_a4fa8b2aa791b994.txt", CLEAN])
def test_clean_documents_have_no_findings(rule, path):
    assert findings(rule, path.read_text(encoding="utf-8")) == []


def test_seed_004_body_mentioning_qq_groups_is_not_flagged(rule):
    text = seed("004")
    assert "强化各单位公众号、微信群和QQ群的宣传监管" in text
    assert all(f.offset == 0 for f in findings(rule, text))


# --- recall on the strings collected from ten sites ----------------------------------


def _site_strings() -> list[str]:
    if not EXAMPLES_TSV.exists():
        return []
    with EXAMPLES_TSV.open(encoding="utf-8") as handle:
        return [row["string"] for row in csv.DictReader(handle, delimiter="\t") if row["kind"] != "placeholder"]


def _place(line: str, where: str) -> str:
    body = CLEAN.read_text(encoding="utf-8")
    if where == "head":
        return f"{line}\n{body}"
    if where == "tail":
        return f"{body}{line}\n"
    lines = body.splitlines(keepends=True)
    return "".join(lines[:5]) + line + "\n" + "".join(lines[5:])


@pytest.mark.skipif(not EXAMPLES_TSV.exists(), reason="shared data not available")
@pytest.mark.parametrize("where", ["head", "middle", "tail"])
@pytest.mark.parametrize("line", _site_strings())
def test_site_strings_are_found_anywhere(rule, line, where):
    text = _place(line, where)
    found = findings(rule, text)
    assert covered(found, text, line), f"{line!r} 未被发现"
    assert len(found) == 1  # and nothing else in the clean body


@pytest.mark.parametrize("where", ["head", "middle", "tail"])
def test_seed_header_block_is_found_anywhere(rule, where):
    block = SEED_HEADER.rstrip("\n")
    text = _place(block, where)
    found = findings(rule, text)
    assert len(found) == 1 and covered(found, text, block)


# --- precision -------------------------------------------------------------------------


def test_ordinary_sense_of_the_signal_words_is_not_flagged(rule):
    text = (BOILERPLATE / "ordinary_sense.txt").read_text(encoding="utf-8")
    assert findings(rule, text) == []


@pytest.mark.parametrize(
    "line",
    [
        "四、做好会员服务工作",
        "（三）加强微信群和QQ群管理",
        "2023年12月18日",
        "联系人：张三，联系电话：13812345678",
        "网址：www.hunan.gov.cn",
        "经验分享交流会",
        "各单位阅读量最高的文章要及时报送。",
        "省版权局专项检查组来我县调研。",
        "——在X镇2020年党建工作会议上的讲话",
    ],
)
@pytest.mark.parametrize("where", ["head", "middle", "tail"])
def test_official_lines_are_not_flagged_anywhere(rule, line, where):
    assert findings(rule, _place(line, where)) == []


# --- structure: blocks, fixes, signals -------------------------------------------------


def test_site_residue_fixture(rule):
    text = (BOILERPLATE / "site_residue.txt").read_text(encoding="utf-8")
    found = findings(rule, text)
    assert [f.fix.applicability for f in found] == [Applicability.SAFE, Applicability.UNSAFE, Applicability.SAFE]
    head, middle, tail = (text[f.offset : f.end_offset] for f in found)
    assert head.startswith("欢迎来到某某文档网") and head.endswith("下载后原文更清晰。\n\n")
    assert middle == "第1页 / 共3页\n# y8 g$ ]; z. n2 [$ b' S\n"  # page number and anti-copy junk: one block
    assert tail.startswith("\n下面是小编") and text.endswith(tail)


def test_hidden_watermark_of_rare_characters(rule):
    text = (BOILERPLATE / "hidden_watermark.txt").read_text(encoding="utf-8")
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == "䶮䶯䶰䶱䶲䶳䶴䶵\n"
    assert "生僻字" in found.message


def test_page_number_glued_to_a_title_removes_only_the_suffix(rule):
    text = "在全县党建工作会议上的讲话  第1页 共3页\n同志们：\n"
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == "  第1页 共3页"


def test_middle_block_is_unsafe_and_head_block_is_safe(rule):
    text = _place("更多精品材料请关注微信公众号“笔杆子8号”，回复“8”免费领取。", "middle")
    (found,) = findings(rule, text)
    assert found.fix.applicability is Applicability.UNSAFE
    text = _place("更多精品材料请关注微信公众号“笔杆子8号”，回复“8”免费领取。", "head")
    (found,) = findings(rule, text)
    assert found.fix.applicability is Applicability.SAFE


def test_weights_and_threshold_are_data(tmp_path, cli):
    """A stricter threshold in a user's copy of the rule silences a weaker line."""
    (tmp_path / "doc.txt").write_text("正文第一段。\n合集下载\n正文第二段。\n", encoding="utf-8")
    loose = tmp_path / ".speechlint.yaml"
    loose.write_text(
        """\
rules:
  - id: local.bp
    type: boilerplate
    category: boilerplate
    severity: error
    message: "水印：{match}"
    threshold: 3
    phrases: {下载: 2, 合集: 1.5}
    examples: [{bad: 合集下载}, {good: 正文。}]
""",
        encoding="utf-8",
    )
    result = cli("check", "--select", "local.bp", "doc.txt", cwd=tmp_path)
    assert result.code == 1 and "local.bp" in result.out
    loose.write_text(loose.read_text(encoding="utf-8").replace("threshold: 3", "threshold: 4"), encoding="utf-8")
    result = cli("check", "--select", "local.bp", "doc.txt", cwd=tmp_path)
    assert result.code == 0, result.out


# --- end to end through the CLI --------------------------------------------------------


@pytest.mark.parametrize("name", ["002", "003", "004"])
def test_fix_removes_the_seed_header_and_keeps_every_other_byte(tmp_path, cli, name):
    source = next(SEEDS.glob(f"{name}_*.txt"))
    target = tmp_path / source.name
    shutil.copy(source, target)
    original = source.read_bytes()
    cli("check", "--isolated", "--select", "boilerplate", "--fix", str(target))
    fixed = target.read_bytes()
    header = SEED_HEADER.encode() if name != "004" else original.split(b"\n", 1)[0] + b"\n"
    assert original.startswith(header)
    assert fixed == original[len(header) :]


def test_fix_keeps_crlf_and_gb18030(tmp_path, cli):
    body = "在全县党建工作会议上的讲话\r\n同志们：\r\n今天召开全县党建工作会议，安排部署今年的重点任务。\r\n"
    header = "仅供学习 禁止外传\r\n【公众号：8号文库】本文档仅供会员学习交流使用，严禁转载、倒卖！\r\n\r\n"
    target = tmp_path / "doc.txt"
    target.write_bytes((header + body).encode("gb18030"))
    result = cli("check", "--isolated", "--select", "boilerplate", "--fix", str(target))
    assert result.code == 0, result.out
    assert target.read_bytes() == body.encode("gb18030")


def test_unsafe_middle_block_needs_unsafe_fixes(tmp_path, cli):
    text = _place("第2页 共9页", "middle")
    target = tmp_path / "doc.txt"
    target.write_text(text, encoding="utf-8")
    cli("check", "--isolated", "--select", "boilerplate", "--fix", str(target))
    assert target.read_text(encoding="utf-8") == text
    cli("check", "--isolated", "--select", "boilerplate", "--fix", "--unsafe-fixes", str(target))
    assert target.read_text(encoding="utf-8") == text.replace("第2页 共9页\n", "")


@pytest.mark.parametrize(
    ("title", "decoration"),
    [
        ("【精品文档】在全市党建工作会议上的讲话", "【精品文档】"),
        ("在全市党建工作会议上的讲话（完整版）", "（完整版）"),
        ("在全市党建工作会议上的讲话【精选】", "【精选】"),
        ("在全市党建工作会议上的讲话word版", "word版"),
    ],
)
def test_title_decoration_goes_and_the_title_stays(cli, tmp_path, title, decoration):
    body = "同志们：\n今天召开全市党建工作会议，主要任务是总结工作、部署任务，推动全市党建工作再上新台阶。\n"
    (tmp_path / "a.txt").write_text(f"{title}\n{body}", encoding="utf-8")
    found = cli("check", "--format", "json", "--select", "boilerplate", "a.txt", cwd=tmp_path).json()["findings"]
    assert [f["text"] for f in found] == [decoration]
    cli("check", "--fix", "--select", "boilerplate", "a.txt", cwd=tmp_path)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == title.replace(decoration, "") + "\n" + body


@pytest.mark.parametrize("title", ["在全市党建工作会议上的讲话（2024年）", "关于印发《工作方案（试行）》的通知"])
def test_ordinary_title_brackets_are_kept(cli, tmp_path, title):
    (tmp_path / "a.txt").write_text(
        f"{title}\n同志们：\n今天召开会议，研究部署下一步工作任务和具体措施。\n", encoding="utf-8"
    )
    assert cli("check", "--format", "json", "--select", "boilerplate", "a.txt", cwd=tmp_path).json()["findings"] == []


# --- residue glued into prose ----------------------------------------------------------

PARAGRAPH = "今年以来，全县上下认真贯彻落实党中央决策部署，经济社会发展取得新成效，各项事业全面进步。" * 3


@pytest.mark.parametrize(
    "residue", ["（来源：第一范文网）", "本文来自公文库，转载请注明出处。", "（本文来源于网络，如有侵权请联系删除）"]
)
def test_a_residue_sentence_inside_a_paragraph_is_reported_alone(rule, residue):
    text = f"同志们：\n{PARAGRAPH}{residue}我们要再接再厉，推动各项工作再上新台阶。\n"
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == residue
    assert found.fix.replacement == "" and found.fix.applicability is Applicability.UNSAFE
    assert "句中" in found.message


def test_prose_that_mentions_a_site_or_an_account_is_not_residue(rule):
    text = (
        f"同志们：\n{PARAGRAPH}欢迎关注“北京发布”微信公众号，及时了解最新政策信息。"
        "群众可通过政务服务网下载办事指南，足不出户办理业务。\n"
    )
    assert findings(rule, text) == []


@pytest.mark.parametrize("closed", ["他强调：“要实事求是。”", "（试行。）", "各项事业全面进步。"])
def test_a_residue_sentence_after_a_closed_quotation_leaves_the_quotation_whole(rule, closed):
    residue = "本文来自公文库，转载请注明出处。"
    text = f"同志们：\n{PARAGRAPH}{closed}{residue}我们要再接再厉，推动各项工作再上新台阶。\n"
    (found,) = findings(rule, text)
    assert text[found.offset : found.end_offset] == residue


@pytest.mark.parametrize("residue", ["（推荐阅读，版权所有）", "（本文档版权所有）", "（来源：第一范文网）"])
def test_a_rule_built_outside_a_rule_set_finds_the_same_residue(residue):
    """Without the run's shared scan the rule scans by itself, overlapping as the shared scan does:
    a weak phrase (本文, 版权) must not hide the strong one that starts at the same place."""
    text = f"同志们：\n{PARAGRAPH}{residue}我们要再接再厉，推动各项工作再上新台阶。\n"
    shared = build_ruleset(Settings(), ["boilerplate.block"]).rules[0]
    alone = build_ruleset(Settings(), ["boilerplate.block"]).rules[0]
    alone.literal_index = None
    expected = [(f.offset, f.end_offset) for f in findings(shared, text)]
    assert expected == [(f.offset, f.end_offset) for f in findings(alone, text)]
    assert [text[s:e] for s, e in expected] == [residue]
