"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection")."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with an apostrophe; keep the others."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
