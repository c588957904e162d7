"""The site's own text in each language: gettext catalogs managed with Babel.

Templates mark their text with Jinja2's i18n extension (``{% trans %}``, ``_()``); the
translations live in ``mappa_ssg/locale/<language>/LC_MESSAGES/messages.po``, plain text files in
the repository. They are compiled in memory when first needed (Babel's ``read_po`` and
``write_mo``), so a fresh clone builds without a compile step and no binary file is committed.
Refresh the catalogs after changing template text with ``make messages`` (see the Makefile).

A language with no catalog (English, the language the templates are written in) uses the text
as written.
"""
from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from .languages import base

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def catalog_path(language: str) -> Path | None:
    """The .po file for ``language`` (``cy``, or ``en_GB`` for ``en-GB``), if there is one."""
    for name in (language.replace("-", "_"), base(language)):
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def has_catalog(language: str) -> bool:
    return catalog_path(language) is not None or base(language) == "en"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """gettext translations for ``language``, compiled from its .po file (cached per process)."""
    path = catalog_path(language)
    if path is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=base(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: an unchecked guess is not shown
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext_for(language: str):
    """A plain ``gettext`` function for Python code that writes site text (chart descriptions)."""
    return translations(language).gettext
