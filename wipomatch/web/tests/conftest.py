import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every page test relies on the countries and vocabularies (wipomatch/conftest.py)."""
