"""Adding a plan to the preview: the counts, the changed values shown to the user, and the fingerprint of
every create and update, which a confirmation must match (the data has not changed since the preview)."""

from __future__ import annotations

import hashlib

from zhizao.imports.headers import KEY_FIELDS
from zhizao.imports.outcome import Change, Preview
from zhizao.imports.plan import EnterprisePlan, FigurePlan
from zhizao.imports.validate import FigureRow

MAX_CHANGES_SHOWN = 2000


def tally_figures(result: Preview, chunk: list[FigureRow], plan: FigurePlan, digest: hashlib._Hash) -> None:
    result.rows_total += len(chunk)
    result.created += len(plan.creates)
    result.updated += len(plan.updates)
    result.unchanged += plan.unchanged
    for row, indicator_id, value in plan.creates:
        digest.update(f"c{row.enterprise_id},{indicator_id},{row.year},{row.month},{value!r};".encode())
    for row, indicator_id, _fid, old, new in plan.updates:
        digest.update(f"u{row.enterprise_id},{indicator_id},{row.year},{row.month},{old!r},{new!r};".encode())
        if len(result.changes) < MAX_CHANGES_SHOWN:
            column = row.values[indicator_id][1]
            label = column.indicator.label if column.indicator else indicator_id
            result.changes.append(
                Change(row.row, row.credit_code, row.name, indicator_id, label, row.year, row.month, old, new)
            )


def tally_enterprises(result: Preview, plan: EnterprisePlan, digest: hashlib._Hash) -> None:
    result.rows_total = plan.rows
    result.created, result.updated, result.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
    for row in plan.creates:
        digest.update(f"c{row.credit_code}{sorted((k, str(v)) for k, v in row.values.items())};".encode())
    for row, _id, diff in plan.updates:
        digest.update(f"u{row.credit_code}{sorted((k, str(v)) for k, v in diff.items())};".encode())
        for name, (old, new) in diff.items():
            if len(result.changes) < MAX_CHANGES_SHOWN:
                label = KEY_FIELDS[name][0]
                result.changes.append(Change(row.row, row.credit_code, "", name, label, None, 0, old, new))
