from django.urls import path

from . import hubs, pages, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("about/", views.about, name="about"),
    path(
        "code-of-conduct/", pages.static_page, {"slug": "code_of_conduct"}, name="code_of_conduct"
    ),
    path("privacy/", pages.static_page, {"slug": "privacy"}, name="privacy"),
    path("terms/", pages.static_page, {"slug": "terms"}, name="terms"),
    path("contact/", pages.static_page, {"slug": "contact"}, name="contact"),
    path("help/", pages.static_page, {"slug": "help"}, name="help"),
    path("themes/<slug:slug>/", hubs.theme_page, name="theme_page"),
    path("countries/<str:iso2>/", hubs.country_page, name="country_page"),
]
