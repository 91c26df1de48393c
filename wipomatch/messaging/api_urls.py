"""API routes of the messaging app, included by wipomatch/api/urls.py under /api/v1/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
