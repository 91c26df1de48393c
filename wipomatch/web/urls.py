from django.urls import path

from . import hubs, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("about/", views.about, name="about"),
    path("themes/<slug:slug>/", hubs.theme_page, name="theme_page"),
    path("countries/<str:iso2>/", hubs.country_page, name="country_page"),
]
