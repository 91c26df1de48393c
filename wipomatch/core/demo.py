"""What every demo loader shares: holding back the background work the services queue.

Demo data goes through the services, as a member's actions would, and the services queue
e-mails and other background tasks after commit. Demo people have invented addresses, so their
e-mails are dropped; a loader may also hold back the other tasks (and enqueue fewer, coarser ones
itself once everything is created). The hold-back stands in for the default task backend of the
current thread only (`task_backends` is per thread) and only inside the `with` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from .outbox import emails_held_back
from .tasks import send_email_task


class HeldBack:
    """The stand-in task backend: counts what it drops, passes on what it keeps."""

    def __init__(self, backend, *, keep_other_tasks: bool) -> None:
        self._backend = backend
        self._keep_other_tasks = keep_other_tasks
        self._dropped = 0  # e-mails queued as tasks
        self.emails = None  # the outbox's hold-back (e-mails written to the outbox)
        self.held = 0  # other tasks, when they are not kept

    @property
    def dropped(self) -> int:
        """E-mails not sent, whether queued as tasks or written to the outbox."""
        return self._dropped + (self.emails.dropped if self.emails is not None else 0)

    def enqueue(self, task, args, kwargs):
        if task.func is send_email_task.func:
            self._dropped += 1
            return None
        if not self._keep_other_tasks:
            self.held += 1
            return None
        return self._backend.enqueue(task, args, kwargs)

    def __getattr__(self, name):
        return getattr(self._backend, name)


@contextmanager
def background_work_held_back(*, keep_other_tasks: bool = True) -> Iterator[HeldBack]:
    """Inside this block, e-mails the services queue are dropped, and so are the other tasks
    unless `keep_other_tasks` (for this thread only)."""
    real = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    stand_in = HeldBack(real, keep_other_tasks=keep_other_tasks)
    task_backends[DEFAULT_TASK_BACKEND_ALIAS] = stand_in
    try:
        with emails_held_back() as emails:
            stand_in.emails = emails
            yield stand_in
    finally:
        task_backends[DEFAULT_TASK_BACKEND_ALIAS] = real
