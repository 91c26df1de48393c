"""Small helpers the tests of every app share: clients signed in as someone, a page's text, the
queries a page runs, calls raced in threads."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client_for(user=None, *, client_class=Client):
    """A test client (`client_class`: Django's or DRF's APIClient) signed in as `user` (a session
    login), or anonymous when `user` is None."""
    client = client_class()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def count_queries(client, url, *args, **headers) -> int:
    """How many SQL queries a GET of `url` runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, *args, **headers)
    assert response.status_code == 200, response.content
    return len(captured)


def assert_history_restore_gets_the_whole_page(client, url) -> None:
    """htmx asks for the whole page again when it restores the browser history."""
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text(restore)


def race(*calls, timeout: float = 60) -> list[tuple[str, object]]:
    """Run the calls at the same moment in separate threads (so separate database connections),
    each as ("ok", result), ("refused", the ValidationError's messages) or ("crashed", error)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except ValidationError as error:
            results[index] = ("refused", " ".join(error.messages))
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            results[index] = ("crashed", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
