"""Fixtures of the cooperation tests: brokering's `world` (an agreed need/offer pair)."""

from wipomatch.brokering.tests.conftest import world  # noqa: F401 (a fixture, re-exported)
