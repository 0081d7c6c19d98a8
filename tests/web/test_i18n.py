"""The English catalogue covers every string the templates, the navigation and the role names show."""

from __future__ import annotations

import json
import re

from zhizao.auth.roles import ROLE_LABELS
from zhizao.web.i18n import LOCALES_DIR, catalogue, gettext_for
from zhizao.web.nav import NAV_ITEMS
from zhizao.web.templating import TEMPLATES_DIR

_CALL = re.compile(r"""\b_\(\s*(["'])(.+?)\1""")


def _template_strings() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        found.update(m.group(2) for m in _CALL.finditer(path.read_text(encoding="utf-8")))
    for path in (TEMPLATES_DIR.parent / "routes").glob("*.py"):
        found.update(m.group(2) for m in _CALL.finditer(path.read_text(encoding="utf-8")))
    return found


def test_translate_every_template_string() -> None:
    strings = _template_strings()
    assert len(strings) > 30
    missing = sorted(s for s in strings if s not in catalogue("en"))
    assert not missing, f"add these to {LOCALES_DIR / 'en.json'}: {missing}"


def test_translate_nav_and_role_labels() -> None:
    labels = [item.label for item in NAV_ITEMS] + list(ROLE_LABELS.values())
    assert not [label for label in labels if label not in catalogue("en")]


def test_keep_placeholders_in_translations() -> None:
    for source, english in json.loads((LOCALES_DIR / "en.json").read_text(encoding="utf-8")).items():
        assert sorted(re.findall(r"%\(\w+\)s", source)) == sorted(re.findall(r"%\(\w+\)s", english)), source


def test_format_translated_message() -> None:
    assert gettext_for("en")("共 %(n)s 家企业", n=3) == "3 enterprises"
    assert gettext_for("zh-CN")("共 %(n)s 家企业", n=3) == "共 3 家企业"


def test_translate_labels_built_in_code_by_catalogue_patterns() -> None:
    from zhizao.web.i18n import translate

    assert translate("5000家以上", "en") == "5000 firms or more"
    assert translate("6.5%左右", "en") == "about 6.5%"
    assert translate("A类", "en") == "Class A"
    assert translate("规上", "en") == catalogue("en")["规上"]
    assert translate("规下(用地≥3亩)", "en") == "Below scale (land ≥ 3 mu)"
    assert translate("2024年6月尚未报送进展", "en") == "no progress report for 2024-6 yet"
    assert translate("市工业和信息化局", "en") == "市工业和信息化局"  # no entry: as it is
    assert translate("5000家以上", "zh-CN") == "5000家以上"
    assert translate("规模以上", "en") == catalogue("en").get("规模以上", "规模以上")  # not 规模 + 以上
