"""FX derived from the ai-jobs data and conversion to USD/year."""

from pathlib import Path

import pytest

from careerlens.errors import InputError
from careerlens.normalize import pay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"


@pytest.fixture
def fx_file(tmp_path: Path) -> Path:
    path = tmp_path / "fx_usd.csv"
    pay.write_fx_table(pay.derive_fx_table(FIXTURES / "ai_jobs_small.csv"), path)
    return path


def test_derive_fx_table_median_ratio(fx_file: Path) -> None:
    rates = {(r.currency, r.year): r for r in pay.load_fx_table(fx_file)}
    eur = rates[("EUR", 2025)]
    # median of 77722/73836, 77722/73836, 74551/70824
    assert eur.usd_per_unit == pytest.approx(1.0526, abs=1e-3)
    assert eur.n == 3
    assert rates[("USD", 2025)].usd_per_unit == 1.0
    assert fx_file.read_text().startswith("# USD per unit")


def test_write_fx_table_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    pay.write_fx_table(pay.derive_fx_table(FIXTURES / "ai_jobs_small.csv"), a)
    pay.write_fx_table(pay.derive_fx_table(FIXTURES / "ai_jobs_small.csv"), b)
    assert a.read_bytes() == b.read_bytes()


def test_to_usd_year_rates_and_nearest_year(fx_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pay, "FX_FILE", fx_file)
    rate = pay.usd_per_unit("EUR", 2025, fx_file)
    assert pay.usd_per_unit("eur", 2019, fx_file) == rate  # nearest year
    assert pay.to_usd_year(100, "USD", 2024, "hour") == 208_000
    assert pay.to_usd_year(5000, "USD", 2024, "month") == 60_000
    assert pay.to_usd_year(400, "USD", 2024, "day") == 104_000
    assert pay.to_usd_year(70_000, "USD", 2024) == 70_000


def test_unknown_currency_and_rate_are_input_errors(fx_file: Path) -> None:
    with pytest.raises(InputError, match="unknown currency 'XYZ'"):
        pay.usd_per_unit("XYZ", 2024, fx_file)
    with pytest.raises(InputError, match="unknown pay rate"):
        pay.to_usd_year(1, "USD", 2024, "fortnight")
