"""The shape of a demo region's manufacturing: which industries it runs, where they sit (the region's
weights and clusters, from `demo.regions`), and how each industry turns revenue into output, value added,
energy, electricity, emissions and jobs.

These are plausible round numbers chosen for a demonstration, not statistics of a real place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zhizao.demo.regions import demo_region
from zhizao.reference.data_files import read_rows


@dataclass(frozen=True)
class DivisionProfile:
    """How a GB/T 4754 division (2 digits) behaves. Intensities are per 万元 of output value."""

    weight: float  # share of enterprises (relative)
    energy: float  # 吨标准煤 per 万元 output
    electricity: float  # 万千瓦时 per 万元 output
    emission: float  # 吨 pollutant equivalent per 万元 output
    revenue_per_head: float  # 万元 revenue per employee
    value_added: float  # value added as a share of output (mean)
    density: float  # 万元 output per 亩 of land (mean)


def _p(w: float, en: float, el: float, em: float, rph: float, va: float, dens: float) -> DivisionProfile:
    return DivisionProfile(w, en, el, em, rph, va, dens)


DIVISIONS: dict[str, DivisionProfile] = {
    "13": _p(4.0, 0.060, 0.030, 0.0020, 140, 0.24, 420),  # 农副食品加工
    "14": _p(3.0, 0.070, 0.035, 0.0020, 110, 0.29, 380),  # 食品制造
    "15": _p(1.2, 0.080, 0.040, 0.0025, 150, 0.33, 450),  # 酒、饮料 (啤酒)
    "16": _p(0.05, 0.020, 0.015, 0.0003, 600, 0.45, 900),  # 烟草
    "17": _p(3.5, 0.120, 0.080, 0.0040, 60, 0.25, 260),  # 纺织
    "18": _p(5.0, 0.020, 0.020, 0.0004, 35, 0.28, 230),  # 服装服饰
    "19": _p(1.2, 0.030, 0.025, 0.0030, 45, 0.26, 240),  # 皮革制鞋
    "20": _p(1.2, 0.080, 0.050, 0.0020, 70, 0.25, 200),  # 木材加工
    "21": _p(1.5, 0.030, 0.030, 0.0008, 55, 0.27, 210),  # 家具
    "22": _p(1.0, 0.300, 0.120, 0.0080, 110, 0.26, 280),  # 造纸
    "23": _p(1.5, 0.030, 0.040, 0.0006, 60, 0.30, 260),  # 印刷
    "24": _p(3.0, 0.020, 0.025, 0.0005, 45, 0.27, 240),  # 文教工美体育娱乐用品
    "25": _p(0.4, 0.900, 0.080, 0.0100, 600, 0.20, 900),  # 石油煤炭加工
    "26": _p(5.0, 0.350, 0.100, 0.0060, 220, 0.26, 380),  # 化学原料和化学制品
    "27": _p(1.5, 0.080, 0.060, 0.0020, 110, 0.38, 520),  # 医药
    "28": _p(0.3, 0.250, 0.150, 0.0040, 250, 0.22, 400),  # 化学纤维
    "29": _p(7.0, 0.120, 0.120, 0.0015, 90, 0.26, 330),  # 橡胶和塑料 (轮胎)
    "30": _p(4.0, 0.800, 0.130, 0.0120, 100, 0.28, 180),  # 非金属矿物
    "31": _p(0.6, 1.200, 0.200, 0.0150, 400, 0.20, 500),  # 黑色金属
    "32": _p(0.8, 0.400, 0.300, 0.0060, 300, 0.20, 450),  # 有色金属
    "33": _p(9.0, 0.060, 0.060, 0.0010, 80, 0.27, 260),  # 金属制品
    "34": _p(10.0, 0.030, 0.035, 0.0005, 85, 0.30, 300),  # 通用设备
    "35": _p(7.0, 0.025, 0.030, 0.0005, 90, 0.31, 320),  # 专用设备
    "36": _p(5.0, 0.030, 0.035, 0.0006, 160, 0.23, 480),  # 汽车
    "37": _p(3.0, 0.035, 0.040, 0.0008, 140, 0.27, 420),  # 铁路、船舶、航空航天 (轨道交通, 船舶)
    "38": _p(8.0, 0.020, 0.030, 0.0004, 150, 0.26, 520),  # 电气机械和器材 (家电)
    "39": _p(5.0, 0.015, 0.040, 0.0003, 130, 0.28, 600),  # 计算机、通信和其他电子设备
    "40": _p(1.5, 0.015, 0.025, 0.0003, 80, 0.35, 420),  # 仪器仪表
    "41": _p(0.6, 0.030, 0.030, 0.0008, 50, 0.28, 220),  # 其他制造
    "42": _p(0.5, 0.150, 0.080, 0.0060, 150, 0.22, 200),  # 废弃资源综合利用
    "43": _p(0.5, 0.030, 0.030, 0.0008, 60, 0.35, 200),  # 金属制品、机械和设备修理
    "44": _p(0.8, 1.800, 0.150, 0.0200, 450, 0.30, 350),  # 电力、热力生产和供应
    "45": _p(0.3, 0.050, 0.020, 0.0010, 500, 0.25, 500),  # 燃气生产和供应
    "46": _p(0.4, 0.100, 0.350, 0.0030, 90, 0.40, 150),  # 水的生产和供应
}

# Seasonal shape of a manufacturing year (Spring Festival dip in February, year-end push in December).
SEASON = np.array([0.86, 0.70, 1.00, 1.00, 1.02, 1.05, 0.98, 0.99, 1.03, 1.02, 1.08, 1.27])


@dataclass(frozen=True)
class IndustryTable:
    """The 4-digit classes the demo draws from, with their sampling probabilities and profiles."""

    codes: np.ndarray  # str, 4-digit class codes
    probabilities: np.ndarray  # float, sums to 1
    energy: np.ndarray
    electricity: np.ndarray
    emission: np.ndarray
    revenue_per_head: np.ndarray
    value_added: np.ndarray
    density: np.ndarray
    cluster: np.ndarray  # int, index into the region's clusters or -1


@lru_cache
def industry_table(region_code: str) -> IndustryTable:
    """Manufacturing classes (divisions 13-43) and a few utilities (44-46) from the shipped GB/T 4754, with
    the region's class boosts and clusters."""
    region = demo_region(region_code)
    rows = [r for r in read_rows("gbt4754-2017.csv") if r["level"] == "4" and r["division"] in DIVISIONS]
    per_division: dict[str, int] = {}
    for row in rows:
        per_division[row["division"]] = per_division.get(row["division"], 0) + 1
    codes, weights, cluster = [], [], []
    for row in rows:
        code, division = row["code"], row["division"]
        codes.append(code)
        boost = region.class_boosts.get(code, 1.0)
        weights.append(DIVISIONS[division].weight / per_division[division] * boost)
        cluster.append(next((i for i, c in enumerate(region.clusters) if code.startswith(c.prefix)), -1))
    profiles = [DIVISIONS[r["division"]] for r in rows]
    w = np.array(weights)
    return IndustryTable(
        codes=np.array(codes),
        probabilities=w / w.sum(),
        energy=np.array([p.energy for p in profiles]),
        electricity=np.array([p.electricity for p in profiles]),
        emission=np.array([p.emission for p in profiles]),
        revenue_per_head=np.array([p.revenue_per_head for p in profiles]),
        value_added=np.array([p.value_added for p in profiles]),
        density=np.array([p.density for p in profiles]),
        cluster=np.array(cluster),
    )


def region_probabilities(region_code: str) -> tuple[np.ndarray, np.ndarray]:
    """District codes and, per cluster (row 0 for no cluster, then one row per cluster of the region), the
    probability of each district."""
    region = demo_region(region_code)
    codes = np.array(list(region.districts))
    base = np.array([region.weights[d] for d in region.districts])
    rows = [base / base.sum()]
    for cluster in region.clusters:
        w = base + np.array([cluster.weights.get(c, 0.0) for c in codes])
        rows.append(w / w.sum())
    return codes, np.vstack(rows)
