from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wipomatch.members.selectors import memberships_of_user
from wipomatch.reference.models import VocabularyTerm

from .selectors import home_figures, recent_listings, staff_work


def home(request: HttpRequest) -> HttpResponse:
    themes = VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME, active=True)
    from wipomatch.listings.models import Kind
    from wipomatch.listings.selectors import mark_text_language

    needs, offers = recent_listings(Kind.NEED), recent_listings(Kind.OFFER)
    mark_text_language(needs + offers)
    context = {"themes": themes, "figures": home_figures(), "needs": needs, "offers": offers}
    return render(request, "web/home.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from wipomatch.members.models import JoinRequest, MembershipApplication

    if request.user.is_facilitator:
        return render(request, "web/staff_dashboard.html", _staff_context())
    context = {
        "memberships": memberships_of_user(request.user),
        "applications": MembershipApplication.objects.filter(applicant=request.user)
        .select_related("organisation")
        .order_by("-created_at"),
        "join_requests": JoinRequest.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("-created_at"),
    }
    return render(request, "web/dashboard.html", context)


def _staff_context() -> dict:
    from wipomatch.listings.views import _ACTION_LABELS as listing_actions
    from wipomatch.listings.views import _STATES as listing_states
    from wipomatch.members.views import _ACTION_LABELS as member_actions
    from wipomatch.members.views import _ORGANISATION_STATES as member_states

    work = staff_work()
    actions = {**member_actions, **listing_actions}
    states = {**member_states, **listing_states}
    work["events"] = [
        {
            "when": event.created_at,
            "actor": event.actor,
            "what": event.content_type.name,
            "object_id": event.object_id,
            "action": actions.get(event.action, event.action),
            "to_state": states.get(event.to_state, event.to_state),
        }
        for event in work["events"]
    ]
    return work


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the application and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
