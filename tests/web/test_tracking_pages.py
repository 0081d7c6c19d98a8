"""Tracking pages and the tracking API: cockpit, target page, observation entry and import, task reports
with attachments, reminders, downloads, and the unit scope of department users."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, KJJ, SamplePlan, build_sample
from tests.web.conftest import csrf_from
from tests.web.test_charts import shown_chinese
from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.config import Settings
from zhizao.jobs.models import Job
from zhizao.tracking import linking
from zhizao.tracking import observations as obs
from zhizao.tracking.models import Observation, ProgressReport

_CHART = re.compile(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', re.S)


@pytest.fixture
def sample(session: Session, system: Actor) -> SamplePlan:
    sample = build_sample(session)
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    for month, value in ((5, 6.0), (6, 5.2)):
        obs.record_observation(
            session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, month, value)
        )
    linking.confirm_link(session, system, sample.growth.id, series.id)
    return sample


@pytest.fixture
def uploads(app: FastAPI, tmp_path: Path) -> Path:
    app.state.settings = Settings(secret_key="test-secret-key", upload_dir=tmp_path)
    return tmp_path


def _charts(html: str) -> dict[str, Any]:
    return {key: json.loads(body) for key, body in _CHART.findall(html)}


def _docx_bytes() -> bytes:
    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("进展材料")
    doc.save(out)
    return out.getvalue()


def test_show_tracking_index_with_status_summary(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    page = client.get("/tracking")
    assert page.status_code == 200
    assert sample.plan.title in page.text and f"/tracking/plans/{sample.plan.id}" in page.text
    assert 'href="/tracking"' in page.text  # the nav entry


def test_show_cockpit_with_traffic_lights_sparklines_and_bar(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    page = client.get(f"/tracking/plans/{sample.plan.id}?month=2024-06")
    assert page.status_code == 200
    assert 'class="tl status-lagging' in page.text  # 5.2 against 6.5 左右
    assert 'class="tl status-no_data' in page.text  # 规模以上工业企业: no linked series
    charts = _charts(page.text)
    spark = charts[f"spark-{sample.growth.id}"]
    assert spark["series"][0]["data"] == [6.0, 5.2]
    bar = charts["chart-tasks"]
    assert {s["stack"] for s in bar["series"]} == {"tasks"} and GXJ in bar["yAxis"]["data"]
    assert "本月未报送" in page.text


def test_switch_cockpit_month_with_htmx_returns_fragment(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    page = client.get(
        f"/tracking/plans/{sample.plan.id}?month=2024-05",
        headers={"HX-Request": "true", "HX-Target": "cockpit"},
    )
    assert page.status_code == 200
    assert "<html" not in page.text and "2024-05-31" in page.text
    assert 'class="tl status-' in page.text


def test_refuse_bad_cockpit_month(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    assert client.get(f"/tracking/plans/{sample.plan.id}?month=june").status_code == 400


def test_show_target_page_with_chart_against_target(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    page = client.get(f"/tracking/targets/{sample.growth.id}?month=2024-06")
    assert page.status_code == 200
    chart = _charts(page.text)["chart-target"]
    # a growth target against the cumulative growth series, in %, with no 0–100% time line beside it
    assert [s["name"] for s in chart["series"]] == ["累计实际值（%）", "目标值（%）"]
    assert chart["series"][1]["data"][0] == 6.5
    assert 'id="observation-table"' in page.text and "5.2" in page.text


def test_enter_observation_on_target_page(as_user: Any, session: Session, sample: SamplePlan) -> None:
    client = as_user("admin")
    token = csrf_from(client, f"/tracking/targets/{sample.growth.id}")
    form = {"period_type": "ytd", "year": "2024", "period": "7", "value": "6.8", "source": "市统计局"}
    response = client.post(
        f"/tracking/targets/{sample.growth.id}/observations", data=form | {"csrf_token": token}
    )
    assert response.status_code == 303
    values = {(o.period, o.value) for o in session.query(Observation).filter(Observation.year == 2024)}
    assert (7, 6.8) in values
    audited = session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == Observation.__tablename__))
    assert "admin-user" in set(audited)  # the request's user, not "system"


def test_refuse_observation_without_csrf(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    form = {"period_type": "ytd", "year": "2024", "period": "7", "value": "6.8"}
    assert client.post(f"/tracking/targets/{sample.growth.id}/observations", data=form).status_code == 403


def test_confirm_suggested_link_on_target_page(as_user: Any, session: Session, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规模以上工业企业数量", "家")
    client = as_user("admin")
    page = client.get(f"/tracking/targets/{sample.firms.id}")
    assert 'id="suggestions"' in page.text and "规模以上工业企业数量" in page.text
    token = csrf_from(client, f"/tracking/targets/{sample.firms.id}")
    data = {"series_id": str(series.id), "base_value": "3000", "csrf_token": token}
    assert client.post(f"/tracking/targets/{sample.firms.id}/link", data=data).status_code == 303
    link = linking.link_for(session, sample.firms.id)
    assert link is not None and link.series_id == series.id and link.confirmed_by == "admin-user"
    assert link.base_value == 3000


def test_download_and_import_observation_template(as_user: Any, session: Session, sample: SamplePlan) -> None:
    client = as_user("admin")
    template = client.get("/tracking/observations/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.append(["规上工业增加值增速", "370200", "累计", 2024, 8, 7.0, "市统计局", ""])
    out = io.BytesIO()
    book.save(out)
    token = csrf_from(client, "/tracking")
    files = {"file": ("观测值.xlsx", out.getvalue(), "application/octet-stream")}
    response = client.post(
        "/tracking/observations/import", data={"csrf_token": token, "next": "/tracking"}, files=files
    )
    assert response.status_code == 303 and response.headers["location"] == "/tracking?imported=1"
    assert session.query(Observation).filter(Observation.period == 8, Observation.value == 7.0).count() == 1


def test_refuse_bad_observation_import_with_row_and_column(
    as_user: Any, session: Session, sample: SamplePlan
) -> None:
    client = as_user("admin")
    book = Workbook()
    sheet = book.active
    sheet.append(obs.TEMPLATE_HEADERS)
    sheet.append(["规上工业增加值增速", "370200", "累计", 2024, 9, 7.1, "", ""])
    sheet.append(["规上工业增加值增速", "370200", "累计", 2024, 10, "很多", "", ""])
    out = io.BytesIO()
    book.save(out)
    token = csrf_from(client, "/tracking")
    files = {"file": ("观测值.xlsx", out.getvalue(), "application/octet-stream")}
    response = client.post("/tracking/observations/import", data={"csrf_token": token}, files=files)
    assert response.status_code == 400 and "第3行" in response.text and "数值" in response.text
    assert session.query(Observation).filter(Observation.period == 9).count() == 0


def test_submit_report_with_attachment_and_see_history(
    as_user: Any, session: Session, sample: SamplePlan, uploads: Path
) -> None:
    client = as_user("department", "gxj", unit_name=GXJ)
    page = client.get(f"/tracking/tasks/{sample.a_gxj.id}")
    assert page.status_code == 200 and 'id="report-form"' in page.text
    token = csrf_from(client, f"/tracking/tasks/{sample.a_gxj.id}")
    data = {
        "csrf_token": token,
        "reported_on": "2024-06-20",
        "text": "已完成设备招标",
        "status": "推进中",
        "percent": "60",
    }
    content = _docx_bytes()
    files = [("files", ("材料.docx", content, "application/octet-stream"))]
    response = client.post(
        f"/tracking/tasks/{sample.a_gxj.id}/reports", data=data, files=files, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "已完成设备招标" in response.text and "材料.docx" in response.text and "<html" not in response.text
    report = session.query(ProgressReport).filter_by(assignment_id=sample.a_gxj.id).one()
    assert report.percent == 60 and report.status == "in_progress" and len(report.attachments) == 1
    attachment = report.attachments[0]
    assert (uploads / "reports" / attachment.stored_name).is_file()
    download = client.get(f"/tracking/attachments/{attachment.id}")
    assert download.status_code == 200 and download.content == _docx_bytes.__call__().__class__(
        download.content
    )
    assert download.content[:2] == b"PK"


def test_refuse_report_with_disguised_attachment(
    as_user: Any, session: Session, sample: SamplePlan, uploads: Path
) -> None:
    client = as_user("department", "gxj", unit_name=GXJ)
    token = csrf_from(client, f"/tracking/tasks/{sample.a_gxj.id}")
    data = {"csrf_token": token, "reported_on": "2024-06-20", "text": "进展", "status": "推进中"}
    files = [("files", ("材料.pdf", b"MZ not a pdf", "application/pdf"))]
    response = client.post(f"/tracking/tasks/{sample.a_gxj.id}/reports", data=data, files=files)
    assert response.status_code == 400 and "不符" in response.text
    assert session.query(ProgressReport).filter_by(assignment_id=sample.a_gxj.id).count() == 0


def test_department_sees_only_own_assignments(as_user: Any, session: Session, sample: SamplePlan) -> None:
    client = as_user("department", "gxj", unit_name=GXJ)
    page = client.get("/tracking/tasks")
    assert f"/tracking/tasks/{sample.a_gxj.id}" in page.text
    assert f"/tracking/tasks/{sample.a_kjj.id}" not in page.text
    assert f"/tracking/tasks/{sample.a_swj.id}" not in page.text  # 工信局 only cooperates


def test_department_cannot_read_or_report_another_units_assignment(
    as_user: Any, session: Session, sample: SamplePlan
) -> None:
    client = as_user("department", "gxj", unit_name=GXJ)
    assert client.get(f"/tracking/tasks/{sample.a_kjj.id}").status_code == 404
    token = csrf_from(client, "/tracking/tasks")
    data = {"csrf_token": token, "reported_on": "2024-06-20", "text": "越权", "status": "推进中"}
    assert client.post(f"/tracking/tasks/{sample.a_kjj.id}/reports", data=data).status_code == 404
    assert client.get(f"/api/v1/tracking/assignments/{sample.a_kjj.id}/reports").status_code == 404
    body = {"reported_on": "2024-06-20", "text": "越权", "status": "推进中"}
    response = client.post(
        f"/api/v1/tracking/assignments/{sample.a_kjj.id}/reports", json=body, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 404
    assert client.get("/tracking/tasks/999999").status_code == 404
    assert session.query(ProgressReport).count() == 0


def test_show_reminders_per_unit(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    page = client.get("/tracking/reminders?as_of=2024-07-05")
    assert page.status_code == 200
    assert page.text.count('class="box reminder-unit"') == 3 and "逾期" in page.text


def test_download_bulletin_and_ledger_for_a_month(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    docx = client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx?month=2024-06")
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "督查通报" in text and "2024年6月" in text
    xlsx = client.get(f"/tracking/plans/{sample.plan.id}/ledger.xlsx?month=2024-06")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[:2] == ["目标", "任务"]


def test_bulletin_is_written_by_a_job_its_owner_alone_downloads(
    as_user: Any, client: TestClient, session: Session, sample: SamplePlan
) -> None:
    as_user("analyst", "bulletin-owner")
    docx = client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx?month=2024-06")
    assert docx.status_code == 200  # ready within the job's wait: sent at once
    job = session.scalars(select(Job).where(Job.kind == "bulletin")).one()
    assert job.status == "done" and job.result_url == f"/jobs/{job.id}/file"
    assert "督查通报-2024年6月" in client.get("/jobs").text
    again = client.get(job.result_url)
    assert again.status_code == 200 and again.content == docx.content
    assert "attachment" in again.headers["content-disposition"]
    client.cookies.clear()
    as_user("analyst", "bulletin-other")
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(job.result_url).status_code == 404
    assert client.get(f"/jobs/{job.id + 1000}/file").status_code == 404


def test_department_cannot_download_bulletin(as_user: Any, session: Session, sample: SamplePlan) -> None:
    client = as_user("department", "gxj", unit_name=GXJ)
    assert client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx?month=2024-06").status_code == 403
    assert client.get(f"/tracking/plans/{sample.plan.id}/bulletin?month=2024-06").status_code == 403
    bad = client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx?month=2024-06&copy_number=x")
    assert bad.status_code == 403  # a bad option does not show the form to a role that may not download


def test_bulletin_form_offers_the_masthead_options_and_downloads_with_them(
    as_user: Any, sample: SamplePlan, home_region: Any
) -> None:
    home_region("370200")
    client = as_user("analyst")
    page = client.get(f"/tracking/plans/{sample.plan.id}/bulletin?month=2024-06")
    assert page.status_code == 200
    form = page.text[page.text.index('id="bulletin-form"') :]
    for name in ("month", "number", "copy_number", "classification", "cc", "printer", "printed_on"):
        assert f'name="{name}"' in form, name
    assert '<option value="2024-06" selected>' in form
    assert "督查通报〔2024〕第6期" in form and "青岛市工业和信息化局办公室" in form  # the defaults shown
    query = {
        "month": "2024-06",
        "number": "青工信督[2024]6号",
        "copy_number": "12",
        "classification": "秘密★1年",
        "cc": "市人民政府办公室\n市发展和改革委员会",
        "printer": "",
        "printed_on": "2024-07-05",
    }
    docx = client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx", params=query)
    assert docx.status_code == 200, docx.text
    doc = Document(io.BytesIO(docx.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["000012", "秘密★1年", "青岛市工业和信息化局文件", "青工信督〔2024〕6号"]
    colophon = doc.tables[-1]
    assert colophon.rows[0].cells[0].text == "抄送：市人民政府办公室，市发展和改革委员会。"
    assert [c.text for c in colophon.rows[1].cells] == ["青岛市工业和信息化局办公室", "2024年7月5日印发"]


def test_bulletin_download_with_bad_options_shows_the_form_again_in_chinese(
    as_user: Any, sample: SamplePlan
) -> None:
    client = as_user("admin")
    query = {"month": "2024-05", "number": "6号", "copy_number": "第12份", "cc": "市人民政府办公室"}
    page = client.get(f"/tracking/plans/{sample.plan.id}/bulletin.docx", params=query)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "版头、版记选项有误（2 处）" in page.text
    assert "发文字号应含用六角括号括入的四位年份" in page.text and "份号应为不超过 6 位的数字" in page.text
    # what was typed is kept, and the fields in error are marked
    assert 'value="第12份"' in page.text and ">市人民政府办公室</textarea>" in page.text
    assert '<option value="2024-05" selected>' in page.text
    assert page.text.count("input is-danger") == 2


def test_api_plan_progress_series_assignments_and_alerts(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    progress = client.get(f"/api/v1/tracking/plans/{sample.plan.id}/progress?as_of=2024-06-30").json()
    statuses = {t["indicator"]: t["status"] for t in progress["targets"]}
    assert statuses == {"规模以上工业增加值": "lagging", "规模以上工业企业": "no_data"}
    assert progress["schedule"] == pytest.approx(0.5)
    series = client.get(f"/api/v1/tracking/targets/{sample.growth.id}/series?as_of=2024-06-30").json()
    assert [p["value"] for p in series["points"]] == [6.0, 5.2]
    assignments = client.get(f"/api/v1/tracking/assignments?plan_id={sample.plan.id}").json()
    assert len(assignments) == 3
    alerts = client.get(f"/api/v1/tracking/alerts?as_of=2024-07-05&plan_id={sample.plan.id}").json()
    assert "overdue" in {a["kind"] for a in alerts}


def test_api_report_by_department_user(as_user: Any, session: Session, sample: SamplePlan) -> None:
    client = as_user("department", "kjj", unit_name=KJJ)
    token = csrf_from(client, "/tracking/tasks")
    body = {"reported_on": "2024-06-20", "text": "实验室选址完成", "status": "已完成"}
    response = client.post(
        f"/api/v1/tracking/assignments/{sample.a_kjj.id}/reports", json=body, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 201, response.text
    assert response.json()["percent"] == 100 and response.json()["status_label"] == "已完成"
    assignments = client.get("/api/v1/tracking/assignments").json()
    assert [a["id"] for a in assignments] == [sample.a_kjj.id] and assignments[0]["status"] == "completed"


def test_anonymous_is_redirected_from_pages_and_refused_by_api(
    client: TestClient, sample: SamplePlan
) -> None:
    response = client.get(f"/tracking/plans/{sample.plan.id}")
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert client.get("/api/v1/tracking/assignments").status_code == 401


def test_show_target_page_in_english(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    token = csrf_from(client, "/tracking")
    client.post("/lang", data={"lang": "en", "next": "/tracking", "csrf_token": token})
    page = client.get(f"/tracking/targets/{sample.growth.id}?month=2024-06")
    assert page.status_code == 200 and "Lagging" in page.text
    chart = _charts(page.text)["chart-target"]
    assert [s["name"] for s in chart["series"]] == ["Cumulative actual (%)", "Target value (%)"]


def test_labels_built_in_code_are_translated_in_english(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    client.cookies.set("zhizao_lang", "en", domain="127.0.0.1")
    cockpit = client.get(f"/tracking/plans/{sample.plan.id}?as_of=2024-06-30").text
    assert "about 6.5%" in cockpit and "5000 firms or more" in cockpit
    assert "左右" not in cockpit and "家以上" not in cockpit
    reminders = client.get("/tracking/reminders?as_of=2024-07-05").text
    assert "days overdue (due 2024-06-30)" in reminders and "已逾期" not in reminders


def test_urge_is_shown_to_the_responsible_unit_until_it_reports(
    as_user: Any, session: Session, sample: SamplePlan
) -> None:
    client = as_user("analyst", "duban", display_name="督查科")
    token = csrf_from(client, "/tracking/tasks")
    urged = client.post(
        f"/tracking/tasks/{sample.a_gxj.id}/urge", data={"csrf_token": token, "note": "请于本周内报送"}
    )
    assert urged.status_code == 303
    office_home = client.get("/")
    assert 'id="tile-urged"' not in office_home.text  # the office urges; the unit is urged
    office_list = client.get("/tracking/tasks").text
    assert office_list.count('class="urged-open"') == 1 and "督查科 · " in office_list

    client.cookies.clear()  # log out
    client = as_user("department", "gxj", unit_name=GXJ)
    home = client.get("/").text
    tile = home[home.index('id="tile-urged"') :]
    assert "被催办" in tile and "请于本周内报送" in tile and "督查科 · " in tile
    assert f'href="/tracking/tasks/{sample.a_gxj.id}"' in tile and 'href="/tracking/tasks?urged=true"' in tile
    listed = client.get("/tracking/tasks?urged=true").text
    assert listed.count('class="urged-open"') == 1 and f'href="/tracking/tasks/{sample.a_gxj.id}"' in listed
    page = client.get(f"/tracking/tasks/{sample.a_gxj.id}").text
    assert "督查科 于 " in page and "催办，报送进展后解除" in page

    token = csrf_from(client, f"/tracking/tasks/{sample.a_gxj.id}")
    report = {"csrf_token": token, "reported_on": "2024-06-20", "text": "已报送", "status": "推进中"}
    assert client.post(f"/tracking/tasks/{sample.a_gxj.id}/reports", data=report).status_code == 303
    assert 'id="tile-urged"' not in client.get("/").text
    after = client.get("/tracking/tasks").text
    assert 'class="urged-open"' not in after and "已催办 1 次" in after

    client.cookies.clear()
    client = as_user("department", "kjj", unit_name=KJJ)  # another unit: nothing of it
    assert 'id="tile-urged"' not in client.get("/").text
    client.cookies.clear()
    client = as_user("district", region_code="370211")  # a district officer does not report: no tile
    assert 'id="tile-urged"' not in client.get("/").text


def test_target_and_cockpit_charts_in_english_show_no_chinese(as_user: Any, sample: SamplePlan) -> None:
    client = as_user("admin")
    client.cookies.set("zhizao_lang", "en")
    charts = {}
    for path in (f"/tracking/targets/{sample.growth.id}", f"/tracking/plans/{sample.plan.id}?month=2024-06"):
        page = client.get(path)
        assert page.status_code == 200
        for chart_id, body in re.findall(
            r'<script type="application/json" id="([\w-]+)">(.*?)</script>', page.text, re.S
        ):
            charts[chart_id] = json.loads(body)
    assert "chart-target" in charts and "chart-tasks" in charts
    target = charts["chart-target"]
    assert shown_chinese(target) == [], target
    assert [s["name"] for s in target["series"]][:2] == ["Cumulative actual (%)", "Target value (%)"]
    tasks = charts.pop("chart-tasks")
    assert shown_chinese(tasks["series"]) == []  # the status names; the unit names on the axis are data
    for chart_id, option in charts.items():
        assert shown_chinese(option) == [], chart_id
