"""Load what the first visitor would otherwise wait for (2–4 s): the sentence encoder, the
search indexes of needs and offers, the Chinese word segmenter and the tag suggester.

Called once per web process (runserver, or each gunicorn worker, which imports the application
after forking), in a background thread started by `WebConfig.ready()` so that the server
starts listening at once. `WARM_UP_ON_START = False` in settings turns it off.
"""

import logging
import sys
import threading
import time

logger = logging.getLogger(__name__)

# Commands that serve pages; any other management command (migrate, test...) is left alone.
WEB_COMMANDS = ("runserver", "gunicorn", "uvicorn", "daphne")


def is_web_process(argv: list[str] | None = None) -> bool:
    argv = sys.argv if argv is None else argv
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    return any(name in program for name in WEB_COMMANDS[1:]) or (
        len(argv) > 1 and argv[1] == "runserver"
    )


def warm_up() -> float:
    """Load models and caches now; returns the seconds it took. Never raises."""
    started = time.monotonic()
    try:
        from wipomatch.listings.embeddings import get_embedder
        from wipomatch.listings.search.cache import listing_index
        from wipomatch.matching.engine.tokenize import terms

        get_embedder().encode(["warm up"])
        terms("知识产权培训")  # loads jieba's dictionary
        for kind in ("need", "offer"):
            listing_index(kind).refresh()
        try:
            from wipomatch.tagging.model import get_suggester

            get_suggester()
        except ImportError:  # the tagging app is optional in some deployments
            pass
    except Exception:  # a cold cache is slower, never broken: log and serve anyway
        logger.exception("warm-up failed; the first requests will load what they need")
    finally:
        from django.db import connection

        connection.close()
    elapsed = time.monotonic() - started
    logger.info("warm-up done in %.1f s", elapsed)
    return elapsed


def warm_up_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="wipomatch-warm-up", daemon=True)
    thread.start()
    return thread
