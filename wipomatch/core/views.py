"""Staff pages of the shared floor: what background work is waiting or has failed."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .mail import wake_sender_after_commit
from .models import OutboxEmail
from .outbox import outbox_retry
from .permissions import require_facilitator
from .task_recovery import tasks_retry

SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def operations(request):
    """Pending and failed e-mails (and failed background tasks) for facilitators, with retry."""
    require_facilitator(request.user)
    if request.method == "POST" and request.POST.get("scope") == "tasks":
        count = tasks_retry(ids=_uuids(request.POST.getlist("tasks")))
        message = ngettext(
            "%(count)d task will run again.", "%(count)d tasks will run again.", count
        )
        messages.success(request, message % {"count": count})
        return redirect("core:operations")
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("emails") if value.isdigit()]
        count = outbox_retry(ids=ids if request.POST.get("scope") != "all-failed" else None)
        if count:
            wake_sender_after_commit()  # every due row, the retried ones first
        message = ngettext(
            "%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count
        )
        messages.success(request, message % {"count": count})
        return redirect("core:operations")
    emails = OutboxEmail.objects.only(
        "id", "created_at", "status", "subject", "to", "attempts", "next_attempt_at", "last_error"
    )
    context = {
        "pending": emails.filter(
            status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.SENDING]
        ).order_by("next_attempt_at", "id")[:SHOWN],
        "failed": emails.filter(status=OutboxEmail.Status.FAILED).order_by("-updated_at")[:SHOWN],
        "pending_count": emails.filter(
            status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.SENDING]
        ).count(),
        "failed_count": emails.filter(status=OutboxEmail.Status.FAILED).count(),
        "failed_tasks": DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .only("id", "task_path", "finished_at", "worker_ids", "exception_class_path")
        .order_by("-finished_at")[:SHOWN],
        "failed_tasks_count": DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
    }
    return render(request, "core/operations.html", context)


def _uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid
