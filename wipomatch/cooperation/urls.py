"""Pages of the cooperation app (under the language prefix, at /<lang>/initiatives/)."""

from django.urls import path, re_path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("import/", views.import_initiatives, name="import"),
    re_path(r"^import/template\.(?P<fmt>csv|xlsx)$", views.import_template, name="import_template"),
    path("modality-preview/", views.modality_preview, name="modality_preview"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("from-case/<int:case_pk>/", views.from_case, name="from_case"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("<int:pk>/modality/", views.override, name="override"),
    path("<int:pk>/results/new/", views.add_result, name="add_result"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
]
