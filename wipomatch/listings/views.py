"""Pages of needs and offers: browse and search, details, writing, the lifecycle, my listings,
the validation queue, and the theme and country pages.

Views stay thin: they read through the scoped selectors (404 for what the user may not see, 403
for what they may see but not change), call one service per write, and put a service's
ValidationError on the form the user sent.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wipomatch.core.forms import apply_service_errors
from wipomatch.core.pages import audit_rows, is_htmx_partial, page_range
from wipomatch.reference.models import VocabularyTerm

from . import services
from .filters import TERM_PARAMS, BrowseFilters
from .forms import (
    TERM_FIELDS,
    BrowseForm,
    BulkPublishForm,
    CloseForm,
    ListingForm,
    ReviewForm,
    RevisionDecisionForm,
)
from .models import (
    LISTING_LANGUAGES,
    Listing,
    Status,
)
from .permissions import (
    active_membership,
    can_edit_listing,
    editable_organisation_ids,
    is_member,
    listing_allowed_actions,
    organisation_for_new_listing,
    revision_allowed_actions,
)
from .search import catalogue_version, listing_search
from .selectors import (
    get_listing_for_user,
    get_revision_for_user,
    listings_for_review,
    listings_of_user,
    mark_text_language,
    pending_revisions_for_review,
    revision_diff,
    revision_field_label,
)
from .validation import listing_data_from_json

PAGE_SIZE = 20
GET_POST = require_http_methods(["GET", "POST"])

AUDIT_ACTION_LABELS = {
    "created": gettext_lazy("Created"),
    "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted for review"),
    "published": gettext_lazy("Published"),
    "changes_requested": gettext_lazy("Changes requested"),
    "rejected": gettext_lazy("Rejected"),
    "closed_fulfilled": gettext_lazy("Closed: fulfilled"),
    "closed_withdrawn": gettext_lazy("Closed: withdrawn"),
    "renewed": gettext_lazy("Renewed"),
    "expired": gettext_lazy("Expired"),
    "suggestion_dismissed": capfirst(gettext_lazy("dismissed suggestion")),
    "revision_proposed": gettext_lazy("Changes proposed for review"),
    "revision_accepted": gettext_lazy("Proposed changes accepted"),
    "revision_rejected": gettext_lazy("Proposed changes not accepted"),
    "revision_withdrawn": gettext_lazy("Proposed changes withdrawn"),
}
AUDIT_STATE_LABELS = dict(Status.choices)
STATUS_BADGES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-info",
    Status.CHANGES_REQUESTED: "text-bg-warning",
    Status.PUBLISHED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.CLOSED: "text-bg-dark",
    Status.EXPIRED: "text-bg-light border",
}


# --- Presentation helpers -------------------------------------------------------------------


def _facet_counts_for(facets: dict, *keys: str) -> dict | None:
    for key in keys:
        if key in facets and facets[key] is not None:
            return facets[key]
    return None


def _checkbox_facets(form: BrowseForm, filters: BrowseFilters, facets: dict) -> list[dict]:
    """Checkbox groups (theme, IP area, ...) with the count of results for each term."""
    groups = []
    for param, vocab in TERM_PARAMS.items():
        if param not in form.fields:
            continue
        counts = _facet_counts_for(facets, vocab, param) or {}
        selected = set(getattr(filters, param))
        options = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "checked": value in selected,
                "id": f"f-{param}-{value}",
            }
            for value, label in form.fields[param].choices
            if counts.get(value) or value in selected
        ]
        groups.append({"param": param, "legend": form.fields[param].label, "options": options})
    return groups


def _select_facets(form: BrowseForm, filters: BrowseFilters, facets: dict) -> list[dict]:
    """Single-choice filters (country, region, language, organisation type) with counts.

    The options are rendered here: a few hundred countries through template loops would cost
    more than the whole search."""
    groups = []
    for param in ("country", "region", "language", "org_type"):
        counts = _facet_counts_for(facets, param)
        current = getattr(filters, param)
        options = []
        for value, label in form.fields[param].choices:
            value = str(value)
            count = None if counts is None or not value else counts.get(value, 0)
            if count == 0 and value != current:
                continue
            text = label if count is None else f"{label} ({count})"
            options.append((value, " selected" if value == current else "", text))
        groups.append(
            {
                "param": param,
                "label": form.fields[param].label,
                "id": f"f-{param}",
                "options_html": format_html_join("", '<option value="{}"{}>{}</option>', options),
            }
        )
    return groups


def _labelled_terms(listing: Listing) -> list[dict]:
    """The listing's facets per vocabulary, labels in the reader's language."""
    names = {
        VocabularyTerm.Kind.THEME: gettext_lazy("Thematic areas"),
        VocabularyTerm.Kind.IP_AREA: gettext_lazy("IP areas"),
        VocabularyTerm.Kind.ASSISTANCE_TYPE: gettext_lazy("Types of assistance"),
        VocabularyTerm.Kind.RESOURCE_TYPE: gettext_lazy("Resources offered"),
        VocabularyTerm.Kind.MODALITY: gettext_lazy("Cooperation modalities"),
    }
    rows = []
    for vocab in TERM_FIELDS.values():
        terms = listing.terms_of(vocab)
        if terms:
            rows.append({"name": names[vocab], "kind": vocab, "terms": terms})
    return rows


def _details(listing: Listing) -> dict:
    """What members see beyond the public summary."""
    names = dict(LISTING_LANGUAGES)
    return {
        "delivery_languages": [names[c] for c in listing.delivery_languages if c in names],
        "sdg_goals": list(listing.sdg_goals.all()),
        "sdg_targets": list(listing.sdg_targets.all()),
    }


def _describe_event(event) -> dict:
    """The fields an edit or a revision touched, named in the reader's language (they are
    `ListingData` names, not all model fields)."""
    fields = event.data.get("fields")
    if not fields:
        return {}
    labels = ", ".join(revision_field_label(name) for name in fields)
    if event.reason:
        labels = f"{labels} — {event.reason}"
    return {"reason": labels}


def _audit_rows(listing: Listing) -> list[dict]:
    return audit_rows(
        listing,
        action_labels=AUDIT_ACTION_LABELS,
        state_labels=AUDIT_STATE_LABELS,
        describe=_describe_event,
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Browse and search ------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def browse(request: HttpRequest, kind: str) -> HttpResponse:
    """One view for the page and, when htmx asks, only the facets and results."""
    form = BrowseForm(request.GET, kind=kind)
    filters = form.filters()
    try:
        page_number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_number = 1
    seconds = settings.LISTING_BROWSE_CACHE_SECONDS
    key = None
    html = None
    if seconds:
        # The results (facets, cards, pagination) depend only on these and on the catalogue,
        # never on the visitor: rendered once per version of the catalogue, for everyone.
        version = catalogue_version(kind)
        raw = f"{version}|{get_language()}|{filters!r}|{page_number}"
        key = f"browse:{hashlib.sha256(raw.encode()).hexdigest()}"
        html = caches[settings.FRAGMENT_CACHE].get(key)
    if html is None:
        html = _browse_results(request, kind, form, filters, page_number, refresh=not seconds)
        if key is not None:
            caches[settings.FRAGMENT_CACHE].set(key, str(html), seconds)
    html = mark_safe(html)  # noqa: S308 (our own rendering of escaped templates)
    if is_htmx_partial(request):
        return HttpResponse(html)
    context = {
        "kind": kind,
        "form": form,
        "filters": filters,
        "results_html": html,
        "list_url": reverse(f"listings:{kind}_list"),
    }
    return render(request, "listings/browse.html", context)


def _browse_results(request, kind, form, filters, page_number: int, *, refresh: bool) -> str:
    """The facets, cards and pagination of a browse page, rendered (`_browse_results.html`)."""
    result = listing_search(
        kind=kind, filters=filters, page=page_number, page_size=PAGE_SIZE, refresh=refresh
    )
    page_obj = Paginator(range(result.total), PAGE_SIZE).get_page(result.page)
    single = (filters.q, filters.country, filters.region, filters.ldc, filters.language)
    filtered = (
        any(single)
        or bool(filters.org_type)
        or any(getattr(filters, param) for param in TERM_PARAMS)
    )
    listings = list(result.items)
    mark_text_language(listings)
    ldc_count = result.facets.get("ldc") if isinstance(result.facets, dict) else None
    context = {
        "kind": kind,
        "form": form,
        "filters": filters,
        "listings": listings,
        "total": result.total,
        "page_obj": page_obj,
        "page_range": page_range(page_obj),
        "checkbox_facets": _checkbox_facets(form, filters, result.facets),
        "select_facets": _select_facets(form, filters, result.facets),
        "ldc_count": ldc_count,
        "filtered": filtered,
        "list_url": reverse(f"listings:{kind}_list"),
    }
    return render_to_string("listings/_browse_results.html", context, request)


# --- Details ----------------------------------------------------------------------------------


@require_GET
def listing_detail(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = request.user
    listing = get_listing_for_user(user, pk, kind=kind)
    actions = listing_allowed_actions(user, listing)
    owner_or_staff = can_edit_listing(user, listing)
    member = is_member(user)
    mark_text_language([listing])
    context = {
        "listing": listing,
        "kind": kind,
        "member": member,
        "details": _details(listing) if member else None,
        "owner_or_staff": owner_or_staff,
        "actions": actions,
        "terms": _labelled_terms(listing),
        "badge": STATUS_BADGES.get(listing.status, "text-bg-secondary"),
        "audit": _audit_rows(listing) if owner_or_staff else None,
        "list_url": reverse(f"listings:{kind}_list"),
        "pending_revision": services.pending_revision_of(listing) if owner_or_staff else None,
    }
    if context["pending_revision"] is not None:
        context["revision_actions"] = revision_allowed_actions(user, context["pending_revision"])
    return render(request, "listings/detail.html", context)


# --- Writing ----------------------------------------------------------------------------------


@login_required
@GET_POST
def listing_create(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        organisation = organisation_for_new_listing(request.user)
    except (PermissionDenied, ValidationError):
        # not a member of an approved organisation (or, through the admin, of several)
        return render(request, "listings/not_member.html", {"kind": kind}, status=403)
    form = ListingForm(request.POST or None, kind=kind, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            listing = services.listing_create(
                user=request.user,
                organisation=organisation,
                kind=kind,
                data=form.listing_data(),
                submit=submit,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _saved(request, listing, submit, _("Your draft has been saved."))
    return render(
        request,
        "listings/form.html",
        {"form": form, "kind": kind, "organisation": organisation, "listing": None},
    )


def _saved(request: HttpRequest, listing: Listing, submitted: bool, saved: str) -> HttpResponse:
    if submitted:
        messages.success(request, _("Thank you. Your listing has been sent to a WIPO facilitator."))
    else:
        messages.success(request, saved)
    return redirect(listing)


@login_required
@GET_POST
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk, write=True)
    if not listing_allowed_actions(request.user, listing)["edit"]:
        messages.error(request, _("This listing can no longer be edited."))
        return redirect(listing)
    pending = services.pending_revision_of(listing)
    initial = ListingForm.initial_from(listing)
    if pending is not None:
        # Editing again continues the changes awaiting review.
        initial.update(ListingForm.initial_from_data(listing_data_from_json(pending.proposed)))
    form = ListingForm(
        request.POST or None, kind=listing.kind, organisation=listing.organisation, initial=initial
    )
    may_submit = listing.status in (Status.DRAFT, Status.CHANGES_REQUESTED)
    if request.method == "POST" and form.is_valid():
        submit = may_submit and request.POST.get("action") == "submit"
        try:
            # Both steps or neither: a refused submission leaves the stored listing untouched.
            with transaction.atomic():
                services.listing_update(
                    user=request.user, listing=listing, data=form.listing_data()
                )
                if submit:
                    services.listing_submit(user=request.user, listing=listing)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if services.pending_revision_of(listing) is not None:
                messages.info(
                    request,
                    _(
                        "Your changes are awaiting review by a WIPO facilitator; the published "
                        "version stays online until they are accepted."
                    ),
                )
                return redirect(listing)
            return _saved(request, listing, submit, _("Your changes have been saved."))
    return render(
        request,
        "listings/form.html",
        {
            "form": form,
            "kind": listing.kind,
            "organisation": listing.organisation,
            "listing": listing,
            "may_submit": may_submit,
            "pending_revision": pending,
        },
    )


# --- Lifecycle actions ------------------------------------------------------------------------


def _one_click(request: HttpRequest, pk: int, service, success) -> HttpResponse:
    """A lifecycle action without a form (submit, renew): the service, then back to the page
    the user came from, with the service's refusal or `success(listing)`."""
    listing = get_listing_for_user(request.user, pk, write=True)
    try:
        service(user=request.user, listing=listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(listing))
    return redirect(_safe_next(request, listing.get_absolute_url()))


@login_required
@require_POST
def listing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_click(
        request,
        pk,
        services.listing_submit,
        lambda listing: _("Thank you. Your listing has been sent to a WIPO facilitator."),
    )


@login_required
@GET_POST
def listing_close(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk, write=True)
    if listing.status in (Status.CLOSED, Status.REJECTED):
        messages.info(request, _("This listing is already closed."))
        return redirect(listing)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_close(
                user=request.user,
                listing=listing,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The listing is closed."))
            return redirect(listing)
    return render(request, "listings/close.html", {"form": form, "listing": listing})


@login_required
@require_POST
def listing_renew(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_click(
        request,
        pk,
        services.listing_renew,
        lambda listing: (
            _("Renewed: the listing is published until %(date)s.")
            % {"date": listing.expires_at.date().isoformat()}
            if listing.status == Status.PUBLISHED
            else _(
                "The listing changed since it was last reviewed: it has been sent to a WIPO "
                "facilitator and will be published again once checked."
            )
        ),
    )


# --- Changes to published listings (revisions) ----------------------------------------------


@login_required
@GET_POST
def revision_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A facilitator compares the proposed changes with the live version, field by field, and
    accepts or rejects them; the listing's organisation sees the same comparison."""
    revision = get_revision_for_user(request.user, pk)
    actions = revision_allowed_actions(request.user, revision)
    form = RevisionDecisionForm(request.POST or None)
    if request.method == "POST":
        if not (actions["accept"] or actions["reject"]):
            raise PermissionDenied
        if form.is_valid():
            decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
            try:
                if decision == "accept":
                    services.listing_revision_accept(
                        facilitator=request.user, revision=revision, comment=comment
                    )
                    messages.success(request, _("The changes are accepted and published."))
                else:
                    services.listing_revision_reject(
                        facilitator=request.user, revision=revision, comment=comment
                    )
                    messages.success(request, _("The changes are not accepted; the owner is told."))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("listings:review_queue")
    listing = revision.listing
    return render(
        request,
        "listings/revision_review.html",
        {
            "revision": revision,
            "listing": listing,
            "diff": revision_diff(revision),
            "actions": actions,
            "form": form,
            "badge": STATUS_BADGES.get(listing.status, "text-bg-secondary"),
        },
    )


@login_required
@require_POST
def revision_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision_for_user(request.user, pk)
    try:
        services.listing_revision_withdraw(user=request.user, revision=revision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposed changes are withdrawn."))
    return redirect(revision.listing)


@login_required
@GET_POST
def listing_review(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_listing_for_user(request.user, pk)
    if not request.user.is_facilitator:
        raise PermissionDenied
    mark_text_language([listing])
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        comment = form.cleaned_data["comment"]
        facilitator = request.user
        try:
            if decision == "publish":
                services.listing_publish(facilitator=facilitator, listing=listing, comment=comment)
            elif decision == "changes":
                services.listing_request_changes(
                    facilitator=facilitator, listing=listing, comment=comment
                )
            else:
                services.listing_reject(facilitator=facilitator, listing=listing, reason=comment)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        ("comment" if name == "reason" else name): errors
                        for name, errors in error.error_dict.items()
                    }
                )
            apply_service_errors(form, error)
        else:
            done = {
                "publish": _("“%(title)s” is published."),
                "changes": _("The owner of “%(title)s” has been asked for changes."),
                "reject": _("“%(title)s” has been rejected."),
            }[decision]
            messages.success(request, done % {"title": listing.title})
            return redirect("listings:review_queue")
    context = {
        "listing": listing,
        "kind": listing.kind,
        "form": form,
        "member": True,
        "details": _details(listing),
        "terms": _labelled_terms(listing),
        "badge": STATUS_BADGES.get(listing.status, "text-bg-secondary"),
        "audit": _audit_rows(listing),
        "under_review": listing.status in (Status.SUBMITTED, Status.CHANGES_REQUESTED),
    }
    return render(request, "listings/review.html", context)


# --- My listings and the validation queue -------------------------------------------------------


@login_required
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    page = Paginator(listings_of_user(request.user), 25).get_page(request.GET.get("page"))
    organisation_ids = editable_organisation_ids(request.user)
    rows = [
        {
            "listing": listing,
            "badge": STATUS_BADGES.get(listing.status, "text-bg-secondary"),
            "actions": listing_allowed_actions(
                request.user, listing, organisation_ids=organisation_ids
            ),
        }
        for listing in page.object_list
    ]
    context = {
        "rows": rows,
        "page_obj": page,
        "page_range": page_range(page),
        "can_create": active_membership(request.user) is not None,
        "now_path": request.get_full_path(),
    }
    return render(request, "listings/my_listings.html", context)


@login_required
@GET_POST
def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_facilitator:
        raise PermissionDenied
    queue = listings_for_review()
    if request.method == "POST":
        form = BulkPublishForm(request.POST, choices=list(queue.values_list("pk", flat=True)))
        form.is_valid()
        chosen = list(queue.filter(pk__in=form.cleaned_data.get("listings") or []))
        if not chosen:
            messages.warning(request, _("Select at least one listing to publish."))
            return redirect("listings:review_queue")
        if not form.cleaned_data.get("confirmed"):
            return render(request, "listings/review_confirm.html", {"chosen": chosen})
        published, problems = services.listing_publish_many(
            facilitator=request.user, listings=chosen
        )
        if published:
            messages.success(
                request,
                ngettext("%(count)d listing published.", "%(count)d listings published.", published)
                % {"count": published},
            )
        for problem in problems:
            messages.error(request, problem)
        return redirect("listings:review_queue")
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    context = {
        "listings": list(page.object_list),
        "page_obj": page,
        "page_range": page_range(page),
        "revisions": list(pending_revisions_for_review()[:200]),
    }
    return render(request, "listings/review_queue.html", context)
