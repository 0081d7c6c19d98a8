"""The 版头/版记 options as typed: normalised once, every problem reported in Chinese under its field."""

from __future__ import annotations

import pytest

from zhizao.errors import InvalidInput
from zhizao.office.masthead import MastheadOptions, parse_masthead
from zhizao.office.official import Masthead


def test_parse_masthead_normalises_what_users_type() -> None:
    masthead = parse_masthead(
        MastheadOptions(
            number=" X工信督[2024]6号 ",
            copy_number="１２",
            classification="秘密 * 1年",
            cc="市人民政府办公室\n市发展和改革委员会、市科学技术局。\n\n",
            printer="X市工业和信息化局办公室",
            printed_on="2024-07-05",
        )
    )
    assert masthead == Masthead(
        number="X工信督〔2024〕6号",
        copy_number="000012",
        classification="秘密★1年",
        cc=("市人民政府办公室", "市发展和改革委员会", "市科学技术局"),
        printer="X市工业和信息化局办公室",
        printed_on="2024年7月5日",
    )


def test_parse_masthead_blank_leaves_every_part_to_the_defaults() -> None:
    assert parse_masthead(MastheadOptions()) == Masthead()


@pytest.mark.parametrize(
    ("field", "value", "column", "words"),
    [
        ("number", "X工信督2024年6号", "发文字号", "六角括号"),
        ("number", "X" * 61, "发文字号", "不能超过 60 字"),
        ("copy_number", "0000123", "份号", "不超过 6 位的数字"),
        ("copy_number", "第12份", "份号", "不超过 6 位的数字"),
        ("classification", "保密", "密级和保密期限", "绝密、机密、秘密"),
        ("classification", "秘密★永久", "密级和保密期限", "保密期限"),
        ("cc", "、".join(f"单位{n}" for n in range(31)), "抄送机关", "不能超过 30 个"),
        ("printer", "办公室\n第二行", "印发机关", "应为一行"),
        ("printed_on", "2024-13-01", "印发日期", "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_parse_masthead_refuses_bad_options_in_chinese(
    field: str, value: str, column: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_masthead(MastheadOptions(**{field: value}))
    [problem] = raised.value.problems
    assert problem.column == column
    assert words in problem.message
    assert raised.value.message == "版头、版记选项有误（1 处）"


def test_parse_masthead_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_masthead(MastheadOptions(number="6号", copy_number="x", printed_on="昨天"))
    assert [p.column for p in raised.value.problems] == ["发文字号", "份号", "印发日期"]
