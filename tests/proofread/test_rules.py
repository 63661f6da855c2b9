"""banmian lint: the BM5xx proofreading rules, raw text and editions, suppressions, JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from banmian.chinese.banner import pinyin_matches
from banmian.chinese.punct import normalize
from banmian.chinese.script import mixed_script, script_of
from banmian.content import load_edition
from banmian.model import copy_text
from banmian.proofread.rules import doubled, stray_latin, unbalanced

CLEAN_EDITIONS = ["sc", "sc2", "sc3", "tc", "tc2", "tc3"]


def codes(hits: list[Any]) -> list[str]:
    return [h.code for h in hits]


def test_half_width_punctuation_is_normalised_only_in_chinese_context() -> None:
    assert normalize("他说:“好,走!”(左)") == "他说：“好，走！”（左）"
    assert normalize("售价4999元,配置i5/16GB,见www.a.cn.") == "售价4999元，配置i5/16GB，见www.a.cn."
    assert normalize("11.7万名,8:30开始,1,000人") == "11.7万名，8:30开始，1,000人"
    assert normalize('他说"你好"。') == "他说“你好”。"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_text_is_never_changed(text: str) -> None:
    assert normalize(text) == text


@given(st.text(alphabet="abcXYZ0159./:,?!-_=%", min_size=3, max_size=30))
def test_latin_runs_inside_chinese_are_left_alone(run: str) -> None:
    # "配置...售价", "配置...0售价": three dots are an ellipsis, not a Latin run's marks
    assume(any(c.isalnum() for c in run) and "..." not in run)
    out = normalize("配置" + run + "售价")
    assert out[3 : 2 + len(run) - 1] == run[1:-1]


def test_unbalanced() -> None:
    assert codes(unbalanced("他说：“好。")) == ["BM502"]
    assert codes(unbalanced("他说：“好。", continued=True)) == []
    assert codes(unbalanced("《通知》（全文）")) == []
    assert codes(unbalanced("见附件）")) == ["BM502"]


def test_stray_latin_word_but_not_names_units_or_models() -> None:
    assert codes(stray_latin("重要讲话精神 and 党中央")) == ["BM503"]
    assert codes(stray_latin("配置i5处理器，重约1.3kg，由Apple发布")) == []


def test_doubled() -> None:
    assert codes(doubled("两新党组织组织，")) == ["BM504"]
    assert codes(doubled("草河镇镇黑峪村")) == ["BM504"]
    assert codes(doubled("纷纷签下请战书，李芳芳偷偷，家家户户")) == []


def test_mixed_script() -> None:
    assert [index for index, _, _ in mixed_script(["这是简体，這是繁體"])] == [0]
    assert list(mixed_script(["这是简体中文"])) == []


def test_banner_pinyin() -> None:
    assert pinyin_matches("前沿观察", "GUANCHA")
    assert pinyin_matches("信息直通车", "ZHITONGCHE")
    assert pinyin_matches("前沿观察", "QYGC")
    assert not pinyin_matches("前沿观察", "GUANCHUA")


Run = Callable[..., Any]


def test_lint_seed_points_at_each_kind_of_artifact(run_cli: Run, seed_path: Path) -> None:
    result = run_cli("lint", seed_path)
    assert result.status == 1
    found = {(int(m.group(1)), m.group(2)) for m in re.finditer(
        r"\.txt:(\d+):\d+: (?:error|warning) (BM\d+)", result.err)}
    for expected in [(3, "BM505"), (9, "BM501"), (11, "BM507"), (69, "BM504"), (77, "BM504"),
                     (115, "BM503")]:
        assert expected in found


def test_lint_content_is_clean(run_cli: Run, sample_dir: Path) -> None:
    result = run_cli("lint", sample_dir.parent)
    assert result.status == 0, result.err


def test_json_format_and_suppressions(run_cli: Run, sample_copy: Path) -> None:
    lead = sample_copy / "lead.md"
    lead.write_text(lead.read_text(encoding="utf-8").replace("精神", "精神 and "),
                    encoding="utf-8")
    result = run_cli("lint", "--format", "json", sample_copy)
    assert result.status == 1
    items = json.loads(result.out)
    assert any(i["code"] == "BM503" and i["line"] and i["col"] for i in items)
    (sample_copy / "lint.toml").write_text(
        '[[suppress]]\ncode = "BM503"\nreason = "test"\n\n'
        '[[suppress]]\ncode = "BM504"\nfile = "lead.md"\n'
        'text = "草河镇镇黑峪村"\nreason = "kept"\n\n'
        '[[suppress]]\ncode = "BM502"\nreason = "stale"\n', encoding="utf-8")
    result = run_cli("lint", sample_copy)
    assert result.status == 0
    assert "BM510" in result.err and "BM503" not in result.err


def test_bad_import_input(run_cli: Run, tmp_path: Path, seed_path: Path) -> None:
    missing = run_cli("import", tmp_path / "nope.txt", "-o", tmp_path / "a")
    assert missing.status == 2 and re.search(r"nope\.txt:1: error BM600", missing.err)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一行\n第二行\xff".encode() + b"\xff\n")
    result = run_cli("import", bad, "-o", tmp_path / "b")
    assert result.status == 2 and re.search(r"bad\.txt:2: error BM108", result.err)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x").write_text("x")
    busy = run_cli("import", seed_path, "-o", tmp_path / "c")
    assert busy.status == 2 and "BM601" in busy.err and "Traceback" not in busy.err
    assert run_cli("import", seed_path, "-o", tmp_path / "c", "--force").status == 0


def test_reduplication_is_not_a_doubled_word() -> None:
    for fine in ("他一笔一笔地记下来。", "你看看。", "大家高高兴兴过新年。",
                 "这件事我们再研究研究。", "一步一步往前走。", "商量商量吧。",
                 "党组织组织党员学习。", "实现县县通高速。",
                 "的的确确如此。", "这件事不了了之。", "请专家来把把关。"):
        assert codes(doubled(fine)) == [], fine
    for slip in ("30余家“两新”党组织组织，", "草河镇镇黑峪村", "我们的的工作", "研究研究，"):
        assert codes(doubled(slip)) == ["BM504"], slip


def test_script_from_opencc_tables() -> None:
    assert script_of("这") == "simplified" and script_of("這") == "traditional"
    for either in "玥珺着后里干人中":  # names, Taiwan's 着, forms both scripts use
        assert script_of(either) is None, either
    assert list(mixed_script(["記者張玥、周珺報導", "他說著，看着遠方"])) == []
    assert list(mixed_script(["本报记者 李珺", "李玥在大棚里直播。"])) == []


def test_invisible_characters() -> None:
    from banmian.proofread.rules import invisible_chars

    hits = invisible_chars("党员\u200b干部\ufeff和\u2060群众\u200d")
    assert [(h.offset, h.code) for h in hits] == [(2, "BM511"), (5, "BM511"), (7, "BM511"),
                                                  (10, "BM511")]
    assert "U+200B" in hits[0].message and "U+FEFF" in hits[1].message
    assert invisible_chars("党员干部") == []


def test_lint_reports_invisible_characters_with_line_and_column(
        run_cli: Run, tmp_path: Path) -> None:
    raw = tmp_path / "page.txt"
    raw.write_text("标题\n\n本报记者 王云峰\n\n党员\u200b干部带头。\n", encoding="utf-8")
    result = run_cli("lint", raw)
    assert result.status == 0
    assert re.search(r"page\.txt:5:3: warning BM511: invisible U\+200B", result.err)
    assert run_cli("lint", "--strict", raw).status == 1


def test_lint_strict_passes_the_clean_corpus(run_cli: Run) -> None:
    """No false alarms on edited copy in both scripts (tests/fixtures/clean/)."""
    clean = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
    assert sorted(p.name for p in clean.iterdir() if p.is_dir()) == CLEAN_EDITIONS
    result = run_cli("lint", "--strict", clean)
    assert result.status == 0, result.err
    assert result.err.strip() == ""


def test_the_clean_corpus_holds_30000_characters_of_both_scripts() -> None:
    """Issue 15: ≥ 30,000 copy characters (not bytes, not spaces), ≥ 10,000 of them zh-TW."""
    clean = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
    count: dict[str, int] = {}
    for name in CLEAN_EDITIONS:
        edition = load_edition(clean / name)
        chars = sum(len("".join(item.text.split())) for item in copy_text(edition))
        count[edition.language] = count.get(edition.language, 0) + chars
    assert set(count) == {"zh-CN", "zh-TW"}
    assert sum(count.values()) >= 30_000, count
    assert count["zh-TW"] >= 10_000, count
    assert count["zh-CN"] >= 15_000, count


def test_lint_strict_on_the_seed_still_finds_the_known_artifacts(
        run_cli: Run, seed_path: Path) -> None:
    result = run_cli("lint", "--strict", seed_path)
    assert result.status == 1
    for artifact in ("'GUANCHUA'", "stray English word 'and'", "doubled word '组织组织'",
                     "doubled character '镇镇'"):
        assert artifact in result.err, artifact
    assert "BM506" not in result.err


def test_taiwan_forms_are_not_simplified() -> None:
    """Taiwan writes 群 峰 床 粽 as the mainland does (OpenCC's TWVariants); the Traditional
    table's 羣 峯 牀 糉 are variants. Found by the clean corpus (社群網站, 尖峰時段)."""
    from banmian.chinese.script import mixed_script, script_of

    assert [script_of(c) for c in "群峰床粽"] == [None] * 4
    assert (script_of("这"), script_of("這")) == ("simplified", "traditional")
    assert list(mixed_script(["社群網站在尖峰時段湧入大量訊息，這是新的挑戰。"])) == []


@pytest.mark.parametrize("text", [
    "现在在家门口就能看上省里的专家。", "今年前五个月，该县县域内就诊率达到91.2%。",
    "实现所有县城城区和乡镇镇区5G网络全覆盖。", "全省省直机关干部参加培训。"])
def test_a_character_shared_by_two_words_is_no_doubling(text: str) -> None:
    """现在|在家, 该县|县域: one word ends with the character the next begins with (found by the
    clean corpus); word boundaries come from banmian.chinese.words."""
    assert doubled(text) == []


@pytest.mark.parametrize(("text", "char"), [
    ("草河镇镇黑峪村党支部书记。", "镇"), ("我们在在这里。", "在"), ("这是是他的。", "是")])
def test_a_word_standing_twice_is_still_a_doubling(text: str, char: str) -> None:
    assert [h.message for h in doubled(text)] == [f"doubled character '{char}{char}'"]


@pytest.mark.parametrize(("text", "expected"), [
    # Reduplication is correct Chinese: ABAB verbs, AA, A一A, AABB.
    ("他翻来覆去地研究研究，还是没有头绪。", []),
    ("这个方案，大家讨论讨论。", []),
    ("我们研究研究再定。", []),
    ("他认真地思考思考这个问题。", []),
    ("大家商量商量。", []),  # jieba tags 商量 a noun: data/words.toml lists it as a verb
    ("大家討論討論。", []),  # Traditional: the Simplified form's tag
    ("你看看，再想一想。", []),
    ("把情况说得清清楚楚，大家高高兴兴过年。", []),
    # Slips: a pronoun twice, a word's tail doubled, a verb doubled at a clause's start.
    ("我们我们的工作还有不足。", ["我们我们"]),
    ("他们他们都来了。", ["他们他们"]),
    ("30余家“两新”党组织组织，", ["组织组织"]),
    ("研究研究，", ["研究研究"]),
    ("我们的的工作", ["的的"]),
    ("同志同志，", ["同志同志"]),
])
def test_doubled_words_table(text: str, expected: list[str]) -> None:
    """Issue: BM504 warned on 翻来覆去地研究研究 (a verb reduplicated after an adverbial)."""
    assert [h.message.split("'")[1] for h in doubled(text)] == expected


VERBS = ["研究", "讨论", "商量", "学习", "休息", "考虑", "锻炼", "整理", "交流", "琢磨", "活动"]
BEFORE = ["大家", "我们", "你们", "翻来覆去地", "认真地", "好好", "再", "一起"]
AFTER = ["。", "，", "吧。", "一下。", "这个问题。", ""]


@given(st.sampled_from(BEFORE), st.sampled_from(VERBS), st.sampled_from(AFTER))
def test_a_verb_reduplicated_in_its_clause_is_no_doubling(before: str, verb: str,
                                                          after: str) -> None:
    assert doubled(f"这件事，{before}{verb}{verb}{after}") == []


@given(st.sampled_from(["我们", "他们", "你们", "咱们", "自己", "这个"]),
       st.sampled_from(["大家", "今天", "", "，"]), st.sampled_from(["都", "的", "。", "，"]))
def test_a_pronoun_twice_is_a_doubling(pronoun: str, before: str, after: str) -> None:
    assert codes(doubled(f"{before}{pronoun}{pronoun}{after}")) == ["BM504"]


@given(st.sampled_from(["党组织", "居委会", "合作社", "工作组", "指挥部"]),
       st.sampled_from(["，", "。", "、", "；"]))
def test_the_tail_of_a_word_doubled_is_a_doubling(word: str, mark: str) -> None:
    """党组织组织，: the first copy ends a longer word, no object follows (the sample's
    correction)."""
    assert codes(doubled(f"全县30余家{word}{word[-2:]}{mark}")) == ["BM504"]
