"""API routes of the messaging app, included by wipomatch/api/urls.py under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
