"""The audit log in words: who (系统 for the system), what (新增, 修改 …), on what (企业, 任务分工 …) and each
change as "字段：旧值 → 新值" in readable Chinese, never JSON with escapes. Codes without a label are shown
as they are (a new table or field shows up as its name until it is given one here)."""

from __future__ import annotations

from typing import Any

SYSTEM_LABEL = "系统"

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "import": "导入",
    "rollback": "撤销导入",
    "login": "登录",
    "logout": "退出登录",
    "login_failure": "登录失败",
    "lockout": "登录锁定",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "sign_out_everywhere": "注销全部会话",
    "sign_out_others": "注销其他会话",
    "evaluation_store": "保存评价结果",
    "demo_series_removed": "删除演示数据序列",
}

ENTITY_LABELS = {
    "plans": "规划文件",
    "plan_targets": "目标",
    "plan_tasks": "任务",
    "task_assignments": "任务分工",
    "assignment_units": "分工单位",
    "unit_mappings": "单位对应",
    "evaluation_runs": "评价批次",
    "evaluation_results": "评价结果",
    "users": "用户",
    "app_meta": "系统信息",
    "regions": "行政区划",
    "industries": "行业分类",
    "units": "单位",
    "calendar_days": "工作日历",
    "imports": "导入记录",
    "figure_changes": "指标数据变更",
    "service_assignments": "服务专员分工",
    "service_visits": "走访记录",
    "service_config_versions": "服务配置",
    "service_categories": "诉求类别",
    "service_requests": "企业诉求",
    "service_request_events": "诉求办理记录",
    "tracked_series": "监测指标",
    "observations": "监测数据",
    "target_links": "目标与指标关联",
    "plan_tracking_settings": "督查阈值",
    "progress_reports": "进展报送",
    "report_attachments": "报送附件",
    "indicators": "指标目录",
    "enterprises": "企业",
    "enterprise_figures": "企业指标数据",
}

FIELD_LABELS = {
    "id": "编号",
    "name": "名称",
    "title": "标题",
    "text": "内容",
    "status": "状态",
    "role": "角色",
    "username": "用户名",
    "display_name": "姓名",
    "address": "IP地址",
    "region_code": "地区代码",
    "unit_id": "单位",
    "enterprise_id": "企业",
    "credit_code": "统一社会信用代码",
    "industry_code": "行业代码",
    "above_scale": "规模以上",
    "established_on": "成立日期",
    "indicator_id": "指标",
    "year": "年份",
    "month": "月份",
    "value": "数值",
    "source": "来源",
    "note": "备注",
    "reason": "原因",
    "deadline": "完成时限",
    "deadline_text": "完成时限（原文）",
    "reported_on": "报送日期",
    "percent": "完成比例",
    "author": "报送人",
    "measure": "计量",
    "qualifier": "口径",
    "target_year": "目标年份",
    "base_year": "基期年份",
    "indicator": "指标",
    "review_status": "审核状态",
    "issuer": "发文机关",
    "doc_number": "文号",
    "rows": "行数",
    "counters": "计数",
    "disabled": "已停用",
    "active": "启用",
}

VALUE_LABELS = {
    True: "是",
    False: "否",
    None: "空",
    "system": SYSTEM_LABEL,
    "growth": "增长",
    "share": "比重",
    "level": "水平",
    "increase": "新增",
    "reduction": "下降",
    "rank": "位次",
    "about": "左右",
    "at_least": "以上",
    "at_most": "以内",
    "exact": "恰好",
    "pending": "待审核",
    "accepted": "已接受",
    "rejected": "已驳回",
    "review": "待审核",
    "confirmed": "已确认",
    "not_started": "未启动",
    "in_progress": "推进中",
    "completed": "已完成",
    "blocked": "受阻",
    "admin": "管理员",
    "analyst": "分析员",
    "department": "部门工作人员",
    "district": "地区工作人员",
    "enterprise": "企业用户",
}


def actor_label(actor: str) -> str:
    return SYSTEM_LABEL if actor == "system" else actor


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def value_text(value: Any) -> str:
    """A stored value as a reader would write it: 是/否/空 and known codes in words, lists joined by 、."""
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value) or "空"
    if isinstance(value, dict):
        return "；".join(f"{field_label(str(k))}：{value_text(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        if value in VALUE_LABELS:
            return VALUE_LABELS[value]
    except TypeError:  # an unhashable value
        pass
    return str(value)


def change_lines(changes: dict[str, Any]) -> list[str]:
    """Each change on its own line: "字段：旧 → 新" for an update, "字段：值" otherwise."""
    lines = []
    for key, change in changes.items():
        if isinstance(change, dict) and set(change) == {"old", "new"}:
            lines.append(f"{field_label(key)}：{value_text(change['old'])} → {value_text(change['new'])}")
        else:
            lines.append(f"{field_label(key)}：{value_text(change)}")
    return lines
