"""API routes of the cooperation app, included by wipomatch/api/urls.py under /api/v1/.
The IATI file is routed before the detail route."""

from django.urls import path

from .api import IatiActivitiesView, InitiativeDetailView, InitiativeListView, ModalityPreviewView

urlpatterns = [
    path("initiatives/", InitiativeListView.as_view(), name="initiative-list"),
    path("initiatives/iati.xml", IatiActivitiesView.as_view(), name="initiative-iati"),
    path("initiatives/<int:pk>/", InitiativeDetailView.as_view(), name="initiative-detail"),
    path("modality-preview/", ModalityPreviewView.as_view(), name="modality-preview"),
]
