"""Fixtures of the knowledge-base tests: a mini knowledge base and broken copies of roles.toml."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from careerlens.kb.roles import ROLES_FILE
from careerlens.kb.skills import DATA_DIR

MINI_DIR = Path(__file__).parents[1] / "fixtures" / "kb" / "mini"
BUNDLED_ROLES = DATA_DIR / ROLES_FILE


@pytest.fixture
def roles_copy(tmp_path: Path) -> Callable[[Callable[[str], str]], Path]:
    """Write a copy of the bundled roles.toml, changed by `edit`, into tmp_path and return the directory."""

    def make(edit: Callable[[str], str]) -> Path:
        text = BUNDLED_ROLES.read_text(encoding="utf-8")
        (tmp_path / ROLES_FILE).write_text(edit(text), encoding="utf-8")
        return tmp_path

    return make


@pytest.fixture
def mini_dir() -> Path:
    return MINI_DIR


@pytest.fixture
def copy_mini(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture (roles.toml + skills.toml)."""
    for name in ("roles.toml", "skills.toml"):
        shutil.copy(MINI_DIR / name, tmp_path / name)
    return tmp_path
