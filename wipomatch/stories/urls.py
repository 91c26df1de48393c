"""Pages of the stories app (under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "stories"

urlpatterns: list = []
