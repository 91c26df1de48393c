"""API routes of the stories app, included by wipomatch/api/urls.py under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import StoryViewSet

router = SimpleRouter()
router.register("stories", StoryViewSet, basename="story")

urlpatterns = router.urls
