"""Geography: country names and codes to ISO 3166-1 alpha-2, World Bank regions, and postings'
free-text locations.

The table ``data/countries.csv`` (iso2, name, region, aliases) is the single source; pycountry adds ISO-3
    codes and
official names. Everything is cached, so ingest calls these once per *distinct* value and joins back in SQL.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pycountry

DATA_FILE = Path(__file__).parent / "data" / "countries.csv"

REGIONS = (
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East & North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia", "PR": "Puerto Rico",
}  # fmt: skip
CA_PROVINCES = {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
_US_STATE_NAMES = {v.lower() for v in US_STATES.values()} | {"washington d.c.", "washington dc"}
_NOWHERE = {"anywhere", "remote", "worldwide", "global", "work from home", "wfh", "europe", "emea", "apac",
            "european union", "latam", "americas", "asia"}  # fmt: skip
_US_HINTS = ("bay area", "metropolitan area", "metroplex", "greater ")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(iso2 → (name, region), lowercased name/alias/ISO-3 → iso2)."""
    by_code: dict[str, tuple[str, str]] = {}
    by_name: dict[str, str] = {}
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            iso2 = row["iso2"]
            by_code[iso2] = (row["name"], row["region"])
            names = [row["name"], *[a for a in (row.get("aliases") or "").split(";") if a]]
            country = pycountry.countries.get(alpha_2=iso2)
            if country is not None:
                names += [country.name, country.alpha_3]
                names += [
                    getattr(country, a) for a in ("official_name", "common_name") if hasattr(country, a)
                ]
            for name in names:
                by_name.setdefault(name.strip().lower(), iso2)
    return by_code, by_name


@lru_cache(maxsize=8192)
def to_iso2(value: str | None) -> str | None:
    """ISO2 of an ISO2/ISO3 code or an English country name (aliases like 'USA', 'UK', 'Türkiye'); None
    if unknown."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    by_code, by_name = _table()
    if len(text) == 2 and text.isalpha():
        up = text.upper()
        if up == "UK":
            return "GB"
        return up if up in by_code else None
    return by_name.get(text.lower()) or by_name.get(text.lower().removeprefix("the "))


def region_of(iso2: str | None) -> str | None:
    """World Bank region of an ISO2 code (one of REGIONS); None for unknown codes and Antarctica-like
    territories."""
    if not iso2:
        return None
    entry = _table()[0].get(iso2.upper())
    return entry[1] if entry else None


def country_name(iso2: str) -> str | None:
    """English short name of an ISO2 code."""
    entry = _table()[0].get(iso2.upper())
    return entry[0] if entry else None


def _part_country(part: str, *, last: bool, n_parts: int) -> str | None:
    up = part.upper()
    if n_parts >= 2 and last and len(part) == 2 and part.isupper():
        # "Austin, TX" / "Toronto, ON": a 2-letter last part is a state or province before it is a
        # country code
        if up in US_STATES:
            return "US"
        if up in CA_PROVINCES:
            return "CA"
    if part.lower() in _US_STATE_NAMES:
        # "Georgia" alone is read as the US state: these postings are US-centred (documented in
        # docs/data-rules.md)
        return "US"
    return to_iso2(part)


@lru_cache(maxsize=65536)
def location_to_iso2(location: str | None) -> str | None:
    """Country of a postings location ('Bennington, NE' → US, 'London, United Kingdom' → GB); None when
    it names none.

    'Anywhere' / 'Remote' and multi-country areas give None: the location does not say where the job is.
    """
    if location is None:
        return None
    text = re.sub(r"\(.*?\)", "", location).strip()
    if not text or text.lower() in _NOWHERE:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    for i in range(len(parts) - 1, -1, -1):
        found = _part_country(parts[i], last=i == len(parts) - 1, n_parts=len(parts))
        if found:
            return found
    low = text.lower()
    if any(h in low for h in _US_HINTS):
        return "US" if "london" not in low and "toronto" not in low else None
    return None


def posting_country(location: str | None, job_country: str | None) -> str | None:
    """Country of a Luke Barousse posting: the location when it names one, else job_country — but never
    'Sudan' alone.

    The scrape writes job_country='Sudan' on thousands of US rows (a search_location artefact, see
    SOURCES.md), so
    Sudan is kept only when the location itself says Sudan; otherwise the country is unknown (None).
    """
    from_location = location_to_iso2(location)
    if from_location:
        return from_location
    country = to_iso2(job_country)
    if country == "SD":
        return None
    return country
