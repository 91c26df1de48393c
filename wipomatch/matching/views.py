"""Suggestions on a need or offer page (an htmx panel) and dismissing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.selectors import get_listing_for_user

from .selectors import can_see_suggestions, explained_suggestions_for_listing
from .services import suggestion_dismiss


@require_GET
@login_required
def listing_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """Ranked, explained counterparts of a listing, for its organisation and facilitators."""
    listing = get_listing_for_user(request.user, pk)
    if not can_see_suggestions(request.user, listing):
        raise Http404
    return _render_suggestions(request, listing)


def _render_suggestions(request: HttpRequest, listing: Listing) -> HttpResponse:
    reader = "need" if listing.kind == Kind.NEED else "offer"
    items = explained_suggestions_for_listing(request.user, listing)
    template = "matching/_suggestions.html" if request.htmx else "matching/suggestions_page.html"
    return render(
        request,
        template,
        {
            "listing": listing,
            "items": items,
            "show_signals": request.user.is_facilitator,
            "reader": reader,
        },
    )


@require_POST
@login_required
def suggestion_dismiss_view(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk, write=True)
    try:
        other = get_listing_for_user(request.user, other_pk)
        suggestion_dismiss(
            user=request.user,
            listing=listing,
            other=other,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The suggestion was dismissed. It will not be shown for this listing again.")
        )
    if request.htmx:
        return _render_suggestions(request, listing)
    return redirect(listing)
