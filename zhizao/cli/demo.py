"""`zhizao demo`: load the synthetic demo of a prefecture or province (its real districts and counties,
fictional enterprises)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zhizao.audit.log import acting_as
from zhizao.auth.roles import ROLE_LABELS
from zhizao.auth.scope import Actor
from zhizao.cli.common import console, handle_errors, lazy
from zhizao.config import get_settings
from zhizao.db.session import session_scope
from zhizao.reference.data_files import region_names

if TYPE_CHECKING:
    from zhizao.demo import accounts, population, regions
    from zhizao.demo import city as demo_city
    from zhizao.demo.city import CityResult
    from zhizao.demo.population import DemoSpec
else:  # imported when the command runs (the loader needs NumPy, pandas and the evaluation)
    accounts, population = lazy("zhizao.demo.accounts"), lazy("zhizao.demo.population")
    regions, demo_city = lazy("zhizao.demo.regions"), lazy("zhizao.demo.city")

LOGIN_URL = "http://127.0.0.1:8000"


@handle_errors
def demo(
    size: int = typer.Option(6000, "--size", min=1, help="演示企业数量(约5/6为规上)；1000000 可测性能"),
    seed: int = typer.Option(2024, "--seed", help="随机种子：相同种子和数量生成完全相同的数据"),
    force: bool = typer.Option(False, "--force", help="数据库中已有非演示企业时，也全部替换为演示数据"),
    registry_only: bool = typer.Option(
        False, "--registry-only", help="只载入企业库和演示账号，不载入计划、督查和评价(大规模基准测试用)"
    ),
    region: str | None = typer.Option(
        None, "--region", help="演示地区的行政区划代码(地级市或省的6位代码)；默认 ZHIZAO_HOME_REGION"
    ),
) -> None:
    """载入一个地级市或省的演示数据(真实区划、虚构企业)，并创建演示账号 (load the synthetic demo).

    企业名称、信用代码和数据均为虚构，仅供演示；数据集会标记为 synthetic-demo，界面据此显示提示。
    已有的演示数据会被替换。
    """
    home = get_settings().home_region
    code = region or home
    regions.demo_region(code)  # a clear message for a missing or unusable code, before any work
    assert code is not None
    spec = population.DemoSpec.sized(size, seed, code)
    actor = Actor.system()
    with (
        Progress(
            TextColumn("[bold]生成并写入演示企业"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=size < 20_000,
        ) as bar,
        session_scope() as session,
        acting_as(actor.username),
    ):
        task = bar.add_task("demo", total=size)
        loaded = demo_city.load_demo_city(
            session,
            actor,
            spec,
            force=force,
            registry_only=registry_only,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    _report(spec, loaded)
    if not home:
        console.print(
            "[yellow]提示[/yellow] 本系统的区域(ZHIZAO_HOME_REGION)未设置；演示地区已记录在数据库中，"
            f"要让系统按演示地区工作，请设置 [bold]ZHIZAO_HOME_REGION={code}[/bold]"
        )


def _report(spec: DemoSpec, city: CityResult) -> None:
    result = city.registry
    console.print(
        f"[green]已载入演示数据(虚构)[/green] 企业 {result.enterprises:,} 家"
        f" (规上 {result.above_scale:,}，规下 {result.below_scale:,})，"
        f"指标数据 {result.figures:,} 条，年度 {spec.years[0]}-{spec.years[-1]}"
        + (f"，{spec.current_year}年1-{spec.months[-1]}月月度数据" if len(spec.months) else "")
    )
    if result.removed:
        console.print(f"替换了原有企业 {result.removed:,} 家")
    console.print(f"用时 {result.seconds:.1f} 秒 (种子 {spec.seed})")
    region = city.region
    console.print(f"演示地区 {region.code} {region.name}：企业分布在 {len(region.districts)} 个区县")
    stats = (
        f"{region.name}实际统计数据 {city.observations} 条，关联目标 {city.target_links} 个"
        if city.observations
        else f"没有{region.name}的实际统计数据(仅有虚构的演示序列)"
    )
    kind = "" if region.documents else "(按模板生成，标为演示数据（虚构）)"
    console.print(
        f"政策文件 {city.plans} 份已确认入库{kind}；{stats}"
        + (f"；亩产效益评价结果已保存 (运行 #{city.evaluation_run_id})" if city.evaluation_run_id else "")
    )
    activity = city.activity
    console.print(
        f"[yellow]演示督查数据(虚构)[/yellow]：企业库汇总关联目标 {activity.registry_links} 个；"
        f"其余目标的虚构月度数据 {activity.synthetic_series} 组 ({activity.synthetic_observations} 条，"
        f"来源标为“演示数据（虚构）”)；任务进展报送 {activity.reports} 条"
    )
    if city.cultivation.titles:
        console.print(
            f"[yellow]演示企业培育(虚构)[/yellow]：称号 {city.cultivation.titles} 个，"
            f"预计全年工业总产值 {city.cultivation.forecasts} 家，"
            f"培育测算已保存 (运行 #{city.cultivation.run_id})"
        )
    service = city.service
    if service.visits:
        console.print(
            f"[yellow]演示企业服务(虚构)[/yellow]：服务专员 {service.assignments} 家，"
            f"一季度走访 {service.visits} 次，走访发现的诉求 {service.requests} 件"
            + (f"；载入示例诉求类别 {service.categories} 个" if service.categories else "")
        )
    if city.index_observations:
        console.print(
            f"[yellow]高质量发展指数的虚构地区数据[/yellow] {city.index_observations} 条 (企业库算不出的指标)"
        )
    if city.projects:
        console.print(
            f"[yellow]演示重点项目(虚构)[/yellow]：{city.projects} 个，含本年月度调度、年初基线与停缓建示例"
        )
    table = Table(title="演示账号 (仅限演示模式)")
    for column in ("用户名", "角色", "区域", "单位/企业", "密码"):
        table.add_column(column)
    regions = region_names()
    for item in result.accounts:
        account = item.account
        password = accounts.DEMO_PASSWORD if item.created else "(账号已存在，未修改)"
        where = (
            f"{account.region_code} {regions[account.region_code]}" if account.region_code else region.name
        )
        table.add_row(account.username, ROLE_LABELS[account.role], where, item.detail, password)
    console.print(table)
    console.print(f"登录地址: [bold]{LOGIN_URL}[/bold]  (启动: zhizao serve)")
