"""Reading the free-text countries addresses had before they were chosen from a list.

Used by the data migrations of accounts and checkout, which turn what shoppers typed ("United
Kingdom", "uk", "USA", "France") into the ISO 3166-1 codes django-countries stores.
"""

from django_countries import countries

# What people commonly type that is neither a country's English name nor an ISO code.
ALIASES = {
    "america": "US",
    "united states": "US",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uk": "GB",  # ISO's own code for the United Kingdom is GB
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "russia": "RU",
    "deutschland": "DE",
    "españa": "ES",
    "schweiz": "CH",
    "österreich": "AT",
}


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for a typed country, or "" when it names none for sure.

    An English name (any case), an alpha-2, alpha-3 or numeric code, or a common alias.
    """
    typed = " ".join(text.replace(".", "").split())
    if not typed:
        return ""
    alias = ALIASES.get(typed.casefold())
    if alias:
        return alias
    by_name = countries.by_name(typed, insensitive=True)
    if by_name:
        return by_name
    # alpha2() also reads alpha-3 and numeric codes; anything longer is not a code.
    return countries.alpha2(typed) if len(typed) <= 3 else ""
