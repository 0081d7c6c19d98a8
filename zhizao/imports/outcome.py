"""What an import would do, or did: the preview (counts, problems, changed values, fingerprint), the result,
and the two refusals (errors in the file; warnings or changes not confirmed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhizao.errors import InvalidInput, Problem


@dataclass(frozen=True)
class Change:
    """One value that the import would change (old → new)."""

    row: int
    credit_code: str
    name: str
    field: str
    label: str
    year: int | None
    month: int
    old: object
    new: object


@dataclass
class Preview:
    kind: str
    filename: str
    sha256: str
    file_type: str
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    fingerprint: str = ""

    @property
    def has_changes(self) -> bool:
        return self.created + self.updated > 0

    @property
    def needs_confirmation(self) -> bool:
        return self.warnings > 0 or self.updated > 0


@dataclass
class ImportResult:
    preview: Preview
    import_id: int | None = None


class ValidationFailed(InvalidInput):
    """The file has errors; nothing was written. Carries the preview (problems) for the report."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(
            f"文件有{preview.errors}处错误，未导入任何数据"
            + (f"（另有{preview.warnings}处警告）" if preview.warnings else ""),
            preview.problems,
        )
        self.preview = preview


class NeedsConfirmation(InvalidInput):
    """Warnings or changed values that the user has not confirmed; nothing was written."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("文件有警告或会修改已有数据，需要确认后才导入", preview.problems)
        self.preview = preview


def check_accepted(checked: Preview, confirmed: bool, expected_fingerprint: str | None) -> None:
    """Refuse an import with errors, one whose data changed since its preview, or one not yet confirmed."""
    if checked.errors:
        raise ValidationFailed(checked)
    if expected_fingerprint is not None and expected_fingerprint != checked.fingerprint:
        raise InvalidInput("预览之后数据已发生变化，请重新预览后再确认导入")
    if checked.needs_confirmation and not confirmed:
        raise NeedsConfirmation(checked)
