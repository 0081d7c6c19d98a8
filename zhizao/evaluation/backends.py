"""Connecting the Ibis backends that run evaluations: DuckDB (default, in-process) or PySpark (local)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeGuard, get_args

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from zhizao.errors import ZhizaoError

if TYPE_CHECKING:  # PySpark is optional (the `spark` extra)
    from pyspark.sql import SparkSession

BackendName = Literal["duckdb", "pyspark"]


def is_backend_name(name: str) -> TypeGuard[BackendName]:
    """Whether `name` is a backend `connect` knows."""
    return name in get_args(BackendName)


def connect(name: BackendName = "duckdb", *, spark_master: str = "local[*]") -> BaseBackend:
    """A fresh backend connection. PySpark starts a local session (Java 17, `pip install .[spark]`)."""
    if name == "duckdb":
        return ibis.duckdb.connect()
    if name == "pyspark":
        return ibis.pyspark.connect(spark_session(spark_master))
    raise ZhizaoError(f"不支持的计算后端: {name} (duckdb 或 pyspark)")


def spark_session(master: str = "local[*]", shuffle_partitions: int = 2) -> SparkSession:
    """A local SparkSession tuned for one machine: few shuffle partitions, no UI."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ZhizaoError("PySpark 未安装: pip install 'zhizao[spark]'") from exc
    return (
        SparkSession.builder.master(master)
        .appName("zhizao-evaluation")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def materialise(con: BaseBackend, expr: ir.Table) -> ir.Table:
    """Compute `expr` once and hand it back as an in-memory table, so the several queries that read it do
    not each recompute the windows and joins behind it. (Ibis's own `.cache()` cannot drop its temporary
    table with this installation's DuckDB and sqlglot.)"""
    if con.name == "duckdb":
        return ibis.memtable(con.to_pyarrow(expr))
    return ibis.memtable(con.execute(expr))  # Spark reads a plain pandas frame back most reliably
