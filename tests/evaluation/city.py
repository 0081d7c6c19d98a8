"""A small evaluation city shared by the library and web tests: twelve 规上 enterprises, six in each of two
districts, with figures for 2023 and 2024 (enterprise i has land 10+i, tax 20+7i (+3 in 2024), revenue
500+30i and energy 50)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.enterprises.models import Enterprise

DISTRICTS = ("370211", "370212")


def figures(i: int) -> dict[int, dict[str, float]]:
    return {
        year: {
            "land_mu": 10.0 + i,
            "tax": 20.0 + 7 * i + shift,
            "revenue": 500.0 + 30 * i,
            "energy_tce": 50.0,
        }
        for year, shift in ((2023, 0.0), (2024, 3.0))
    }


def add_city(session: Session, name_prefix: str) -> list[Enterprise]:
    return [
        add_enterprise(
            session, name=f"{name_prefix}{i:02d}", region_code=DISTRICTS[i % 2], figures=figures(i)
        )
        for i in range(12)
    ]
