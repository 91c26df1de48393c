"""What every demo loader shares: holding back the background work the services queue.

Demo data goes through the services, as a member's actions would, and the services write
e-mails to the outbox and queue other background tasks after commit. Demo people have invented
addresses, so their e-mails are dropped; a loader may also hold back the other tasks (and enqueue fewer, coarser ones
itself once everything is created). The hold-back stands in for the default task backend of the
current thread only (`task_backends` is per thread) and only inside the `with` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from .outbox import emails_held_back


class HeldBack:
    """The stand-in task backend: holds back the other tasks unless they are kept; `dropped`
    counts the e-mails the outbox did not write."""

    def __init__(self, backend, emails, *, keep_other_tasks: bool) -> None:
        self._backend = backend
        self._emails = emails
        self._keep_other_tasks = keep_other_tasks
        self.held = 0  # other tasks, when they are not kept

    @property
    def dropped(self) -> int:
        return self._emails.dropped

    def enqueue(self, task, args, kwargs):
        if not self._keep_other_tasks:
            self.held += 1
            return None
        return self._backend.enqueue(task, args, kwargs)

    def __getattr__(self, name):
        return getattr(self._backend, name)


@contextmanager
def background_work_held_back(*, keep_other_tasks: bool = True) -> Iterator[HeldBack]:
    """Inside this block, e-mails the services write are dropped (never reach the outbox), and
    the other tasks are held back unless `keep_other_tasks` (for this thread only)."""
    real = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    with emails_held_back() as emails:
        stand_in = HeldBack(real, emails, keep_other_tasks=keep_other_tasks)
        task_backends[DEFAULT_TASK_BACKEND_ALIAS] = stand_in
        try:
            yield stand_in
        finally:
            task_backends[DEFAULT_TASK_BACKEND_ALIAS] = real
