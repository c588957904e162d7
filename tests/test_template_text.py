"""Site text translated when a template is compiled (i18n.FixedTextI18n) gives exactly what
Jinja2's own i18n extension gives when the page is rendered: the same words, escaping and %."""
import gettext

import jinja2
import pytest

from mappa_ssg.i18n import FixedTextI18n, translations


class Catalog(gettext.NullTranslations):
    """Translations with the characters that matter: markup, quotes and a per cent sign."""

    WORDS = {"Home": "Hafan", "Draft:": "Drafft:", "Rock & roll": "Roc & <b>rôl</b>", "100%% sure": "100%% siŵr",
             "The %(ordinal)s report for %(area)s.": "Adroddiad %(ordinal)s %(area)s.", "Total": "Cyfanswm"}

    def gettext(self, message):
        return self.WORDS.get(message, message)


TEMPLATES = [
    '{{ _("Home") }} {{ _("Rock & roll") }} {{ _("100%% sure") }}',
    '{{ _("Draft:") ~ " " if draft }}{{ _("Draft:") | upper }}{{ _("Total") | length }}',
    '<a aria-label="{{ _("Rock & roll") }}" title="{{ _("Home") }}">{{ _("Missing") }}</a>',
    '{% trans %}Rock & roll{% endtrans %} {% trans %}100%% sure{% endtrans %}',
    '{% trans ordinal=ordinal, area=area %}The {{ ordinal }} report for {{ area }}.{% endtrans %}',
    '{% trans count=n %}one thing{% pluralize %}{{ count }} things{% endtrans %}',
    '{% set words = _("Home") %}{{ words }}{{ _("The %(ordinal)s report for %(area)s.", ordinal=ordinal, area=area) }}',
    '{% autoescape false %}{{ _("Rock & roll") }}{% trans area=area %}The {{ area }} report for {{ area }}.{% endtrans %}{% endautoescape %}',
    '{{ site._("Home") }}{{ words["_"] }}',
]


def _env(extension, catalog):
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, extensions=[extension])
    env.install_gettext_translations(catalog, newstyle=True)
    if extension is FixedTextI18n:
        env.fixed_gettext = catalog.gettext
    return env


@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("catalog", [Catalog(), translations("cy")], ids=["markup", "welsh"])
def test_compiled_text_renders_as_the_i18n_extension_renders_it(source, catalog):
    values = {"draft": True, "ordinal": "<1st>", "area": "A & B", "n": 2, "site": {"_": lambda s: s.upper()}, "words": {"_": "x"}}
    expected = _env("jinja2.ext.i18n", catalog).from_string(source).render(values)
    assert _env(FixedTextI18n, catalog).from_string(source).render(values) == expected


def test_text_without_variables_is_looked_up_once_when_compiled():
    looked_up = []

    class Counting(Catalog):
        def gettext(self, message):
            looked_up.append(message)
            return super().gettext(message)

    catalog = Counting()
    template = _env(FixedTextI18n, catalog).from_string('{{ _("Home") }}{% trans %}Total{% endtrans %}')
    assert sorted(looked_up) == ["Home", "Total"]
    assert [template.render() for _ in range(3)] == ["HafanCyfanswm"] * 3
    assert sorted(looked_up) == ["Home", "Total"]
