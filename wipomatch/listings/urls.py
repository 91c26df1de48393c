from django.urls import path

from . import views

app_name = "listings"

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/submit/", views.listing_submit, name="listing_submit"),
    path("listings/<int:pk>/close/", views.listing_close, name="listing_close"),
    path("listings/<int:pk>/renew/", views.listing_renew, name="listing_renew"),
    path("listings/<int:pk>/review/", views.listing_review, name="listing_review"),
    path("listings/mine/", views.my_listings, name="my_listings"),
    path("listings/review/", views.review_queue, name="review_queue"),
]
