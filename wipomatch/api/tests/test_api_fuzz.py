"""The API contract under fuzzing (schemathesis): every operation, anonymously and with a
member's token, must answer without a server error and as its OpenAPI schema says.

Bounded for a 2-core machine: FUZZ_EXAMPLES (default 15) generated cases per operation and
identity, derandomised so a run is reproducible. The figures are printed (run with -s).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.tests.factories import FocalPointFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, response_schema_conformance]


def _distinct(operation, failure) -> str:
    """One line per distinct violation: the operation, the message and where in the schema."""
    lines = [line.strip() for line in str(failure).strip().splitlines() if line.strip()]
    where = next((line for line in lines if line.startswith("Schema at")), "")
    message = lines[1] if len(lines) > 1 and not where else (lines[0] if lines else "")
    if where:
        message = lines[1] if len(lines) > 1 else message
    return f"{operation.label}: {lines[0] if lines else ''} | {message[:80]} | {where}"


def _fuzz(schema, headers: dict, figures: dict) -> None:
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), headers, figures)


def _fuzz_operation(operation, headers: dict, figures: dict) -> None:
    figures["operations"].add(operation.label)

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        figures["requests"] += 1
        if response.status_code >= 500:
            figures["errors"].add(f"{operation.label} {response.status_code}")
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseExceptionGroup as group:  # schemathesis' FailureGroup: counted, reported below
            for failure in group.exceptions:
                figures["violations"].add(_distinct(operation, failure))
        except AssertionError as failure:
            figures["violations"].add(_distinct(operation, failure))

    run()


@pytest.fixture
def connection_kept_open():
    """Schemathesis calls the WSGI application directly: as Django's test client does, keep the
    end of each request from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_keeps_its_contract_anonymously_and_as_a_member(
    capsys, connection_kept_open
):
    member = FocalPointFactory()
    NeedFactory(organisation=member.organisation, user=member.user, status="published")
    OfferFactory(status="published")
    token, _created = Token.objects.get_or_create(user=member.user)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    report = {}
    for who, headers in (
        ("anonymous", {}),
        ("member", {"Authorization": f"Token {token.key}"}),
    ):
        figures = {"operations": set(), "requests": 0, "errors": set(), "violations": set()}
        _fuzz(schema, headers, figures)
        report[who] = figures
    with capsys.disabled():
        for who, f in report.items():
            print(
                f"\nschemathesis {who}: {len(f['operations'])} operations, {f['requests']} "
                f"requests, {len(f['errors'])} server errors, {len(f['violations'])} "
                "distinct schema violations"
            )
            for line in sorted(f["errors"] | f["violations"]):
                print("  ", line)
    for f in report.values():
        assert f["errors"] == set()
        assert f["violations"] == set()
