"""Fixtures shared by every app's tests."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once per test database: every test can rely on it."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
