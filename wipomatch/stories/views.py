"""Pages of the knowledge exchange: browse and search, a story, writing, review.

Views stay thin: they read through the selectors, write through the services, and show what
`story_allowed_actions` allows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.forms import apply_service_errors
from wipomatch.core.permissions import require_facilitator
from wipomatch.listings.models import LISTING_LANGUAGES

from . import services
from .forms import ContactTeamForm, ReviewForm, StoryBrowseForm, StoryForm, StoryImageForm
from .models import Status, Story
from .permissions import can_change_story, story_allowed_actions, writing_membership
from .rendering import render_markdown
from .selectors import (
    get_story_for_user,
    get_story_image_for_user,
    open_contact_request,
    reader_language,
    stories_for_review,
    stories_of_user,
    story_search,
    story_versions,
    version_for_reader,
    visible_story_cases,
)

PAGE_SIZE = 12
GET_POST = require_http_methods(["GET", "POST"])
LANGUAGE_NAMES = dict(LISTING_LANGUAGES)
STATUS_BADGES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-info",
    Status.CHANGES_REQUESTED: "text-bg-warning",
    Status.PUBLISHED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
}
_ACTION_LABELS = {
    "created": gettext_lazy("Written"),
    "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted for review"),
    "published": gettext_lazy("Published"),
    "changes_requested": gettext_lazy("Changes requested"),
    "rejected": gettext_lazy("Rejected"),
    "image_added": gettext_lazy("Picture added"),
    "image_removed": gettext_lazy("Picture removed"),
}


def _audit_rows(story: Story) -> list[dict]:
    states = dict(Status.choices)
    return [
        {
            "when": event.created_at,
            "actor": event.actor,
            "action": _ACTION_LABELS.get(event.action, event.action),
            "from_state": states.get(event.from_state, event.from_state),
            "to_state": states.get(event.to_state, event.to_state),
            "reason": event.reason,
        }
        for event in audit_trail_for(story).order_by("-created_at", "-id")
    ]


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


def _facet_groups(form: StoryBrowseForm, filters, facets: dict) -> tuple[list, list]:
    """Checkbox facets (with counts; options without stories hidden unless ticked) and select
    facets of the browse page."""
    checkbox = []
    for param, key in (
        ("kind", "kind"),
        ("theme", "themes"),
        ("ip_area", "ip_areas"),
        ("sdg", "sdg"),
    ):
        counts = facets.get(key, {})
        selected = {str(v) for v in getattr(filters, param)}
        options = []
        for value, label in form.fields[param].choices:
            count = counts.get(int(value) if param == "sdg" else value, 0)
            if count or str(value) in selected:
                options.append(
                    {
                        "value": value,
                        "label": label,
                        "count": count,
                        "checked": str(value) in selected,
                    }
                )
        if options:
            checkbox.append({"param": param, "label": form.fields[param].label, "options": options})
    selects = []
    for param, key in (
        ("country", "country"),
        ("region", None),
        ("language", "language"),
        ("year", "year"),
    ):
        counts = facets.get(key, {}) if key else {}
        current = str(getattr(filters, param) or "")
        options = []
        for value, label in form.fields[param].choices:
            count = counts.get(int(value) if param == "year" and value else value) if key else None
            if value and key and not count and str(value) != current:
                continue
            options.append(
                {"value": value, "label": label, "count": count, "selected": str(value) == current}
            )
        selects.append({"param": param, "label": form.fields[param].label, "options": options})
    return checkbox, selects


@require_GET
@vary_on_headers("HX-Request")
def story_list(request: HttpRequest) -> HttpResponse:
    years = sorted(
        {
            y
            for y in Story.objects.public()
            .annotate(y=ExtractYear("published_at"))
            .values_list("y", flat=True)
            .distinct()
            if y
        },
        reverse=True,
    )
    form = StoryBrowseForm(request.GET, years=years)
    filters = form.filters()
    result = story_search(filters=filters, page=_page_number(request), page_size=PAGE_SIZE)
    page_obj = Paginator(range(result.total), PAGE_SIZE).get_page(result.page)
    filtered = any(
        (
            filters.q,
            filters.kind,
            filters.theme,
            filters.ip_area,
            filters.sdg,
            filters.country,
            filters.region,
            filters.ldc,
            filters.language,
            filters.year,
        )
    )
    checkbox_facets, select_facets = _facet_groups(form, filters, result.facets)
    context = {
        "form": form,
        "filters": filters,
        "checkbox_facets": checkbox_facets,
        "select_facets": select_facets,
        "ldc_count": result.facets.get("ldc", 0),
        "stories": result.items,
        "total": result.total,
        "facets": result.facets,
        "page_obj": page_obj,
        "page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        ),
        "filtered": filtered,
        "can_write": writing_membership(request.user) is not None,
        "feed_language": reader_language(),
    }
    template = "stories/_results.html" if request.htmx else "stories/list.html"
    return render(request, template, context)


@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk)
    # A reader gets the version in their language when one is published, unless they chose
    # this one from the list of versions.
    if story.is_published and not request.GET.get("chosen"):
        mine = version_for_reader(story)
        if mine is not None and mine.pk != story.pk:
            return redirect("stories:detail", pk=mine.pk)
    allowed = story_allowed_actions(user, story)
    can_change = can_change_story(user, story)
    versions = story_versions(story, user)
    images = list(story.images.all())
    context = {
        "story": story,
        "body_html": render_markdown(story.body),
        "allowed": allowed,
        "manage_actions": allowed - {"contact"},
        "can_change": can_change,
        "versions": [
            {"story": v, "name": LANGUAGE_NAMES.get(v.language, v.language)} for v in versions
        ],
        "language_name": LANGUAGE_NAMES.get(story.language, story.language),
        "images": images,
        "cases": visible_story_cases(user, story),
        "og_image": request.build_absolute_uri(images[0].file.url) if images else "",
        "og_url": request.build_absolute_uri(reverse("stories:detail", args=[story.pk])),
        "badge": STATUS_BADGES.get(story.status, "text-bg-secondary"),
        "audit": _audit_rows(story) if can_change else None,
        "image_form": StoryImageForm() if "manage_images" in allowed else None,
        "contact_form": ContactTeamForm() if "contact" in allowed else None,
        "open_request": open_contact_request(user, story) if "contact" in allowed else None,
        "missing_languages": [
            (code, name)
            for code, name in LISTING_LANGUAGES
            if code not in {v.language for v in versions}
        ]
        if "add_version" in allowed
        else [],
    }
    return render(request, "stories/detail.html", context)


def _not_member(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/not_member.html", status=403)


@login_required
@GET_POST
def story_create(request: HttpRequest) -> HttpResponse:
    membership = writing_membership(request.user)
    if membership is None:
        return _not_member(request)
    organisation = membership.organisation
    form = StoryForm(
        request.POST or None,
        organisation=organisation,
        user=request.user,
        initial={"language": reader_language(), "countries": [organisation.country.iso2]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                user=request.user, organisation=organisation, data=form.story_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your story is saved as a draft. Add pictures, then submit it for review."),
            )
            return redirect("stories:detail", pk=story.pk)
    return render(
        request, "stories/form.html", {"form": form, "organisation": organisation, "story": None}
    )


@login_required
@GET_POST
def story_add_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of the story in another language, prefilled with the original's facets."""
    original = get_story_for_user(request.user, pk, write=True)
    if "add_version" not in story_allowed_actions(request.user, original):
        raise PermissionDenied
    initial = StoryForm.initial_from(original)
    wanted = request.GET.get("language") or ""
    initial["language"] = wanted if wanted in LANGUAGE_NAMES else ""
    form = StoryForm(
        request.POST or None, organisation=original.organisation, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                user=request.user,
                organisation=original.organisation,
                data=form.story_data(),
                version_of=original,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The new language version is saved as a draft."))
            return redirect("stories:detail", pk=story.pk)
    return render(
        request,
        "stories/form.html",
        {"form": form, "organisation": original.organisation, "story": None, "original": original},
    )


@login_required
@GET_POST
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request.user, pk, write=True)
    if "edit" not in story_allowed_actions(request.user, story):
        raise PermissionDenied
    form = StoryForm(
        request.POST or None,
        organisation=story.organisation,
        user=request.user,
        initial=StoryForm.initial_from(story),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(user=request.user, story=story, data=form.story_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(f"{reverse('stories:detail', args=[story.pk])}?chosen=1")
    return render(
        request,
        "stories/form.html",
        {"form": form, "organisation": story.organisation, "story": story},
    )


@login_required
@require_POST
def story_submit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request.user, pk, write=True)
    try:
        services.story_submit(user=request.user, story=story)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your story is submitted. A facilitator will read it before it is published."),
        )
    return redirect(f"{reverse('stories:detail', args=[story.pk])}?chosen=1")


@login_required
@require_POST
def story_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request.user, pk, write=True)
    form = StoryImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.story_image_add(
                user=request.user,
                story=story,
                upload=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data.get("caption") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The picture is added."))
            return redirect(f"{reverse('stories:detail', args=[story.pk])}?chosen=1")
    return render(request, "stories/image_form.html", {"story": story, "form": form}, status=400)


@login_required
@require_POST
def story_image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = get_story_image_for_user(request.user, pk)
    story_pk = image.story_id
    try:
        services.story_image_remove(user=request.user, image=image)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The picture is removed."))
    return redirect(f"{reverse('stories:detail', args=[story_pk])}?chosen=1")


@login_required
@require_GET
def my_stories(request: HttpRequest) -> HttpResponse:
    stories = list(stories_of_user(request.user))
    for story in stories:
        story.badge = STATUS_BADGES.get(story.status, "text-bg-secondary")
    return render(
        request,
        "stories/my_stories.html",
        {"stories": stories, "can_write": writing_membership(request.user) is not None},
    )


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    require_facilitator(request.user)
    return render(request, "stories/review_queue.html", {"stories": list(stories_for_review())})


@login_required
@GET_POST
def story_review(request: HttpRequest, pk: int) -> HttpResponse:
    require_facilitator(request.user)
    story = get_story_for_user(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        comment = form.cleaned_data.get("comment") or ""
        try:
            if decision == "publish":
                services.story_publish(facilitator=request.user, story=story, comment=comment)
                messages.success(request, _("The story is published."))
            elif decision == "request_changes":
                services.story_request_changes(
                    facilitator=request.user, story=story, comment=comment
                )
                messages.success(request, _("The authors are asked for changes."))
            else:
                services.story_reject(facilitator=request.user, story=story, reason=comment)
                messages.success(request, _("The story is rejected."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("stories:review_queue")
    context = {
        "story": story,
        "form": form,
        "body_html": render_markdown(story.body),
        "allowed": story_allowed_actions(request.user, story),
        "images": list(story.images.all()),
        "badge": STATUS_BADGES.get(story.status, "text-bg-secondary"),
        "audit": _audit_rows(story),
        "language_name": LANGUAGE_NAMES.get(story.language, story.language),
    }
    return render(request, "stories/review.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def story_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Contact the team behind this story": a brokering contact request (consent first)."""
    story = get_story_for_user(request.user, pk)
    form = ContactTeamForm(request.POST)
    detail = f"{reverse('stories:detail', args=[story.pk])}?chosen=1"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(detail)
    try:
        case = services.story_contact_team(
            user=request.user, story=story, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    messages.success(
        request,
        _(
            "Your request is sent. The team is told and will answer here; contact details are "
            "shared only if they accept."
        ),
    )
    return redirect("brokering:case_detail", pk=case.pk)
