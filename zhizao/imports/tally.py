"""Adding a plan to the preview: the counts, the changed values shown to the user, and the fingerprint of
every create and update, which a confirmation must match (the data has not changed since the preview)."""

from __future__ import annotations

import hashlib

from zhizao.imports.figures import FigurePlan
from zhizao.imports.headers import KEY_FIELDS
from zhizao.imports.outcome import Change, Preview
from zhizao.imports.plan import EnterprisePlan

MAX_CHANGES_SHOWN = 2000


def tally_figures(result: Preview, plan: FigurePlan) -> None:
    result.rows_total = plan.rows
    result.created, result.updated = len(plan.creates["row"]), len(plan.updates["row"])
    result.unchanged = plan.unchanged
    result.changes = plan.changes[:MAX_CHANGES_SHOWN]


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
