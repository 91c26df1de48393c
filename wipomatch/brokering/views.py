"""Pages of cases: express interest, the case page and its actions, My matches, the facilitator
board, proposals, one-click ratings and the API token page. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from wipomatch.core.audit import audit_record
from wipomatch.core.forms import apply_service_errors
from wipomatch.core.permissions import require_facilitator
from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.permissions import can_see_listing
from wipomatch.members.forms import organisation_type_choices, region_choices, theme_choices
from wipomatch.messaging.forms import MessageForm
from wipomatch.messaging.selectors import conversation_for, messages_for
from wipomatch.messaging.services import conversation_open
from wipomatch.reference.models import Country

from . import permissions as perms
from . import selectors, services
from .forms import (
    AcceptForm,
    AssignForm,
    BoardFilterForm,
    CloseForm,
    DeclineForm,
    FollowUpForm,
    InterestForm,
    NoteForm,
    ProposeForm,
    RatingForm,
    ReopenForm,
)
from .models import CaseRating, CaseState
from .notifications import facilitators

BOARD_PAGE_SIZE = 25


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


# --- express interest -----------------------------------------------------------------------


@login_required
def express_interest(request, kind: str, pk: int):
    """Express interest in another organisation's published need or offer (`kind` is the other
    listing's kind), naming one of one's own published listings of the opposite kind."""
    if kind not in (Kind.NEED, Kind.OFFER):
        raise Http404
    other = (
        Listing.objects.select_related("organisation", "organisation__country")
        .public()
        .filter(pk=pk, kind=kind)
        .first()
    )
    if other is None or not can_see_listing(request.user, other):
        raise Http404
    listings = selectors.own_listings_for(request.user, other)
    initial = {}
    wanted = request.GET.get("mine", "")
    if wanted.isdigit() and any(x.pk == int(wanted) for x in listings):
        initial["mine"] = int(wanted)
    form = InterestForm(request.POST or None, listings=listings, initial=initial)
    if request.method == "POST" and form.is_valid():
        mine = next(x for x in listings if x.pk == form.cleaned_data["mine"])
        need, offer = (other, mine) if other.kind == Kind.NEED else (mine, other)
        try:
            case = services.match_express_interest(
                user=request.user, need=need, offer=offer, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your interest was sent. You will be told when %(organisation)s answers.")
                % {"organisation": other.organisation.name},
            )
            return redirect("brokering:case_detail", pk=case.pk)
    return render(
        request,
        "brokering/express_interest.html",
        {"other": other, "form": form, "listings": listings},
    )


# --- the case page --------------------------------------------------------------------------


def _conversation_context(request, case, actions) -> dict:
    """After mutual interest: the conversation between the two organisations (facilitators can
    read it and join)."""
    if perms.MESSAGE not in actions:
        return {}
    conversation = conversation_for(case) or conversation_open(
        subject=case, organisations=[case.requesting_organisation, case.receiving_organisation]
    )
    return {
        "conversation": conversation,
        "conversation_messages": messages_for(conversation),
        "form": MessageForm(),
        "post_url": reverse("messaging:conversation_post", args=[conversation.pk]),
        "next_url": reverse("brokering:case_detail", args=[case.pk]),
    }


def _case_context(request, case, **forms) -> dict:
    actions = perms.case_allowed_actions(request.user, case)
    staff = request.user.is_facilitator
    other_org = None
    org_ids = perms.user_organisation_ids(request.user)
    if case.requesting_organisation_id in org_ids:
        other_org = case.receiving_organisation
    elif case.receiving_organisation_id in org_ids:
        other_org = case.requesting_organisation
    my_rating = None
    if perms.RATE in actions:
        my_rating = CaseRating.objects.filter(case=case, organisation_id__in=org_ids).first()
    context = {
        "case": case,
        "actions": actions,
        "staff": staff,
        "other_org": other_org,
        "awaiting_me": perms.awaiting_answer_from(request.user, case),
        "contacts": services.case_contacts(case) if perms.SEE_CONTACTS in actions else None,
        "events": selectors.case_events(case, request.user),
        "explanation": selectors.match_explanation(case),
        "notes": case.notes.select_related("author") if staff else None,
        "ratings": case.ratings.select_related("organisation") if staff else None,
        "my_rating": my_rating,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "rating_form": forms.get("rating_form")
        or RatingForm(initial={"score": my_rating.score} if my_rating else None),
        "note_form": forms.get("note_form") or NoteForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            facilitators=facilitators().order_by("full_name", "email"),
            initial={"assignee": case.assigned_to_id},
        ),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial={"follow_up_on": case.follow_up_on}),
    }
    context.update(_conversation_context(request, case, actions))
    return context


@login_required
def case_detail(request, pk: int):
    case = selectors.get_case_for_user(request.user, pk)
    return render(request, "brokering/case_detail.html", _case_context(request, case))


def _case_action(request, pk, *, form_class, form_name, run, done, form_kwargs=None):
    """POST an action form: run the service, or show the case page again with the errors."""
    case = selectors.get_case_for_user(request.user, pk)
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            run(case, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("brokering:case_detail", pk=case.pk)
    case = selectors.get_case_for_user(request.user, pk)
    return render(
        request,
        "brokering/case_detail.html",
        _case_context(request, case, **{form_name: form}),
        status=400,
    )


@require_POST
@login_required
def case_accept(request, pk: int):
    return _case_action(
        request,
        pk,
        form_class=AcceptForm,
        form_name="accept_form",
        run=lambda case, data: services.match_accept(
            user=request.user, case=case, message=data["message"]
        ),
        done=_("You accepted. If both sides have agreed, the contacts are now shown below."),
    )


@require_POST
@login_required
def case_decline(request, pk: int):
    return _case_action(
        request,
        pk,
        form_class=DeclineForm,
        form_name="decline_form",
        run=lambda case, data: services.match_decline(
            user=request.user, case=case, reason=data["reason"], comment=data["comment"]
        ),
        done=_("You declined. The other organisation has been told."),
    )


@require_POST
@login_required
def case_withdraw(request, pk: int):
    case = selectors.get_case_for_user(request.user, pk)
    try:
        services.match_withdraw(user=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case was withdrawn."))
    return redirect("brokering:case_detail", pk=case.pk)


@require_POST
@login_required
def case_close(request, pk: int):
    return _case_action(
        request,
        pk,
        form_class=CloseForm,
        form_name="close_form",
        run=lambda case, data: services.match_close(
            user=request.user,
            case=case,
            outcome=data["outcome"],
            note=data["note"],
            expected_start=data["expected_start"],
        ),
        done=_("The case is closed. Both sides are asked to rate it."),
    )


@require_POST
@login_required
def case_rate(request, pk: int):
    return _case_action(
        request,
        pk,
        form_class=RatingForm,
        form_name="rating_form",
        run=lambda case, data: services.case_rate(
            user=request.user, case=case, score=data["score"], comment=data["comment"]
        ),
        done=_("Thank you: your rating was recorded."),
    )


@require_POST
@login_required
def case_reopen(request, pk: int):
    require_facilitator(request.user)
    return _case_action(
        request,
        pk,
        form_class=ReopenForm,
        form_name="reopen_form",
        run=lambda case, data: services.match_reopen(
            facilitator=request.user, case=case, message=data["message"]
        ),
        done=_("The case is open again and waits for an answer."),
    )


@require_POST
@login_required
def case_assign(request, pk: int):
    require_facilitator(request.user)
    people = facilitators().order_by("full_name", "email")

    def run(case, data):
        assignee = people.filter(pk=data["assignee"]).first() if data["assignee"] else None
        services.match_assign(facilitator=request.user, case=case, assignee=assignee)

    return _case_action(
        request,
        pk,
        form_class=AssignForm,
        form_name="assign_form",
        form_kwargs={"facilitators": people},
        run=run,
        done=_("Assignment saved."),
    )


@require_POST
@login_required
def case_follow_up(request, pk: int):
    require_facilitator(request.user)
    return _case_action(
        request,
        pk,
        form_class=FollowUpForm,
        form_name="follow_up_form",
        run=lambda case, data: services.match_set_follow_up(
            facilitator=request.user, case=case, on=data["follow_up_on"]
        ),
        done=_("Follow-up date saved."),
    )


@require_POST
@login_required
def case_note(request, pk: int):
    require_facilitator(request.user)
    return _case_action(
        request,
        pk,
        form_class=NoteForm,
        form_name="note_form",
        run=lambda case, data: services.case_note_add(
            facilitator=request.user, case=case, body=data["body"]
        ),
        done=_("Note added."),
    )


# --- one-click rating from the e-mail --------------------------------------------------------


@login_required
def rate_link(request, token: str, score: int):
    """A signed link from the closing e-mail: records the score for the signer's side."""
    try:
        payload = services.rating_from_token(token)
    except ValidationError as error:
        return render(request, "brokering/rate_link.html", {"error": error.messages[0]}, status=400)
    if payload.get("u") != request.user.pk:
        raise Http404
    case = selectors.get_case_for_user(request.user, payload["c"])
    try:
        services.case_rate(user=request.user, case=case, score=score, organisation_id=payload["o"])
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else ""
        return render(
            request, "brokering/rate_link.html", {"error": message, "case": case}, status=400
        )
    messages.success(
        request,
        _("Thank you: you rated this case %(score)d out of 5. You can add a comment below.")
        % {"score": score},
    )
    return redirect(f"{services.case_url(case)}#rating")


# --- My matches, the board, proposals -------------------------------------------------------


@login_required
def my_matches(request):
    awaiting, stages = selectors.my_cases_by_stage(request.user)
    return render(
        request,
        "brokering/my_matches.html",
        {
            "awaiting": awaiting,
            "stages": stages,
            "has_organisation": bool(perms.user_organisation_ids(request.user)),
        },
    )


def _board_choices() -> dict:
    people = facilitators().order_by("full_name", "email")
    return {
        "state": CaseState.choices,
        "theme": theme_choices(),
        "region": region_choices(),
        "country": sorted(
            (
                (c.iso2, c.name)
                for c in Country.objects.filter(organisations__isnull=False).distinct()
            ),
            key=lambda pair: pair[1].casefold(),
        ),
        "org_type": organisation_type_choices(),
        "assigned": [("me", _("Me")), ("none", _("Nobody"))]
        + [(str(u.pk), u.display_name) for u in people],
    }


@login_required
def case_board(request):
    require_facilitator(request.user)
    form = BoardFilterForm(request.GET or None, choices=_board_choices())
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.BoardFilters(
        **{
            name: data.get(name) or ("" if name not in ("ldc", "overdue") else False)
            for name in selectors.BoardFilters.__dataclass_fields__
        }
    )
    qs = selectors.case_board(request.user, filters)
    counts = selectors.board_stage_counts(
        selectors.case_board(
            request.user, selectors.BoardFilters(**{**filters.__dict__, "state": ""})
        )
    )
    page = Paginator(qs, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "brokering/board.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": _page_range(page),
            "cases": page.object_list,
            "stage_counts": [(s.value, s.label, counts[s.value]) for s in selectors.STAGES],
            "current_state": filters.state,
        },
    )


@login_required
def propose(request):
    require_facilitator(request.user)
    initial = {k: request.GET[k] for k in ("need", "offer") if request.GET.get(k, "").isdigit()}
    form = ProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        need = Listing.objects.filter(pk=form.cleaned_data["need"], kind=Kind.NEED).first()
        offer = Listing.objects.filter(pk=form.cleaned_data["offer"], kind=Kind.OFFER).first()
        if need is None:
            form.add_error("need", _("No need has this number."))
        if offer is None:
            form.add_error("offer", _("No offer has this number."))
        if need and offer:
            try:
                case = services.match_propose(
                    facilitator=request.user,
                    need=need,
                    offer=offer,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The match was proposed to both organisations."))
                return redirect("brokering:case_detail", pk=case.pk)
    return render(request, "brokering/propose.html", {"form": form})


# --- the API token page ---------------------------------------------------------------------


@login_required
def api_token(request):
    """Create, see the creation date of, and revoke one's API token."""
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            if token is not None:
                token.delete()
            token = Token.objects.create(user=request.user)
            audit_record(target=request.user, actor=request.user, action="api_token_created")
            messages.success(
                request, _("Your new API token is shown below. Keep it secret, like a password.")
            )
            return render(request, "brokering/api_token.html", {"token": token, "show_key": True})
        if action == "revoke" and token is not None:
            token.delete()
            audit_record(target=request.user, actor=request.user, action="api_token_revoked")
            messages.success(request, _("Your API token was revoked: it no longer works."))
            return redirect("brokering:api_token")
        return redirect("brokering:api_token")
    return render(
        request,
        "brokering/api_token.html",
        {"token": token, "show_key": False, "staff": request.user.is_staff_member},
    )
