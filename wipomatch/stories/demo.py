"""Demo stories for `manage.py seed_demo_stories` (called at the end of `seed_demo`).

The texts are in `demo_data/<language>.json`, each written in that language, by demo
organisations of the demo organisations (`wipomatch/members/demo_data/organisations.yml`) (key `org`), with their facets, key
results, organisations involved (`involved`, keys), an optional `version_of` (the `key` of the
story this one is a language version of), the titles of the demo initiatives it comes from
(`initiatives`: linked when cooperation's demo made them and the organisation took part) and an
optional illustration (`image`: a `kind` drawn by `illustration` below, its text alternative
and caption). Pictures are drawn here with Pillow, never downloaded (see demo_data/NOTICE.md).

Every story goes through the services as a member's would: written by the organisation's focal
point, pictures added, submitted and published by the demo facilitator; then its dates and audit
events are moved back by `age_days` so that the list, the year facet and the feeds look lived
in. E-mails are dropped (demo addresses). Idempotent: a story exists when its organisation
already has one with the same title.
"""

from __future__ import annotations

import io
import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from wipomatch.core.demo import background_work_held_back
from wipomatch.core.models import AuditEvent
from wipomatch.members.demo import FACILITATOR_EMAIL, load_demo_data
from wipomatch.members.models import Membership, Organisation, User

from . import services
from .models import Status, Story
from .selectors import linkable_initiatives
from .services import KeyResultData, StoryData

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


class DemoPrerequisiteMissing(Exception):
    """The demo organisations or the demo facilitator are missing: run seed_demo first."""


@dataclass
class StorySeedReport:
    created: int = 0
    skipped: int = 0
    published: int = 0


def load_demo_stories(data_dir: Path = DATA_DIR) -> list[dict]:
    items = []
    for language in LANGUAGES:
        for item in json.loads((data_dir / f"{language}.json").read_text(encoding="utf-8")):
            items.append({**item, "language": language})
    # Originals before their language versions.
    return sorted(items, key=lambda item: bool(item.get("version_of")))


def _data(item: dict, org_ids: dict[str, int], initiative_ids: list[int]) -> StoryData:
    return StoryData(
        kind=item["kind"],
        title=item["title"],
        summary=item["summary"],
        body=item["body"],
        language=item["language"],
        themes=item["themes"],
        ip_areas=item.get("ip_areas", []),
        sdg_goals=item.get("sdg", []),
        countries=item["countries"],
        organisations_involved=[org_ids[key] for key in item.get("involved", []) if key in org_ids],
        initiatives=initiative_ids,
        key_results=[
            KeyResultData(figure=figure, unit=unit, label=label)
            for figure, unit, label in item.get("results", [])
        ],
    )


PALETTES = {
    "coffee": ((46, 125, 50), (121, 85, 72), (198, 40, 40)),
    "bars": ((227, 242, 253), (25, 118, 210), (13, 71, 161)),
    "film": ((255, 243, 224), (230, 81, 0), (62, 39, 35)),
    "waves": ((255, 249, 196), (2, 136, 209), (1, 87, 155)),
    "music": ((255, 224, 178), (106, 27, 154), (239, 108, 0)),
    "leaf": ((241, 248, 233), (56, 142, 60), (109, 76, 65)),
    "pattern": ((255, 152, 0), (33, 33, 33), (255, 224, 178)),
    "fields": ((129, 212, 250), (251, 192, 45), (198, 40, 40)),
    "water": ((232, 245, 233), (30, 136, 229), (67, 160, 71)),
    "sun": ((179, 229, 252), (253, 216, 53), (56, 142, 60)),
}


def illustration(kind: str, seed: int = 0, size: tuple[int, int] = (960, 540)) -> bytes:
    """A simple PNG drawn by code: shapes in the palette of `kind` (deterministic per seed)."""
    background, main, accent = PALETTES.get(kind, PALETTES["leaf"])
    width, height = size
    rng = random.Random(f"{kind}-{seed}")
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    if kind in ("coffee", "leaf", "sun", "fields"):
        draw.polygon([(0, height), (width * 0.45, height * 0.25), (width, height)], fill=main)
        if kind == "sun":
            draw.ellipse((width * 0.7, 40, width * 0.7 + 140, 180), fill=main)
            draw.rectangle((0, height * 0.75, width, height), fill=accent)
        for _ in range(14 if kind != "sun" else 0):
            x, y = rng.randint(80, width - 80), rng.randint(int(height * 0.45), height - 40)
            r = rng.randint(14, 30)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=accent)
    elif kind == "bars":
        for i in range(8):
            bar = (i + 1) * height / 10
            x = 80 + i * 105
            draw.rectangle(
                (x, height - 40 - bar, x + 70, height - 40), fill=main if i % 2 else accent
            )
    elif kind in ("waves", "water"):
        for row in range(6):
            points = [
                (x, height * 0.35 + row * 45 + 18 * math.sin(x / 60 + row))
                for x in range(0, width + 20, 20)
            ]
            draw.line(points, fill=main if row % 2 else accent, width=10)
        if kind == "waves":
            draw.ellipse((width - 200, 40, width - 80, 160), fill=(253, 216, 53))
    elif kind == "film":
        draw.rectangle((0, height * 0.3, width, height * 0.7), fill=accent)
        for x in range(20, width, 120):
            draw.rectangle((x, height * 0.36, x + 90, height * 0.64), fill=main)
    elif kind == "music":
        for i in range(5):
            draw.rectangle((0, 120 + i * 60, width, 126 + i * 60), fill=main)
        for _ in range(9):
            x, y = rng.randint(60, width - 60), rng.randint(130, 380)
            draw.ellipse((x - 22, y - 16, x + 22, y + 16), fill=accent)
            draw.rectangle((x + 16, y - 90, x + 22, y), fill=accent)
    else:  # pattern
        for x in range(0, width, 80):
            for y in range(0, height, 80):
                draw.polygon(
                    [(x + 40, y + 5), (x + 75, y + 40), (x + 40, y + 75), (x + 5, y + 40)],
                    fill=main,
                )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _people() -> tuple[dict[str, tuple[Organisation, User]], User | None]:
    key_of = {org.email: org.key for org in load_demo_data().organisations}
    people = {}
    for membership in Membership.objects.filter(
        user__email__in=list(key_of),
        role=Membership.Role.FOCAL_POINT,
        organisation__status=Organisation.Status.APPROVED,
    ).select_related("organisation", "user"):
        people[key_of[membership.user.email]] = (membership.organisation, membership.user)
    return people, User.objects.filter(email=FACILITATOR_EMAIL).first()


def seed_demo_stories(
    *, log: Callable[[str], None] = lambda message: None, items: list[dict] | None = None
) -> StorySeedReport:
    """Create the demo stories that are missing; call it outside a transaction."""
    items = load_demo_stories() if items is None else items
    people, facilitator = _people()
    missing = sorted({item["org"] for item in items} - set(people))
    if facilitator is None or missing:
        raise DemoPrerequisiteMissing(
            "The demo organisations are missing"
            + (f" ({', '.join(missing[:5])})" if missing else "")
            + ". Run `manage.py seed_demo` first."
        )
    org_ids = {key: org.pk for key, (org, _user) in people.items()}
    report = StorySeedReport()
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Story)
    by_key: dict[str, Story] = {}
    with background_work_held_back():
        for number, item in enumerate(items):
            organisation, author = people[item["org"]]
            existing = Story.objects.filter(organisation=organisation, title=item["title"]).first()
            if existing is not None:
                by_key[item["key"]] = existing
                report.skipped += 1
                continue
            with transaction.atomic():
                # The demo initiatives (cooperation's demo) the story names, when they are
                # there and the organisation took part in them.
                initiative_ids = list(
                    linkable_initiatives(organisation)
                    .filter(title__in=item.get("initiatives", []))
                    .values_list("pk", flat=True)
                )
                story = services.story_create(
                    user=author,
                    organisation=organisation,
                    data=_data(item, org_ids, initiative_ids),
                    version_of=by_key.get(item.get("version_of", "")),
                )
                picture = item.get("image")
                if picture:
                    services.story_image_add(
                        user=author,
                        story=story,
                        upload=SimpleUploadedFile(
                            f"{item['key']}.png", illustration(picture["kind"], seed=number)
                        ),
                        alt_text=picture["alt"],
                        caption=picture.get("caption", ""),
                    )
                services.story_submit(user=author, story=story)
                if item.get("status", "published") == "published":
                    services.story_publish(facilitator=facilitator, story=story)
                    report.published += 1
                _backdate(story, int(item.get("age_days", 10)), now=now, content_type=content_type)
            by_key[item["key"]] = story
            report.created += 1
    log(
        f"  Stories: {report.created} created ({report.published} published), {report.skipped} already there."
    )
    return report


def _backdate(story: Story, age_days: int, *, now, content_type) -> None:
    published = now - timedelta(days=age_days)
    submitted = published - timedelta(days=1, hours=4)
    created = submitted - timedelta(days=2, hours=2)
    fields = {"created_at": created, "submitted_at": submitted}
    if story.status == Status.PUBLISHED:
        fields["published_at"] = published
    Story.objects.filter(pk=story.pk).update(**fields)
    events = AuditEvent.objects.filter(content_type=content_type, object_id=str(story.pk))
    for action, moment in (
        ("created", created),
        ("image_added", created + timedelta(hours=1)),
        ("submitted", submitted),
        ("published", published),
    ):
        events.filter(action=action).update(created_at=moment)
