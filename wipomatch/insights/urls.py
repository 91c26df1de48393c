"""Pages of the insights app (under the language prefix)."""

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("methodology/", views.methodology, name="methodology"),
    path("facilitator/", views.facilitator_dashboard, name="facilitator_dashboard"),
    path("facilitator/figures/<slug:figure>/", views.figure_detail, name="figure_detail"),
    path("exports/<slug:dataset>/<slug:fmt>/", views.export, name="export"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/<slug:fmt>/", views.report_download, name="report_download"),
]
