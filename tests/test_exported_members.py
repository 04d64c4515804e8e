"""The public API is the curated __all__: every name resolves, and the entry points are callables."""

import inspect

import pytest

import careerlens


@pytest.mark.parametrize("name", careerlens.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(careerlens, name) is not None


def test_entry_points_are_functions_returning_results() -> None:
    for name in ("compare", "salary", "skills", "demand", "premium", "convergence", "advise"):
        fn = getattr(careerlens, name)
        assert inspect.isfunction(fn), name
        assert inspect.signature(fn).return_annotation not in (inspect.Signature.empty, "None"), name


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        careerlens.does_not_exist  # noqa: B018


def test_compare_entry_point_runs_the_cli_path_on_the_snapshot(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CAREERLENS_DB", str(tmp_path / "absent.duckdb"))
    result = careerlens.compare("mle", "ai engineer")
    assert result.a.id == "machine_learning_engineer"
    assert result.b.id == "ai_engineer"
    assert result.premium.n_a > 0 and result.premium.n_b > 0


def test_all_lists_exactly_the_lazy_exports() -> None:
    assert sorted(careerlens.__all__) == sorted(["__version__", *careerlens._EXPORTS])
