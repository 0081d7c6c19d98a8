from __future__ import annotations

from zhizao.reference.collation import pinyin_key, sort_pinyin


def test_sort_pinyin_as_wps_and_excel() -> None:
    names = ["青岛市", "重庆市", "北京市", "安徽省", "ABC公司", "长沙市", "市工业和信息化局", "市发展改革委"]
    assert sort_pinyin(names) == [
        "ABC公司", "安徽省", "北京市", "长沙市", "重庆市", "青岛市", "市发展改革委", "市工业和信息化局",
    ]  # fmt: skip


def test_pinyin_key_reads_heteronyms_in_context() -> None:
    assert pinyin_key("重庆")[0][0] == "chong2"
    assert sort_pinyin(["b", "A", "c"]) == ["A", "b", "c"]
