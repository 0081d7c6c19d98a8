"""The shape of the demo city: where manufacturing sits in Qingdao, which industries it runs, and how each
industry turns revenue into output, value added, energy, electricity, emissions and jobs.

These are plausible round numbers chosen for a demonstration, not statistics of the real city.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zhizao.reference.data_files import read_rows

CITY_CODE = "370200"

# Share of the city's manufacturing enterprises per district (the coastal industrial belt and the northern
# county-level cities are heavy; the old city centre is light).
REGION_WEIGHTS: dict[str, float] = {
    "370202": 0.8,  # 市南区
    "370203": 2.2,  # 市北区
    "370211": 21.0,  # 黄岛区
    "370212": 4.0,  # 崂山区
    "370213": 4.0,  # 李沧区
    "370214": 15.0,  # 城阳区
    "370215": 16.0,  # 即墨区
    "370281": 15.0,  # 胶州市
    "370283": 11.0,  # 平度市
    "370285": 11.0,  # 莱西市
}


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

# Classes Qingdao is known for get more enterprises than an even split of their division would give.
CLASS_BOOSTS: dict[str, float] = {
    "1513": 6.0,  # 啤酒制造
    "2911": 6.0,  # 轮胎制造
    "3464": 3.0,  # 制冷、空调设备制造
    "3612": 3.0,  # 新能源车整车制造
    "3670": 8.0,  # 汽车零部件及配件制造
    "3711": 4.0,  # 高铁车组制造
    "3712": 3.0,  # 铁路机车车辆制造
    "3714": 4.0,  # 高铁设备、配件制造
    "3715": 4.0,  # 铁路机车车辆配件制造
    "3731": 5.0,  # 金属船舶制造
    "3734": 5.0,  # 船用配套设备制造
    "3737": 4.0,  # 海洋工程装备制造
    "3851": 8.0,  # 家用制冷电器具制造
    "3852": 6.0,  # 家用空气调节器制造
    "3854": 4.0,  # 家用厨房电器具制造
    "3857": 5.0,  # 家用电力器具专用配件制造
    "3951": 4.0,  # 电视机制造
    "3922": 3.0,  # 通信终端设备制造
}

# Industries that cluster in one or two districts: (class prefix, {district: extra weight}).
CLUSTERS: tuple[tuple[str, dict[str, float]], ...] = (
    ("371", {"370214": 60.0}),  # 轨道交通装备: 城阳
    ("373", {"370211": 70.0}),  # 船舶海工: 黄岛 (西海岸)
    ("385", {"370211": 20.0, "370212": 10.0, "370281": 10.0}),  # 家电
    ("36", {"370215": 25.0, "370283": 10.0, "370285": 10.0}),  # 汽车: 即墨, 平度, 莱西
    ("25", {"370211": 50.0}),  # 石化: 黄岛
    ("26", {"370211": 25.0, "370283": 10.0}),  # 化工
    ("395", {"370211": 25.0, "370212": 15.0}),  # 电视、音响
)

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
    cluster: np.ndarray  # int, index into CLUSTERS or -1


@lru_cache
def industry_table() -> IndustryTable:
    """Manufacturing classes (divisions 13-43) and a few utilities (44-46) from the shipped GB/T 4754."""
    rows = [r for r in read_rows("gbt4754-2017.csv") if r["level"] == "4" and r["division"] in DIVISIONS]
    per_division: dict[str, int] = {}
    for row in rows:
        per_division[row["division"]] = per_division.get(row["division"], 0) + 1
    codes, weights, cluster = [], [], []
    for row in rows:
        code, division = row["code"], row["division"]
        codes.append(code)
        weights.append(DIVISIONS[division].weight / per_division[division] * CLASS_BOOSTS.get(code, 1.0))
        cluster.append(next((i for i, (pre, _) in enumerate(CLUSTERS) if code.startswith(pre)), -1))
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


def region_probabilities() -> tuple[np.ndarray, np.ndarray]:
    """District codes and, per cluster (row 0 for no cluster, then one row per CLUSTERS entry), the
    probability of each district."""
    codes = np.array(list(REGION_WEIGHTS))
    base = np.array(list(REGION_WEIGHTS.values()))
    rows = [base / base.sum()]
    for _, extra in CLUSTERS:
        w = base + np.array([extra.get(c, 0.0) for c in codes])
        rows.append(w / w.sum())
    return codes, np.vstack(rows)
