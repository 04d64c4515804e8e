"""The careerlens exception tree.

    CareerlensError                 base: every error the user can act on (exit code 2 in the CLI)
    ├── KnowledgeBaseError          a knowledge-base data file is invalid (file, role/skill, field)
    ├── UnknownRoleError            a role name/alias that the knowledge base does not know
    ├── InputError                  a user's input file is unusable (file, row, field)
    │   ├── MappingError            a generic column mapping is incomplete or wrong
    │   └── ResumeError             a resume cannot be read (empty, corrupt, encrypted, too big, wrong type)
    ├── StoreError                  the warehouse or the snapshot is missing or inconsistent
    └── InsufficientDataError       a figure was asked for where too few data exist

Each exception carries its context as keyword-only fields and builds a message that says what to do next.
"""

from __future__ import annotations


class CareerlensError(Exception):
    """Base of all careerlens errors; ``hint`` tells the user what to do next."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "message": self.message, "hint": self.hint}


class KnowledgeBaseError(CareerlensError):
    def __init__(
        self,
        message: str,
        *,
        file: str,
        item: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file, self.item, self.field = file, item, field
        where = file + (f", entry {item!r}" if item else "") + (f", field {field!r}" if field else "")
        super().__init__(
            f"{where}: {message}", hint=hint or "fix the knowledge-base file and run the command again"
        )

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "file": self.file, "item": self.item, "field": self.field}


class UnknownRoleError(CareerlensError):
    def __init__(self, name: str, *, known: list[str]) -> None:
        self.name, self.known = name, known
        super().__init__(
            f"unknown role {name!r}",
            hint="use a role id, name or alias, e.g. " + ", ".join(known[:8]) + " (see `careerlens roles`)",
        )


class InputError(CareerlensError):
    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file, self.row, self.field = file, row, field
        parts = [
            p
            for p in (file, f"row {row}" if row is not None else None, f"field {field!r}" if field else None)
            if p
        ]
        super().__init__((": ".join([", ".join(parts), message]) if parts else message), hint=hint)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "file": self.file, "row": self.row, "field": self.field}


class MappingError(InputError):
    pass


class ResumeError(InputError):
    pass


class StoreError(CareerlensError):
    pass


class InsufficientDataError(CareerlensError):
    def __init__(self, message: str, *, n: int, min_n: int) -> None:
        self.n, self.min_n = n, min_n
        super().__init__(
            f"{message}: n={n} is below the minimum of {min_n}",
            hint="widen the filters (drop --year, use --region)",
        )
