"""Pages of the brokering app (under the language prefix, /<lang>/matches/)."""

from django.urls import path

from . import views

app_name = "brokering"

urlpatterns = [
    path("", views.my_matches, name="my_matches"),
    path("board/", views.case_board, name="board"),
    path("propose/", views.propose, name="propose"),
    path("api-token/", views.api_token, name="api_token"),
    path("interest/<str:kind>/<int:pk>/", views.express_interest, name="express_interest"),
    path("rate/<str:token>/<int:score>/", views.rate_link, name="rate_link"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/accept/", views.case_accept, name="case_accept"),
    path("<int:pk>/decline/", views.case_decline, name="case_decline"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/rate/", views.case_rate, name="case_rate"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("<int:pk>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("<int:pk>/notes/", views.case_note, name="case_note"),
]
