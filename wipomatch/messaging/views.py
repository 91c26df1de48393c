"""Notification list, preferences, one-click unsubscribe and conversations (thin: services decide)."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wipomatch.core.forms import apply_service_errors
from wipomatch.members.models import User

from .forms import MessageForm, PreferencesForm
from .models import Category, Frequency
from .selectors import (
    conversation_for_user,
    conversations_visible_to,
    messages_for,
    notification_for_user,
    notifications_for,
    preferences_for,
)
from .services import (
    message_post,
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)
from .unsubscribe import read_unsubscribe_token

PAGE_SIZE = 25


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def _is_htmx_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


# --- Notifications ------------------------------------------------------------------------------


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/notifications.html",
        {
            "page_obj": page,
            "page_range": _page_range(page),
            "notifications": page.object_list,
            "has_unread": notifications_for(request.user).filter(read_at__isnull=True).exists(),
        },
    )


@require_GET
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = notification_for_user(request.user, pk)
    notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("messaging:notifications")


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_for_user(request.user, pk)
    notification_mark_read(user=request.user, notification=notification)
    return redirect(_safe_next(request, reverse("messaging:notifications")))


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        flash.success(request, _("All notifications are marked as read."))
    return redirect(_safe_next(request, reverse("messaging:notifications")))


# --- Preferences and unsubscribe ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = preferences_for(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for category, frequency in form.cleaned_data.items():
            preference_set(user=request.user, category=category, frequency=frequency)
        flash.success(request, _("Your notification preferences are saved."))
        return redirect("messaging:preferences")
    return render(request, "messaging/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an e-mail: that person stops receiving e-mails of that category."""
    decoded = read_unsubscribe_token(token)
    user = User.objects.filter(pk=decoded[0], is_active=True).first() if decoded else None
    if user is None:
        return render(request, "messaging/unsubscribe_invalid.html", status=400)
    category = decoded[1]
    preference_set(user=user, category=category, frequency=Frequency.OFF)
    return render(
        request,
        "messaging/unsubscribed.html",
        {"category_label": Category(category).label, "email": user.email},
    )


# --- Conversations -------------------------------------------------------------------------------


@require_GET
@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = conversations_visible_to(request.user).annotate(
        last_activity=Coalesce(Max("messages__created_at"), "created_at")
    )
    page = Paginator(conversations.order_by("-last_activity", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "messaging/conversations.html",
        {"page_obj": page, "page_range": _page_range(page), "conversations": page.object_list},
    )


def _conversation_context(request, conversation, form) -> dict:
    subject = conversation.subject
    return {
        "subject_url": subject.get_absolute_url()
        if subject is not None and hasattr(subject, "get_absolute_url")
        else "",
        # A subject may name itself for its conversation (`conversation_title()`); its str() is
        # often an internal reference, not something to show.
        "subject_label": str(subject.conversation_title())
        if subject is not None and hasattr(subject, "conversation_title")
        else "",
        "conversation": conversation,
        "conversation_messages": list(messages_for(conversation)),
        "form": form,
        "post_url": reverse("messaging:conversation_post", args=[conversation.pk]),
        # Where a browser without JavaScript returns after posting (the embedding page).
        "next_url": _safe_next(request, reverse("messaging:conversation", args=[conversation.pk]))
        if request.method == "POST"
        else request.get_full_path(),
    }


@require_GET
@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_for_user(request.user, pk)
    return render(
        request,
        "messaging/conversation.html",
        _conversation_context(request, conversation, MessageForm()),
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def conversation_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message; answers htmx with the refreshed conversation, browsers with a redirect."""
    conversation = conversation_for_user(request.user, pk)
    form = MessageForm(request.POST)
    form.is_valid()
    try:
        message_post(
            conversation=conversation, author=request.user, body=form.cleaned_data.get("body", "")
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        if _is_htmx_partial(request):
            return render(
                request,
                "messaging/_conversation.html",
                _conversation_context(request, conversation, form),
            )
        if request.POST.get("next"):
            for message in form.errors.get("body", []) + form.non_field_errors():
                flash.error(request, message)
            return redirect(_safe_next(request, reverse("messaging:conversation", args=[pk])))
        return render(
            request,
            "messaging/conversation.html",
            _conversation_context(request, conversation, form),
            status=400,
        )
    if _is_htmx_partial(request):
        return render(
            request,
            "messaging/_conversation.html",
            _conversation_context(request, conversation, MessageForm()),
        )
    flash.success(request, _("Your message is sent."))
    return redirect(_safe_next(request, reverse("messaging:conversation", args=[pk])))
