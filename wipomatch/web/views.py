import os

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wipomatch.listings import views as listings_views
from wipomatch.listings.models import Kind
from wipomatch.listings.search import search_cache_memory
from wipomatch.listings.selectors import mark_text_language
from wipomatch.matching.index_store import index_memory
from wipomatch.members import views as members_views
from wipomatch.members.models import JoinRequest, MembershipApplication
from wipomatch.members.selectors import memberships_of_user
from wipomatch.reference.models import VocabularyTerm

from .selectors import home_figures, recent_listings, staff_work


def home(request: HttpRequest) -> HttpResponse:
    themes = VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME, active=True)
    needs, offers = recent_listings(Kind.NEED), recent_listings(Kind.OFFER)
    mark_text_language(needs + offers)
    context = {"themes": themes, "figures": home_figures(), "needs": needs, "offers": offers}
    return render(request, "web/home.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
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
    work = staff_work()
    actions = {**members_views.AUDIT_ACTION_LABELS, **listings_views.AUDIT_ACTION_LABELS}
    states = {**members_views.ORGANISATION_STATE_LABELS, **listings_views.AUDIT_STATE_LABELS}
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
    """200 when the application and its database answer; 503 otherwise. `?verbose`, for staff,
    adds the memory of this process's search cache and matching index."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    body: dict = {"status": "ok", "database": "ok"}
    if "verbose" in request.GET and getattr(request.user, "is_staff_member", False):
        body["memory"] = index_memory_report()
    return JsonResponse(body)


def index_memory_report() -> dict:
    """What the in-process indexes of this process hold (docs/index-freshness.md): the search
    cache of each kind (web processes) and the matching index (the task worker's)."""
    return {
        "pid": os.getpid(),
        "search_cache": search_cache_memory(),
        "matching_index": index_memory(),
    }
