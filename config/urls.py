from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from wipomatch.web.views import healthz

# Staff sign in through allauth, so the admin cannot bypass two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("WIPO Match administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("wipomatch.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("wipomatch.web.urls")),
    path("members/", include("wipomatch.members.urls")),
    path("", include("wipomatch.listings.urls")),
    path("", include("wipomatch.tagging.urls")),
    path("matching/", include("wipomatch.matching.urls")),
    path("matches/", include("wipomatch.brokering.urls")),
    path("messages/", include("wipomatch.messaging.urls")),
    path("initiatives/", include("wipomatch.cooperation.urls")),
    path("stories/", include("wipomatch.stories.urls")),
    path("insights/", include("wipomatch.insights.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("wipomatch.core.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
