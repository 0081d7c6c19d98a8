from __future__ import annotations

import pytest

from zhizao.enterprises.names import clean_name, same_name


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("示例机械(青岛)有限公司", "示例机械（青岛）有限公司"),
        ("  示例机械 （青岛）\u00a0有限公司 ", "示例机械（青岛）有限公司"),
        ("ＡＢＣ示例科技有限公司", "ABC示例科技有限公司"),
        ("Haier Smart Home 示例", "Haier Smart Home示例"),
        (None, ""),
    ],
)
def test_clean_name_gives_the_registered_form(written: object, stored: str) -> None:
    assert clean_name(written) == stored


def test_same_name_ignores_bracket_width_only() -> None:
    assert same_name("示例机械(青岛)有限公司", "示例机械（青岛）有限公司")
    assert not same_name("示例机械（青岛）有限公司", "示例机械（烟台）有限公司")
