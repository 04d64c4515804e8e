"""Fixtures of the advisor tests: real resume files built in tmp_path, and a db path that does not exist."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from careerlens.settings import Settings, get_settings

_BUILDERS = Path(__file__).parents[1] / "fixtures" / "advisor" / "resume_builders.py"


def load_builders() -> ModuleType:
    spec = importlib.util.spec_from_file_location("advisor_resume_builders", _BUILDERS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("advisor_resume_builders", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def rb() -> ModuleType:
    return load_builders()


@pytest.fixture()
def offline(tmp_path: Path) -> Settings:
    """Settings with no warehouse and no snapshot: market figures say 'no data', whatever is installed."""
    return get_settings(db=tmp_path / "absent.duckdb", snapshot_dir=tmp_path / "no-snapshot")


@pytest.fixture()
def personas(tmp_path: Path, rb: ModuleType) -> dict[str, Path]:
    """The five personas' resumes as real files: PDF (one and two columns), DOCX (with tables), Markdown."""
    return {
        "analyst": rb.make_pdf(tmp_path / "analyst.pdf", rb.ANALYST),
        "backend": rb.make_docx(tmp_path / "backend.docx", rb.BACKEND, rb.BACKEND_TABLE),
        "researcher": rb.make_pdf(tmp_path / "researcher.pdf", rb.RESEARCHER_LEFT, rb.RESEARCHER_RIGHT),
        "senior_mle": rb.make_docx(tmp_path / "senior_mle.docx", rb.SENIOR_MLE, rb.SENIOR_MLE_TABLE),
        "junior_ai": _write(tmp_path / "junior_ai.md", "\n".join(rb.JUNIOR_AI)),
    }


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
