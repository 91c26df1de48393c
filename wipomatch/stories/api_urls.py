"""API routes of the stories app, included by wipomatch/api/urls.py under /api/v1/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
