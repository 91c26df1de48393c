"""Interim: replaced by the listings views."""

from django.http import Http404


def need_list(request, *args, **kwargs):
    raise Http404


def need_create(request, *args, **kwargs):
    raise Http404


def need_detail(request, *args, **kwargs):
    raise Http404


def offer_list(request, *args, **kwargs):
    raise Http404


def offer_create(request, *args, **kwargs):
    raise Http404


def offer_detail(request, *args, **kwargs):
    raise Http404


def listing_edit(request, *args, **kwargs):
    raise Http404


def listing_submit(request, *args, **kwargs):
    raise Http404


def listing_close(request, *args, **kwargs):
    raise Http404


def listing_renew(request, *args, **kwargs):
    raise Http404


def listing_review(request, *args, **kwargs):
    raise Http404


def my_listings(request, *args, **kwargs):
    raise Http404


def review_queue(request, *args, **kwargs):
    raise Http404


def theme_page(request, *args, **kwargs):
    raise Http404


def country_page(request, *args, **kwargs):
    raise Http404
