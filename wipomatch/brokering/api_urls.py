"""API routes of the brokering app, included by wipomatch/api/urls.py under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.AuthTokenView.as_view(), name="auth-token"),
    path("matches/", api.MatchListView.as_view(), name="match-list"),
    path("matches/<int:pk>/", api.MatchDetailView.as_view(), name="match-detail"),
    path("matches/<int:pk>/accept/", api.MatchAcceptView.as_view(), name="match-accept"),
    path("matches/<int:pk>/decline/", api.MatchDeclineView.as_view(), name="match-decline"),
    path("matches/<int:pk>/withdraw/", api.MatchWithdrawView.as_view(), name="match-withdraw"),
    path("matches/<int:pk>/close/", api.MatchCloseView.as_view(), name="match-close"),
    path("matches/<int:pk>/rating/", api.MatchRatingView.as_view(), name="match-rating"),
    path("matches/<int:pk>/messages/", api.MatchMessagesView.as_view(), name="match-messages"),
]
