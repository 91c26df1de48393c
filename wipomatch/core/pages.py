"""What every app's pages share: page ranges, htmx partial rendering and audit trail rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .audit import audit_trail_for
from .models import AuditEvent


def page_range(page):
    """The page numbers a pager shows: the first, two either side of the current one, the last."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def is_htmx_partial(request: HttpRequest) -> bool:
    """htmx asks for a fragment (not a boosted navigation nor a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: dict
) -> HttpResponse:
    """One view for the page and, when htmx asks, only its results (pair with
    `vary_on_headers("HX-Request")`)."""
    template = partial_template if is_htmx_partial(request) else page_template
    return render(request, template, context)


def field_labels(model: type[models.Model], names) -> str:
    """The verbose names of the given fields of `model`, in the reader's language."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    return ", ".join(str(fields[name].verbose_name) if name in fields else name for name in names)


def audit_rows(
    target: models.Model,
    *,
    action_labels: Mapping[str, str],
    state_labels: Mapping[str, str],
    describe: Callable[[AuditEvent], dict] | None = None,
) -> list[dict]:
    """The audit trail of an object, newest first, for a page in the reader's language.

    Actions and states are labelled from the given maps; the structured `data` of an event is
    rendered, never its text parsed: `data["fields"]` (the fields a change touched) as their
    translated names, and whatever `describe(event)` adds for the app's own events."""
    rows = []
    for event in audit_trail_for(target).order_by("-created_at", "-id"):
        row = {
            "when": event.created_at,
            "actor": event.actor,
            "action": action_labels.get(event.action, event.action),
            "from_state": state_labels.get(event.from_state, event.from_state),
            "to_state": state_labels.get(event.to_state, event.to_state),
            "reason": event.reason,
        }
        if event.data.get("fields"):
            row["reason"] = field_labels(type(target), event.data["fields"])
        if describe is not None:
            row.update(describe(event))
        rows.append(row)
    return rows
