"""API routes of the insights app, included by wipomatch/api/urls.py under /api/v1/."""

from django.urls import path

from .api import MetricsView

urlpatterns = [
    path("insights/metrics/", MetricsView.as_view(), name="insights-metrics"),
]
