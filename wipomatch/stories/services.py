"""Writes for stories: writing, language versions, images and the editorial workflow.

draft → submitted → published (a facilitator reviews it); the facilitator may instead ask for
changes (with a comment) or reject. Every change is audited with structured data, the people
concerned are e-mailed after commit (in their language), and the multilingual embedding of a
story is recomputed in the background after its text changes.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wipomatch.core.audit import audit_record
from wipomatch.core.mail import email_after_commit
from wipomatch.core.permissions import require_facilitator
from wipomatch.core.text import clean_plain_text
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.permissions import STANDING_REFUSAL, organisation_in_good_standing
from wipomatch.members.selectors import facilitator_contacts, focal_point_emails
from wipomatch.reference.models import Country, SdgGoal, VocabularyTerm

from .images import clean_image
from .models import STORY_LANGUAGES, KeyResult, Kind, Status, Story, StoryImage
from .permissions import is_story_author, story_allowed_actions
from .rendering import has_dangerous_scheme
from .selectors import linkable_cases, linkable_initiatives, party_cases

MAX_KEY_RESULTS = 8
MAX_IMAGES = 8
MAX_THEMES = 3


@dataclass
class KeyResultData:
    figure: str | Decimal | int | float
    label: str
    unit: str = ""


@dataclass
class StoryData:
    kind: str
    title: str
    summary: str
    body: str
    language: str
    themes: list[str] = field(default_factory=list)
    ip_areas: list[str] = field(default_factory=list)
    sdg_goals: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO alpha-2
    organisations_involved: list[int] = field(default_factory=list)
    initiatives: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    key_results: list[KeyResultData] = field(default_factory=list)


@dataclass
class _Clean:
    values: dict
    terms: list
    sdg_goals: list
    countries: list
    organisations: list
    initiatives: list
    cases: list
    key_results: list


def _terms(kind: str, slugs: list[str], field_name: str) -> list[VocabularyTerm]:
    slugs = list(dict.fromkeys(slugs or []))
    found = list(VocabularyTerm.objects.filter(kind=kind, slug__in=slugs, active=True))
    if len(found) != len(slugs):
        raise ValidationError({field_name: _("Choose terms from the list.")})
    return found


def _validate(data: StoryData, *, owner: Organisation, user) -> _Clean:
    errors: dict[str, list[str]] = {}
    title = clean_plain_text(data.title)[:200]
    summary = clean_plain_text(data.summary)[:500]
    body = (data.body or "").replace("\r\n", "\n").strip()
    if data.kind not in Kind.values:
        errors["kind"] = [_("Choose a success story, a best practice or a lesson learned.")]
    if len(title) < 5:
        errors["title"] = [_("Give the story a title (at least 5 characters).")]
    if len(summary) < 20:
        errors["summary"] = [_("Summarise the story in one or two sentences.")]
    if len(body) < 100:
        errors["body"] = [_("Tell the story in at least 100 characters.")]
    elif len(body) > 20000:
        errors["body"] = [_("The story is too long: at most 20,000 characters.")]
    if data.language not in dict(STORY_LANGUAGES):
        errors["language"] = [_("Choose the language the story is written in.")]
    try:
        themes = _terms(VocabularyTerm.Kind.THEME, data.themes, "themes")
        if not themes:
            errors["themes"] = [_("Choose at least one thematic area.")]
        elif len(themes) > MAX_THEMES:
            errors["themes"] = [_("Choose at most three thematic areas.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
        themes = []
    try:
        ip_areas = _terms(VocabularyTerm.Kind.IP_AREA, data.ip_areas, "ip_areas")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        ip_areas = []
    goals = list(SdgGoal.objects.filter(number__in=set(data.sdg_goals or [])))
    if len(goals) != len(set(data.sdg_goals or [])):
        errors["sdg_goals"] = [_("Choose goals from the list.")]
    codes = {c.upper() for c in data.countries or []}
    countries = list(Country.objects.filter(iso2__in=codes))
    if len(countries) != len(codes):
        errors["countries"] = [_("Choose countries from the list.")]
    elif not countries:
        errors["countries"] = [_("Say in which country or countries this happened.")]
    ids = set(data.organisations_involved or []) - {owner.pk}
    organisations = list(Organisation.objects.approved().filter(pk__in=ids))
    if len(organisations) != len(ids):
        errors["organisations_involved"] = [_("Choose member organisations from the list.")]
    wanted = set(data.initiatives or [])
    initiatives = list(linkable_initiatives(owner).filter(pk__in=wanted))
    if len(initiatives) != len(wanted):
        errors["initiatives"] = [
            _("Choose published initiatives in which your organisation took part.")
        ]
    wanted_cases = set(data.cases or [])
    cases = list(linkable_cases(user, owner).filter(pk__in=wanted_cases))
    if len(cases) != len(wanted_cases):
        if party_cases(user, owner).filter(pk__in=wanted_cases).count() != len(wanted_cases):
            errors["cases"] = [_("Choose brokering cases your organisation is a party to.")]
        else:
            errors["cases"] = [_("Choose brokering cases that ended in an agreement.")]
    results = []
    for index, item in enumerate((data.key_results or [])[: MAX_KEY_RESULTS + 1]):
        label = clean_plain_text(item.label)[:200]
        unit = clean_plain_text(item.unit)[:40]
        try:
            figure = Decimal(str(item.figure).replace(",", "").strip())
            if not figure.is_finite() or abs(figure) >= Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.setdefault("key_results", []).append(
                _("Key result %(n)d: the figure must be a number.") % {"n": index + 1}
            )
            continue
        if not label:
            errors.setdefault("key_results", []).append(
                _("Key result %(n)d: say what the figure measures.") % {"n": index + 1}
            )
            continue
        results.append(
            KeyResult(
                figure=figure.quantize(Decimal("0.01")), unit=unit, label=label, position=index
            )
        )
    if len(data.key_results or []) > MAX_KEY_RESULTS:
        errors.setdefault("key_results", []).append(_("At most eight key results."))
    if errors:
        raise ValidationError(errors)
    return _Clean(
        values={
            "kind": data.kind,
            "title": title,
            "summary": summary,
            "body": body,
            "language": data.language,
        },
        terms=themes + ip_areas,
        sdg_goals=goals,
        countries=countries,
        organisations=organisations,
        initiatives=initiatives,
        cases=cases,
        key_results=results,
    )


def _store(story: Story, clean: _Clean) -> None:
    for name, value in clean.values.items():
        setattr(story, name, value)
    story.full_clean(exclude=["organisation", "author", "group"], validate_constraints=False)
    story.save()
    story.terms.set(clean.terms)
    story.sdg_goals.set(clean.sdg_goals)
    story.countries.set(clean.countries)
    story.organisations_involved.set(clean.organisations)
    story.initiatives.set(clean.initiatives)
    story.cases.set(clean.cases)
    story.key_results.all().delete()
    for result in clean.key_results:
        result.story = story
    KeyResult.objects.bulk_create(clean.key_results)
    _embed_after_commit(story)


def _embed_after_commit(story: Story) -> None:
    story_id = story.pk

    def _enqueue():
        from .tasks import embed_story

        embed_story.enqueue(story_id=story_id)

    transaction.on_commit(_enqueue)


def _require(user, story: Story, action: str) -> None:
    if action not in story_allowed_actions(user, story):
        if not (getattr(user, "is_facilitator", False) or is_story_author(user, story)):
            raise PermissionDenied
        if not organisation_in_good_standing(story.organisation):
            raise PermissionDenied(STANDING_REFUSAL)
        raise ValidationError(_("This action is not possible in the story's current state."))


def _language_taken(group, language: str, *, exclude: int | None = None) -> bool:
    qs = Story.objects.filter(group=group, language=language)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def story_create(
    *,
    user,
    organisation: Organisation,
    data: StoryData,
    version_of: Story | None = None,
    submit: bool = False,
) -> Story:
    """A draft story of the user's organisation; `version_of` makes it a language version of
    another story (same group, another language)."""
    if (
        not organisation.is_approved
        or not Membership.objects.filter(user=user, organisation=organisation).exists()
    ):
        raise PermissionDenied
    clean = _validate(data, owner=organisation, user=user)
    story = Story(organisation=organisation, author=user)
    if version_of is not None:
        if "add_version" not in story_allowed_actions(user, version_of):
            raise PermissionDenied
        if version_of.organisation_id != organisation.pk:
            raise PermissionDenied
        if _language_taken(version_of.group, clean.values["language"]):
            raise ValidationError(
                {"language": _("This story already has a version in this language.")}
            )
        story.group = version_of.group
    _store(story, clean)
    audit_record(
        target=story,
        actor=user,
        action="created",
        to_state=story.status,
        data={"language": story.language, "version_of": version_of.pk if version_of else None},
    )
    if submit:
        story_submit(user=user, story=story)
    return story


@transaction.atomic
def story_update(*, user, story: Story, data: StoryData) -> Story:
    """Edit the text and facets. A published story stays published; the edit is audited."""
    _require(user, story, "edit")
    clean = _validate(data, owner=story.organisation, user=user)
    if clean.values["language"] != story.language and _language_taken(
        story.group, clean.values["language"], exclude=story.pk
    ):
        raise ValidationError({"language": _("This story already has a version in this language.")})
    changed = [name for name, value in clean.values.items() if getattr(story, name) != value]
    _store(story, clean)
    audit_record(
        target=story, actor=user, action="edited", to_state=story.status, data={"fields": changed}
    )
    return story


def _transition(story: Story, *, actor, to: str, action: str, reason: str = "", fields=()):
    previous = story.status
    story.status = to
    story.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        target=story,
        actor=actor,
        action=action,
        from_state=previous,
        to_state=to,
        reason=reason,
        data={"language": story.language},
    )


def _email_authors(story: Story, template: str, **extra) -> None:
    context = {
        "title": story.title,
        "url": reverse("stories:detail", args=[story.pk]),
        **extra,
    }
    recipients = dict(focal_point_emails(story.organisation))
    if story.author_id and story.author.email:
        recipients.setdefault(story.author.email, story.author.preferred_language)
    for address, language in recipients.items():
        email_after_commit(
            template=f"stories/{template}", to=[address], language=language, context=context
        )


@transaction.atomic
def story_submit(*, user, story: Story) -> None:
    _require(user, story, "submit")
    story.submitted_at = timezone.now()
    _transition(story, actor=user, to=Status.SUBMITTED, action="submitted", fields=["submitted_at"])
    for address, language in facilitator_contacts():
        email_after_commit(
            template="stories/story_to_review",
            to=[address],
            language=language,
            context={
                "title": story.title,
                "organisation": story.organisation.name,
                "url": reverse("stories:review_queue"),
            },
        )


@transaction.atomic
def story_publish(*, facilitator, story: Story, comment: str = "") -> None:
    require_facilitator(facilitator)
    _require(facilitator, story, "publish")
    if not story.organisation.is_approved:
        raise ValidationError(_("The organisation is not an approved member."))
    if story.images.filter(alt_text="").exists():
        raise ValidationError(_("Every picture needs a text alternative."))
    story.published_at = story.published_at or timezone.now()
    story.review_comment = clean_plain_text(comment)
    _transition(
        story,
        actor=facilitator,
        to=Status.PUBLISHED,
        action="published",
        reason=story.review_comment,
        fields=["published_at", "review_comment"],
    )
    _email_authors(story, "story_published")


@transaction.atomic
def story_request_changes(*, facilitator, story: Story, comment: str) -> None:
    require_facilitator(facilitator)
    comment = clean_plain_text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    _require(facilitator, story, "request_changes")
    story.review_comment = comment
    _transition(
        story,
        actor=facilitator,
        to=Status.CHANGES_REQUESTED,
        action="changes_requested",
        reason=comment,
        fields=["review_comment"],
    )
    _email_authors(story, "story_changes_requested", comment=comment)


@transaction.atomic
def story_reject(*, facilitator, story: Story, reason: str) -> None:
    require_facilitator(facilitator)
    reason = clean_plain_text(reason)
    if not reason:
        raise ValidationError({"comment": _("Give the reason for rejecting the story.")})
    _require(facilitator, story, "reject")
    story.review_comment = reason
    _transition(
        story,
        actor=facilitator,
        to=Status.REJECTED,
        action="rejected",
        reason=reason,
        fields=["review_comment"],
    )
    _email_authors(story, "story_rejected", reason=reason)


def clean_alt_text(value: str) -> str:
    alt = clean_plain_text(value)[:300]
    if not alt:
        raise ValidationError({"alt_text": _("Describe the picture for people who cannot see it.")})
    if has_dangerous_scheme(alt):
        raise ValidationError(
            {"alt_text": _("A text alternative describes the picture; it cannot contain a link.")}
        )
    return alt


@transaction.atomic
def story_image_add(*, user, story: Story, upload, alt_text: str, caption: str = "") -> StoryImage:
    """Check, re-encode (metadata stripped) and attach a picture; the text alternative is
    required."""
    _require(user, story, "manage_images")
    alt = clean_alt_text(alt_text)
    caption = clean_plain_text(caption)[:300]
    if has_dangerous_scheme(caption):
        raise ValidationError({"caption": _("A caption cannot contain a link.")})
    if story.images.count() >= MAX_IMAGES:
        raise ValidationError(_("A story can have at most eight pictures."))
    try:
        clean = clean_image(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    position = story.images.count()
    image = StoryImage(story=story, alt_text=alt, caption=caption, position=position)
    image.file.save(clean.content.name, clean.content, save=False)
    image.save()
    audit_record(
        target=story,
        actor=user,
        action="image_added",
        to_state=story.status,
        data={"image": image.pk, "width": image.width, "height": image.height},
    )
    return image


@transaction.atomic
def story_image_remove(*, user, image: StoryImage) -> None:
    story = image.story
    _require(user, story, "manage_images")
    pk = image.pk
    name = image.file.name
    storage = image.file.storage
    image.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        target=story, actor=user, action="image_removed", to_state=story.status, data={"image": pk}
    )


def story_contact_team(*, user, story: Story, message: str):
    """Ask the organisation behind a published story to get in touch. Brokering's contact
    request: the team is told and answers; contact details are shared only if it accepts, and
    a conversation opens then. Returns the case."""
    from wipomatch.brokering.services import contact_request_create

    if "contact" not in story_allowed_actions(user, story):
        raise PermissionDenied
    return contact_request_create(
        user=user, organisation=story.organisation, subject=story, message=message
    )
