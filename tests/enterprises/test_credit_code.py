import pytest

from zhizao.enterprises import credit_code

# Real codes published by their holders or in public references (see shared/domain/enterprise-tiers.md).
REAL_CODES = [
    "914403001922038216",
    "91350100M000100Y43",
    "91110108795101314G",
    "91310000MA1K35Y38P",
    "9135020026015919XW",
    "91310110666007217T",
    "91310115591693856A",
    "91440101MA5CJQ4N59",
    "913502000728319549",
    "123502001549897397",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_validate_credit_code_accepts_real_codes(code: str) -> None:
    assert credit_code.is_valid(code), credit_code.problem(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_validate_credit_code_rejects_changed_check_character(code: str) -> None:
    wrong = next(c for c in credit_code.CHARSET if c != code[-1])
    assert "校验位" in (credit_code.problem(code[:-1] + wrong) or "")


@pytest.mark.parametrize("code", REAL_CODES)
def test_validate_credit_code_rejects_swapped_characters(code: str) -> None:
    i = next(i for i in range(8, 16) if code[i] != code[i + 1])
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    assert not credit_code.is_valid(swapped)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91440300192203821", "18位"),
        ("9144030019220382166", "18位"),
        ("91440300192203821O", "不允许的字符"),
        ("91A403001922038216", "行政区划"),
    ],
)
def test_validate_credit_code_explains_malformed_code(code: str, fragment: str) -> None:
    assert fragment in (credit_code.problem(code) or "")


def test_validate_credit_code_flags_known_pilot_code_that_fails_check() -> None:
    # Early Fujian pilot codes are genuine but do not satisfy the GB 32100 check character.
    assert not credit_code.is_valid("91350211M0000XUF46")


def test_complete_credit_code_appends_check_character() -> None:
    assert credit_code.complete("91440300192203821") == "914403001922038216"
    assert credit_code.normalize(" 9144 0300 1922 0382 16 ") == "914403001922038216"
