"""Dates, ordinals and language names in the languages a report is published in (pure functions).

Month names come from the Unicode CLDR data that Babel ships ("31 Mawrth 2024"); what CLDR
does not cover (the report's ordinal in Welsh, the word joining two dates) is written out here
with its rule. A language is a BCP 47 tag as authors write it: ``en-GB``, ``cy``.
"""
from __future__ import annotations

import datetime as dt
import functools

ENGLISH = "en-GB"


def base(language: str) -> str:
    """The language without its region: ``en-GB`` -> ``en``."""
    return language.split("-", 1)[0].lower()


@functools.cache
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language.replace("-", "_"))


def is_known(language: str) -> bool:
    """Whether Babel (CLDR) knows the language, so its dates can be written."""
    from babel import UnknownLocaleError

    try:
        _locale(language)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def long_date(day: dt.date, language: str = ENGLISH) -> str:
    """A date as GOV.UK and Llyw.Cymru print it: "31 March 2015", "31 Mawrth 2015"."""
    if base(language) == "en":
        # Not strftime('%B'): that follows the machine's locale, and output must not.
        return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=_locale(language))


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")
# "1 April 2014 to 31 March 2015". Welsh "i" (to) softens a following consonant, but a date
# starts with a digit, so nothing mutates here.
_TO = {"en": "to", "cy": "i"}


def period(start: dt.date, end: dt.date, language: str = ENGLISH) -> str:
    return f"{long_date(start, language)} {_TO.get(base(language), _TO['en'])} {long_date(end, language)}"


def ordinal(n: int, language: str = ENGLISH) -> str:
    """The report's number as an ordinal: 22nd, 22ain."""
    if base(language) == "cy":
        return f"{n}{welsh_ordinal_suffix(n)}"
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# The Welsh abbreviated ordinal ends as the word does in the traditional (vigesimal) count:
# cyntaf 1af, ail 2il, trydydd 3ydd, pedwerydd 4ydd, pumed 5ed, chweched 6ed, seithfed 7fed ...
# degfed 10fed; "unfed ar ddeg" 11eg, deuddegfed 12fed, "trydydd ar ddeg" 13eg, "pedwerydd ar
# ddeg" 14eg, pymthegfed 15fed, "unfed ar bymtheg" 16eg, "ail ar bymtheg" 17eg, deunawfed
# 18fed, "pedwerydd ar bymtheg" 19eg, ugeinfed 20fed; 21 to 39 are "... ar hugain", so -ain.
_WELSH_TO_20 = {1: "af", 2: "il", 3: "ydd", 4: "ydd", 5: "ed", 6: "ed", 7: "fed", 8: "fed", 9: "fed",
                10: "fed", 11: "eg", 12: "fed", 13: "eg", 14: "eg", 15: "fed", 16: "eg", 17: "eg",
                18: "fed", 19: "eg", 20: "fed"}


def welsh_ordinal_suffix(n: int) -> str:
    """Suffix of the Welsh abbreviated ordinal of ``n`` (1 to 99): 1 -> af, 22 -> ain.

    Whole scores (20 ugeinfed, 40 deugeinfed, 60 trigeinfed, 80 pedwar ugeinfed) are one word
    ending -fed; every other number above 20 is "... ar hugain" (or ar ddeugain, ar drigain, ar
    bedwar ugain), abbreviated -ain.
    """
    if n < 1:
        raise ValueError(f"no ordinal for {n}")
    if n <= 20:
        return _WELSH_TO_20[n]
    return "fed" if n % 20 == 0 else "ain"


def name(language: str) -> str:
    """The language's name in itself, for a language switcher: "English", "Cymraeg"."""
    if not is_known(language):
        return language
    text = _locale(language).get_language_name(base(language))
    return text[:1].upper() + text[1:]
