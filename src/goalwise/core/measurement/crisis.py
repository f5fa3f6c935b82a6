"""Crisis resources by country or region, as data.

A client sees the lines of their own region: the one they chose in their settings, or else the one
their time zone points to (``Europe/London`` → UK). A zone that names no place (``UTC``, ``Etc/*``)
falls back to the clinic's default region (``GOALWISE_CRISIS_REGION``); a zone in a country missing
from the table gets the clinic's own text (``GOALWISE_CRISIS_TEXT``) or, without one, a plain
pointer to local emergency services. Numbers checked against each service's own site (2026).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "GENERIC_TEXT",
    "OTHER",
    "REGIONS",
    "CrisisRegion",
    "crisis_text",
    "is_region",
    "region_for_timezone",
    "resolve_region",
]

#: The region code of "somewhere not in the table": the clinic's own text is shown.
OTHER = "other"

_HARM = "If you are thinking about harming yourself"


@dataclass(frozen=True, slots=True)
class CrisisRegion:
    """One region's crisis lines: ``code`` as stored, ``name`` for the settings list, and the text shown."""

    code: str
    name: str
    text: str
    zones: tuple[str, ...] = ()


REGIONS: tuple[CrisisRegion, ...] = (
    CrisisRegion(
        "uk",
        "United Kingdom",
        f"{_HARM}, call Samaritans on 116 123 (free, 24 hours) or NHS 111 and choose option 2 "
        "for mental health. In an emergency, call 999 or go to A&E.",
        (
            "Europe/London",
            "Europe/Belfast",
            "GB",
            "GB-Eire",
            "Europe/Guernsey",
            "Europe/Jersey",
            "Europe/Isle_of_Man",
        ),
    ),
    CrisisRegion(
        "ie",
        "Ireland",
        f"{_HARM}, call Samaritans on 116 123 (free, 24 hours). In an emergency, call 112 or 999.",
        ("Europe/Dublin", "Eire"),
    ),
    CrisisRegion(
        "us",
        "United States",
        f"{_HARM}, call or text 988 (Suicide & Crisis Lifeline). "
        "In an emergency, call 911 or go to the nearest emergency department.",
        (
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Phoenix",
            "America/Anchorage",
            "America/Detroit",
            "America/Boise",
            "America/Juneau",
            "America/Adak",
            "America/Indiana/",
            "America/Kentucky/",
            "America/North_Dakota/",
            "America/Menominee",
            "America/Nome",
            "America/Sitka",
            "America/Yakutat",
            "America/Metlakatla",
            "Pacific/Honolulu",
            "US/",
            "Navajo",
            "EST5EDT",
            "CST6CDT",
            "MST7MDT",
            "PST8PDT",
        ),
    ),
    CrisisRegion(
        "ca",
        "Canada",
        f"{_HARM}, call or text 988 (Suicide Crisis Helpline). In an emergency, call 911.",
        (
            "America/Toronto",
            "America/Vancouver",
            "America/Edmonton",
            "America/Winnipeg",
            "America/Halifax",
            "America/St_Johns",
            "America/Regina",
            "America/Moncton",
            "America/Montreal",
            "America/Whitehorse",
            "America/Yellowknife",
            "America/Iqaluit",
            "America/Glace_Bay",
            "America/Goose_Bay",
            "America/Swift_Current",
            "America/Dawson",
            "America/Dawson_Creek",
            "America/Fort_Nelson",
            "America/Creston",
            "America/Cambridge_Bay",
            "America/Rankin_Inlet",
            "America/Resolute",
            "America/Inuvik",
            "America/Atikokan",
            "America/Blanc-Sablon",
            "America/Nipigon",
            "America/Thunder_Bay",
            "America/Rainy_River",
            "America/Pangnirtung",
            "Canada/",
        ),
    ),
    CrisisRegion(
        "au",
        "Australia",
        f"{_HARM}, call Lifeline on 13 11 14 (24 hours). In an emergency, call 000.",
        ("Australia/",),
    ),
    CrisisRegion(
        "nz",
        "New Zealand",
        f"{_HARM}, call or text 1737 (Need to talk?, free, 24 hours). In an emergency, call 111.",
        ("Pacific/Auckland", "Pacific/Chatham", "NZ", "NZ-CHAT"),
    ),
    CrisisRegion(
        "de",
        "Germany",
        f"{_HARM}, call the Telefonseelsorge on 0800 111 0 111 or 0800 111 0 222 (free, 24 hours). "
        "In an emergency, call 112.",
        ("Europe/Berlin", "Europe/Busingen"),
    ),
    CrisisRegion(
        "fr",
        "France",
        f"{_HARM}, call 3114 (numéro national de prévention du suicide, free, 24 hours). "
        "In an emergency, call 112 or 15.",
        ("Europe/Paris",),
    ),
)

_BY_CODE = {r.code: r for r in REGIONS}

#: Shown for a region outside the table when the clinic has not written its own text.
GENERIC_TEXT = (
    f"{_HARM}, contact a crisis line in your country or your local emergency number now, "
    "or go to the nearest emergency department. Your therapist can give you the numbers where you live."
)

#: Zones that name no place: the clinic's default region applies.
_PLACELESS = ("UTC", "Etc/", "GMT", "UCT", "Universal", "Zulu", "Greenwich")


def region_for_timezone(timezone: str) -> str | None:
    """The region code a time zone points to, ``OTHER`` for a place outside the table, or None for a
    zone that names no place (UTC and the ``Etc/`` zones)."""
    if timezone.startswith(_PLACELESS):
        return None
    for region in REGIONS:
        if any(timezone == z or (z.endswith("/") and timezone.startswith(z)) for z in region.zones):
            return region.code
    return OTHER


def is_region(code: str) -> bool:
    """True for a code a client may choose: one of the table's, or ``OTHER``."""
    return code in _BY_CODE or code == OTHER


def resolve_region(chosen: str | None, timezone: str) -> str | None:
    """The region whose lines a client sees: their own choice, else their time zone's; None when neither
    says (a UTC zone and no choice), and the clinic's default applies."""
    if chosen is not None and is_region(chosen):
        return chosen
    return region_for_timezone(timezone)


def crisis_text(region: str, clinic_text: str | None) -> str:
    """The crisis resources of ``region``; a region outside the table gets the clinic's own text."""
    found = _BY_CODE.get(region)
    if found is not None:
        return found.text
    return clinic_text or GENERIC_TEXT
