"""Node and chain totals and the gap rule, identical on DuckDB and PySpark."""

from __future__ import annotations

from ibis.backends import BaseBackend

from zhizao.chains.analytics import Inputs, node_table, total_table

DATA = Inputs(
    membership=[
        ("cells", 1),
        ("cells", 2),
        ("cells", 1),
        ("vehicles", 3),
        ("parts", 4),
        ("parts", 5),
        ("vehicles", 1),
    ],
    firms=[(1, True), (2, False), (3, True), (4, True), (5, False)],
    figures=[
        (1, "output_value", 1000.0),
        (1, "tax", 50.0),
        (2, "output_value", 300.0),
        (3, "output_value", 700.0),
        (3, "tax", 20.0),
        (4, "output_value", 10.0),
    ],
    grades=[(4, "C"), (5, "D"), (1, "A"), (3, "B")],
)


def test_node_totals_and_gaps(backend: BaseBackend) -> None:
    table = node_table(backend, ["cells", "materials", "parts", "vehicles"], DATA)
    rows = {r["group"]: r for r in table.to_dict("records")}
    assert list(rows) == ["cells", "materials", "parts", "vehicles"]
    cells = rows["cells"]
    assert (cells["firms"], cells["above_scale_firms"], cells["output_value"], cells["tax"]) == (
        2,
        1,
        1300.0,
        50.0,
    )
    assert cells["gap"] == ""
    assert rows["materials"]["firms"] == 0 and rows["materials"]["gap"] == "missing"
    assert rows["parts"]["weak_firms"] == 2 and rows["parts"]["gap"] == "weak"  # every firm graded C/D
    assert rows["vehicles"]["firms"] == 2 and rows["vehicles"]["gap"] == ""


def test_chain_total_counts_each_firm_once(backend: BaseBackend) -> None:
    chain = Inputs([("chain", e) for _, e in DATA.membership], DATA.firms, DATA.figures, DATA.grades)
    row = total_table(backend, chain).to_dict("records")[0]
    assert (row["firms"], row["above_scale_firms"], row["output_value"], row["tax"]) == (5, 3, 2010.0, 70.0)
