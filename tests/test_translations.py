"""The five translation catalogues are complete, and the committed .mo files match them."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, (
        f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    )
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    with (folder / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in po.translated_entries():
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            # Every plural form, by index (form 0 is not "n=1" in every language).
            got = [compiled._catalog.get((entry.msgid, i)) for i in sorted(entry.msgstr_plural)]
            want = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        elif entry.msgctxt:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
            want = entry.msgstr
        else:
            got = compiled.gettext(entry.msgid)
            want = entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert not stale, f"{language}: django.mo is out of date, run `make messages`: {stale[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    """A translation that drops or renames %(name)s would crash or mislead at run time."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|\{\{ *(\w+) *\}\}|\{(\w+)\}")
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in po.translated_entries():
        wanted = sorted(m.group(0).replace(" ", "") for m in pattern.finditer(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            got = sorted(m.group(0).replace(" ", "") for m in pattern.finditer(text))
            if entry.msgid_plural:
                allowed = set(wanted) | {
                    m.group(0).replace(" ", "") for m in pattern.finditer(entry.msgid_plural)
                }
                if not set(got) <= allowed:
                    broken.append(entry.msgid)
            elif got != wanted:
                broken.append(entry.msgid)
    assert not broken, f"{language}: placeholders differ in {broken[:5]}"
