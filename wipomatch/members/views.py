"""Interim: replaced by the members views."""

from django.http import Http404


def directory(request, *args, **kwargs):
    raise Http404


def criteria(request, *args, **kwargs):
    raise Http404


def application_create(request, *args, **kwargs):
    raise Http404


def application_detail(request, *args, **kwargs):
    raise Http404


def application_edit(request, *args, **kwargs):
    raise Http404


def review_queue(request, *args, **kwargs):
    raise Http404


def review_application(request, *args, **kwargs):
    raise Http404


def organisation_detail(request, *args, **kwargs):
    raise Http404


def organisation_edit(request, *args, **kwargs):
    raise Http404


def join_request_create(request, *args, **kwargs):
    raise Http404


def organisation_team(request, *args, **kwargs):
    raise Http404


def organisation_suspend(request, *args, **kwargs):
    raise Http404


def organisation_reinstate(request, *args, **kwargs):
    raise Http404


def join_request_decide(request, *args, **kwargs):
    raise Http404


def membership_remove(request, *args, **kwargs):
    raise Http404


def membership_role(request, *args, **kwargs):
    raise Http404


def invitation_revoke(request, *args, **kwargs):
    raise Http404


def invitation_accept(request, *args, **kwargs):
    raise Http404
