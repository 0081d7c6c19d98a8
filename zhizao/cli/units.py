"""`zhizao units ...`: the organisation list (departments and governments that documents name)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.cli.common import console, handle_errors
from zhizao.config import get_settings
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.plans.units import all_units
from zhizao.reference.unit_import import import_units
from zhizao.reference.units import init_units

app = typer.Typer(help="单位清单: 按模板生成、导入、查看 (the organisation list).", no_args_is_help=True)

KIND_LABELS = {"department": "部门", "district": "下级政府", "other": "其他"}


@app.command("init")
@handle_errors
def init(
    region: str | None = typer.Option(
        None, "--region", help="行政区划代码(省、市或县)；默认 ZHIZAO_HOME_REGION"
    ),
) -> None:
    """按单位模板生成本区域的部门、党委人大办公室和下级政府 (create the template units)."""
    code = region or get_settings().home_region
    if not code:
        raise InvalidInput("请用 --region 指定行政区划代码，或设置 ZHIZAO_HOME_REGION")
    with session_scope() as session, acting_as(Actor.system().username):
        changed = init_units(session, code)
    console.print(f"[green]已按模板生成 {code} 的单位[/green]，新增或更新 {changed} 个")


@app.command("import")
@handle_errors
def import_file(
    file: Path = typer.Argument(
        ..., help="单位清单 (.xlsx 或 .csv)：名称、简称、上级单位、层级/类别、所属行政区划"
    ),
) -> None:
    """导入本地单位清单，补充模板没有的单位(开发区、专班等)；有一行出错则不导入 (import a unit list)."""
    actor = Actor.system()
    with session_scope() as session:
        result = import_units(session, actor, file)
    console.print(
        f"[green]已导入单位清单[/green] 新增 {len(result.created)} 个，更新 {len(result.updated)} 个"
    )


@app.command("list")
@handle_errors
def list_units(
    kind: str | None = typer.Option(None, "--kind", help="只列出一类: department, district, other"),
) -> None:
    """列出单位清单及其简称 (list the units)."""
    with session_scope() as session:
        units = [u for u in all_units(session) if kind is None or u.kind == kind]
        names = {u.id: u.name for u in units}
        table = Table(title=f"单位清单 ({len(units)})")
        for column in ("名称", "类别", "行政区划", "简称", "上级单位"):
            table.add_column(column)
        for unit in units:
            parent = names.get(unit.parent_id, "") if unit.parent_id else ""
            aliases = "、".join(unit.aliases or [])
            table.add_row(
                unit.name, KIND_LABELS.get(unit.kind, unit.kind), unit.region_code or "", aliases, parent
            )
    console.print(table)
