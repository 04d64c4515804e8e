"""One Settings object: where the data lives and the statistical thresholds."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

PACKAGE_DIR = Path(__file__).resolve().parent
SNAPSHOT_DIR = PACKAGE_DIR / "data" / "snapshot"
KB_DIR = PACKAGE_DIR / "kb" / "data"


def _default_db() -> Path:
    env = os.environ.get("CAREERLENS_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("careerlens", appauthor=False)) / "careerlens.duckdb"


@dataclass(frozen=True)
class Settings:
    """Configuration for one run; the CLI and web build it from flags and environment."""

    db_path: Path = field(default_factory=_default_db)
    snapshot_dir: Path = SNAPSHOT_DIR
    min_n: int = int(os.environ.get("CAREERLENS_MIN_N", "30"))
    bootstrap_samples: int = 1000
    seed: int = 20251
    max_upload_bytes: int = 10 * 1024 * 1024


def get_settings(db: str | Path | None = None, **overrides: object) -> Settings:
    """Settings from the environment, with ``--db`` and other explicit overrides on top."""
    kwargs: dict[str, object] = dict(overrides)
    if db is not None:
        kwargs["db_path"] = Path(db).expanduser()
    return Settings(**kwargs)  # type: ignore[arg-type]
