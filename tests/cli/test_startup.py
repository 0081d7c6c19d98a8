"""`zhizao --help` and the light commands start without the analytics stack: the command modules reach the
library lazily, so importing the CLI loads none of pandas, Ibis, DuckDB, PySpark, SciPy, FastAPI, NumPy,
Arrow, openpyxl or Alembic (each command imports what it needs when it runs)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "ibis", "duckdb", "pyspark", "scipy", "fastapi", "numpy", "pyarrow", "openpyxl", "alembic")


def test_import_cli_loads_no_heavy_module() -> None:
    probe = "import sys, zhizao.cli; print(','.join(m for m in sys.argv[1:] if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe, *HEAVY], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""


def test_help_lists_commands_without_loading_them() -> None:
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom zhizao.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\nassert result.exit_code == 0, result.output\n"
        "assert 'import' in result.output and 'demo' in result.output\n"
        "print(','.join(m for m in sys.argv[1:] if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *HEAVY], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""


def test_a_command_loads_its_library_when_it_runs() -> None:
    probe = (
        "import sys\nfrom zhizao.cli import imports\n"
        "imports.importing.preview\nprint('numpy' in sys.modules)"  # first use imports the module
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "True"
