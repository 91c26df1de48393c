"""The translation catalogues are complete, and the committed .mo files match them.

The shared catalogue is `locale/`; apps listed in the Makefile's APP_CATALOGUES keep their own
in `wipomatch/<app>/locale/` so that each app's strings travel with it.
"""

import gettext
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]
APP_LOCALE_DIRS = sorted(p for p in (ROOT / "wipomatch").glob("*/locale") if p.is_dir())
CATALOGUES = [
    pytest.param(locale_dir, language, id=f"{locale_dir.parent.name}-{language}")
    for locale_dir in [LOCALE_DIR, *APP_LOCALE_DIRS]
    for language in LANGUAGES
    if (locale_dir / language / "LC_MESSAGES" / "django.po").exists()
]


def test_every_app_catalogue_exists_in_every_language():
    for locale_dir in APP_LOCALE_DIRS:
        present = {
            lang for lang in LANGUAGES if (locale_dir / lang / "LC_MESSAGES" / "django.po").exists()
        }
        assert present in (set(), set(LANGUAGES)), f"{locale_dir}: only {sorted(present)}"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(locale_dir, language):
    po = polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, (
        f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    )
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    if locale_dir == LOCALE_DIR:
        assert len(po.translated_entries()) > 100


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_compiled_catalogue_matches_the_po_file(locale_dir, language):
    folder = locale_dir / language / "LC_MESSAGES"
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


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_placeholders_survive_translation(locale_dir, language):
    """A translation that drops or renames %(name)s would crash or mislead at run time."""
    pattern = re.compile(r"%\((\w+)\)[sd]|\{\{ *(\w+) *\}\}|\{(\w+)\}")
    po = polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))
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
