"""Obviously fictional enterprise names: a place, an invented brand, a trade word for the industry and a
legal form, always ending in （虚构） so that no one mistakes a demo enterprise for a real one."""

from __future__ import annotations

import numpy as np

FICTIONAL_MARK = "（虚构）"

# Every name carries 示例 ("example") before an invented two-syllable brand.
DEMO_WORD = "示例"
BRAND_FIRST = list("海岳瑞鸿恒远晟达宏信合润嘉德华泽")
BRAND_SECOND = list("川峰泰诚安源晖拓舟澜明盛通辰")

TRADE_WORDS: dict[str, tuple[str, ...]] = {
    "13": ("农副食品", "粮油加工", "水产加工"),
    "14": ("食品", "调味品", "烘焙食品"),
    "15": ("啤酒", "饮品", "酿造"),
    "16": ("烟草制品",),
    "17": ("纺织", "织造", "家纺"),
    "18": ("服饰", "制衣", "针织服装"),
    "19": ("皮革制品", "鞋业"),
    "20": ("木业", "木制品"),
    "21": ("家具",),
    "22": ("纸业", "包装纸品"),
    "23": ("印务", "包装印刷"),
    "24": ("文体用品", "工艺品", "玩具"),
    "25": ("石化", "炼化"),
    "26": ("化工", "精细化工", "新材料"),
    "27": ("制药", "生物医药"),
    "28": ("化纤",),
    "29": ("橡胶", "轮胎", "塑料制品"),
    "30": ("建材", "陶瓷", "玻璃制品"),
    "31": ("钢铁", "特钢"),
    "32": ("有色金属", "铝业"),
    "33": ("金属制品", "钢结构", "五金"),
    "34": ("精密机械", "机械设备", "泵阀", "液压"),
    "35": ("专用设备", "智能装备", "环保设备"),
    "36": ("汽车零部件", "汽车", "车辆部件"),
    "37": ("轨道交通装备", "船舶配套", "海洋工程"),
    "38": ("电器", "家电", "电气"),
    "39": ("电子", "通信设备", "智能科技"),
    "40": ("仪器仪表", "检测仪器"),
    "41": ("制品",),
    "42": ("资源再生",),
    "43": ("设备维修",),
    "44": ("热电", "能源"),
    "45": ("燃气",),
    "46": ("水务",),
}

FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")


def make_names(
    rng: np.random.Generator, regions: np.ndarray, industries: np.ndarray, places: dict[str, str]
) -> list[str]:
    """One fictional name per enterprise, given its district code, 4-digit industry class and the place word
    of each district."""
    n = len(regions)
    first = rng.integers(0, len(BRAND_FIRST), n)
    second = rng.integers(0, len(BRAND_SECOND), n)
    trade_pick = rng.integers(0, 12, n)
    form = rng.integers(0, len(FORMS), n)
    names = []
    for i in range(n):
        words = TRADE_WORDS[industries[i][:2]]
        names.append(
            f"{places[regions[i]]}{DEMO_WORD}{BRAND_FIRST[first[i]]}{BRAND_SECOND[second[i]]}"
            f"{words[trade_pick[i] % len(words)]}{FORMS[form[i]]}{FICTIONAL_MARK}"
        )
    return names
