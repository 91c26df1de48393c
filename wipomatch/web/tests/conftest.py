import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from wipomatch.reference.models import Country


@pytest.fixture(autouse=True)
def _reference_data(db):
    # Loaded once per test database (wipomatch/conftest.py); a transactional test elsewhere in
    # the same process may have flushed it since.
    if not Country.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _english_to_start_with():
    # A request under /ar/ leaves Arabic active in the thread; every test starts in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
