from django.urls import path

from . import views
from .models import Kind

NEEDS, OFFERS = {"kind": Kind.NEED}, {"kind": Kind.OFFER}

app_name = "listings"

urlpatterns = [
    # One view per screen for both kinds: the URL says which.
    path("needs/", views.browse, NEEDS, name="need_list"),
    path("needs/new/", views.listing_create, NEEDS, name="need_create"),
    path("needs/<int:pk>/", views.listing_detail, NEEDS, name="need_detail"),
    path("offers/", views.browse, OFFERS, name="offer_list"),
    path("offers/new/", views.listing_create, OFFERS, name="offer_create"),
    path("offers/<int:pk>/", views.listing_detail, OFFERS, name="offer_detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/submit/", views.listing_submit, name="listing_submit"),
    path("listings/<int:pk>/close/", views.listing_close, name="listing_close"),
    path("listings/<int:pk>/renew/", views.listing_renew, name="listing_renew"),
    path("listings/<int:pk>/review/", views.listing_review, name="listing_review"),
    path("listings/mine/", views.my_listings, name="my_listings"),
    path("listings/revisions/<int:pk>/", views.revision_review, name="revision_review"),
    path(
        "listings/revisions/<int:pk>/withdraw/", views.revision_withdraw, name="revision_withdraw"
    ),
    path("listings/review/", views.review_queue, name="review_queue"),
]
