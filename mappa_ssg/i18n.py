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
from collections.abc import Iterable
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.ext import InternationalizationExtension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

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


class FixedTextI18n(InternationalizationExtension):
    """Jinja2's i18n extension (newstyle gettext), with the text translated when a template is
    compiled rather than each time a page is rendered.

    Each environment has one language for good (render.py), so ``_("Home")`` and
    ``{% trans %}Published{% endtrans %}`` always give the same words: looking them up on every
    page cost a few microseconds each, some fifty times a report page. The result is what the
    extension gives at render time: the translation marked safe, then ``%``-formatted with the
    block's variables (each escaped), so ``%%`` still reads ``%``. Plural and context forms, and
    calls of ``_`` with variables, are left to the extension as they are.
    """

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(fixed_gettext=None)  # the language's gettext, set by make_environment

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        """``_("text")`` becomes ``"translation"|safe``: a constant, which the compiler folds."""
        gettext = self.environment.fixed_gettext  # type: ignore[attr-defined]
        tokens = list(stream)
        if gettext is None:
            return tokens
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            after = tokens[i + 4] if i + 4 < len(tokens) else None
            if (token.test("name:_") and [t.type for t in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]
                    and not (out and out[-1].type == "dot") and not (after and after.type in ("dot", "lbracket", "lparen"))):
                text = Markup(gettext(tokens[i + 2].value)) % {}
                out += [Token(token.lineno, "string", str(text)), Token(token.lineno, "pipe", "|"), Token(token.lineno, "name", "safe")]
                i += 4
            else:
                out.append(token)
                i += 1
        return out

    def _make_node(self, singular: str, plural: str | None, context: str | None, variables: dict[str, nodes.Expr],
                   plural_expr: nodes.Expr | None, vars_referenced: bool, num_called_num: bool) -> nodes.Output:
        gettext = self.environment.fixed_gettext  # type: ignore[attr-defined]
        if gettext is None or plural is not None or plural_expr is not None or context is not None:
            return super()._make_node(singular, plural, context, variables, plural_expr, vars_referenced, num_called_num)
        text = nodes.MarkSafeIfAutoescape(nodes.Const(gettext(singular)))
        return nodes.Output([nodes.Mod(text, nodes.Dict([nodes.Pair(nodes.Const(k), v) for k, v in variables.items()]))])
