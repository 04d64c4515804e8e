"""Countries, regions and postings locations."""

import pytest

from careerlens.normalize.geo import REGIONS, location_to_iso2, posting_country, region_of, to_iso2


@pytest.mark.parametrize(
    ("value", "iso2"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("GBR", "GB"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("South Korea", "KR"),
        ("Russia", "RU"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Germany", "DE"),
        ("DEU", "DE"),
        ("India", "IN"),
        ("Hong Kong", "HK"),
        ("Kosovo", "XK"),
        ("Vietnam", "VN"),
    ],
)
def test_to_iso2_codes_and_names(value: str, iso2: str) -> None:
    assert to_iso2(value) == iso2


@pytest.mark.parametrize("value", [None, "", "  ", "Atlantis", "ZZ", "European Union"])
def test_to_iso2_unknown_is_none(value: str | None) -> None:
    assert to_iso2(value) is None


@pytest.mark.parametrize(
    ("iso2", "region"),
    [
        ("US", "North America"),
        ("CA", "North America"),
        ("GB", "Europe & Central Asia"),
        ("KZ", "Europe & Central Asia"),
        ("IN", "South Asia"),
        ("PK", "South Asia"),
        ("CN", "East Asia & Pacific"),
        ("AU", "East Asia & Pacific"),
        ("BR", "Latin America & Caribbean"),
        ("MX", "Latin America & Caribbean"),
        ("EG", "Middle East & North Africa"),
        ("MT", "Middle East & North Africa"),
        ("NG", "Sub-Saharan Africa"),
        ("SD", "Sub-Saharan Africa"),
        ("ZA", "Sub-Saharan Africa"),
    ],
)
def test_region_of_world_bank(iso2: str, region: str) -> None:
    assert region_of(iso2) == region
    assert region in REGIONS


def test_region_of_unknown() -> None:
    assert region_of(None) is None
    assert region_of("AQ") is None


@pytest.mark.parametrize(
    ("location", "iso2"),
    [
        ("Bennington, NE", "US"),
        ("Austin, TX", "US"),
        ("Burbank, California", "US"),
        ("Texas", "US"),
        ("San Francisco, CA, US", "US"),
        ("New York, United States", "US"),
        ("Toronto, ON", "CA"),
        ("London, United Kingdom", "GB"),
        ("Madrid, Community of Madrid, Spain", "ES"),
        ("Hyderabad, Telangana, India", "IN"),
        ("Singapore", "SG"),
        ("San Francisco Bay Area", "US"),
        ("Anywhere", None),
        ("Remote", None),
        ("", None),
        (None, None),
    ],
)
def test_location_to_iso2(location: str | None, iso2: str | None) -> None:
    assert location_to_iso2(location) == iso2


def test_posting_country_sudan_artefact() -> None:
    assert posting_country("Austin, TX", "Sudan") == "US"
    assert posting_country("Anywhere", "Sudan") is None
    assert posting_country("Khartoum, Sudan", "Sudan") == "SD"
    assert posting_country("Anywhere", "India") == "IN"
