"""Reads of stories: scoped access, language versions, browse and search, and the stories shown
on theme, country and need pages.

A story and its versions in other languages are one item wherever stories are listed: the
reader sees the version in their language when it is published, otherwise the original (the
first published version), with the other languages named. Search ranks every version (the
multilingual encoder puts them in one space with the query) and keeps the best of each story.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import get_language

from wipomatch.listings.embeddings import embed_query, from_bytes, get_embedder
from wipomatch.listings.models import ui_to_listing_language
from wipomatch.listings.search import search_settings
from wipomatch.listings.search.query import LEXICAL_EMBEDDERS
from wipomatch.matching.engine.lexical import BM25Index
from wipomatch.matching.engine.tokenize import terms as text_terms
from wipomatch.members.models import Membership
from wipomatch.reference.models import VocabularyTerm

from .embeddings import story_text, vectors_of
from .models import Status, Story, StoryImage
from .permissions import can_change_story, can_see_story

TERM_PARAMS = {"theme": VocabularyTerm.Kind.THEME, "ip_area": VocabularyTerm.Kind.IP_AREA}
# Shared thematic areas add this much to the similarity of a story to a need.
THEME_BONUS = 0.1


@dataclass
class StoryFilters:
    q: str = ""
    kind: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    ip_area: list[str] = field(default_factory=list)
    sdg: list[int] = field(default_factory=list)
    country: str = ""
    region: str = ""
    ldc: bool = False
    language: str = ""
    year: int | None = None


@dataclass
class StoryPage:
    items: list[Story]
    total: int
    page: int
    num_pages: int
    page_size: int
    facets: dict
    query: str = ""


def reader_language() -> str:
    return ui_to_listing_language(get_language() or "en")


def story_card_queryset() -> QuerySet[Story]:
    """What a list shows, in a fixed number of queries whatever the number of stories."""
    return Story.objects.select_related("organisation", "organisation__country").prefetch_related(
        Prefetch("terms", queryset=VocabularyTerm.objects.order_by("kind", "position")),
        "countries",
        Prefetch("images", queryset=StoryImage.objects.order_by("position", "id")),
    )


def get_story_for_user(user, pk: int, *, write: bool = False) -> Story:
    """404 for what the user may not see, 403 for what they may see but not change."""
    story = (
        story_card_queryset()
        .select_related("author")
        .prefetch_related("sdg_goals", "organisations_involved", "key_results")
        .filter(pk=pk)
        .first()
    )
    if story is None or not can_see_story(user, story):
        raise Http404
    if write and not can_change_story(user, story):
        raise PermissionDenied
    return story


def get_story_image_for_user(user, pk: int) -> StoryImage:
    image = StoryImage.objects.select_related("story", "story__organisation").filter(pk=pk).first()
    if image is None or not can_see_story(user, image.story):
        raise Http404
    if not can_change_story(user, image.story):
        raise PermissionDenied
    return image


def story_versions(story: Story, user=None) -> list[Story]:
    """Every version of the story the user may see (published ones; all for its authors and
    facilitators), the story itself included, in the order of the languages."""
    qs = Story.objects.filter(group=story.group).only("pk", "language", "title", "status")
    if not (user is not None and can_change_story(user, story)):
        qs = qs.filter(pk__in=Story.objects.public().values("pk"))
    order = {code: i for i, code in enumerate(["ar", "zh", "en", "fr", "ru", "es"])}
    return sorted(qs, key=lambda s: order.get(s.language, 99))


def attach_published_versions(stories: list[Story]) -> None:
    """Set `published_versions` (the other published versions) on each story, in one query."""
    by_group: dict = {}
    for version in (
        Story.objects.public()
        .filter(group__in={s.group for s in stories})
        .only("pk", "group", "language", "title")
    ):
        by_group.setdefault(version.group, []).append(version)
    for story in stories:
        story.published_versions = [v for v in by_group.get(story.group, []) if v.pk != story.pk]


def version_for_reader(story: Story, language: str | None = None) -> Story | None:
    """The published version of the story in the reader's language, if there is one."""
    language = language or reader_language()
    if story.language == language:
        return story
    return Story.objects.public().filter(group=story.group, language=language).first()


def _pick_versions(rows, language: str) -> dict:
    """{group: id} choosing per group the reader's language, else the earliest published."""
    chosen: dict = {}
    for pk, group, lang, published_at in rows:
        best = chosen.get(group)
        if best is None:
            chosen[group] = (pk, lang, published_at)
            continue
        if best[1] == language:
            continue
        if lang == language or (published_at, pk) < (best[2], best[0]):
            chosen[group] = (pk, lang, published_at)
    return {group: value[0] for group, value in chosen.items()}


def _through(name: str):
    return getattr(Story, name).through.objects


def apply_story_filters(qs: QuerySet[Story], f: StoryFilters) -> QuerySet[Story]:
    if f.kind:
        qs = qs.filter(kind__in=f.kind)
    for param, vocab in TERM_PARAMS.items():
        slugs = getattr(f, param)
        if slugs:
            qs = qs.filter(
                pk__in=_through("terms")
                .filter(vocabularyterm__kind=vocab, vocabularyterm__slug__in=slugs)
                .values("story_id")
            )
    if f.sdg:
        qs = qs.filter(
            pk__in=_through("sdg_goals").filter(sdggoal__number__in=f.sdg).values("story_id")
        )
    countries = _through("countries")
    if f.country:
        qs = qs.filter(pk__in=countries.filter(country__iso2=f.country.upper()).values("story_id"))
    if f.region:
        qs = qs.filter(
            pk__in=countries.filter(
                Q(country__region__code=f.region)
                | Q(country__subregion__code=f.region)
                | Q(country__intermediate_region__code=f.region)
            ).values("story_id")
        )
    if f.ldc:
        qs = qs.filter(pk__in=countries.filter(country__ldc=True).values("story_id"))
    if f.language:
        qs = qs.filter(language=f.language)
    if f.year:
        qs = qs.filter(published_at__year=f.year)
    return qs


# Token lists of story texts, keyed by (id, updated_at): search tokenises a story once.
_TERMS_CACHE: OrderedDict = OrderedDict()
_TERMS_CACHE_SIZE = 5000


def _story_terms(pk: int, stamp, text_fn) -> list[str]:
    key = (pk, stamp)
    cached = _TERMS_CACHE.get(key)
    if cached is None:
        cached = text_terms(text_fn())
        _TERMS_CACHE[key] = cached
        while len(_TERMS_CACHE) > _TERMS_CACHE_SIZE:
            _TERMS_CACHE.popitem(last=False)
    return cached


def _relevance(query: str, candidates: list[Story]) -> np.ndarray:
    """Relevance of each candidate as the catalogue's search computes it: weighted cosine of
    the stored multilingual embeddings plus BM25 divided by the best score the query could
    reach (see `listings.search`), on the same absolute scale and threshold."""
    config = search_settings()
    scores = np.zeros(len(candidates), dtype=np.float32)
    embedder = get_embedder()
    if config["semantic_weight"] and embedder.name not in LEXICAL_EMBEDDERS:
        vector = embed_query(query, embedder=embedder)
        for i, story in enumerate(candidates):
            stored = (
                from_bytes(story.embedding, embedder.dim)
                if story.embedding_model == embedder.name
                else None
            )
            if stored is not None:
                norm = float(np.linalg.norm(stored)) or 1.0
                scores[i] += config["semantic_weight"] * float(stored @ vector) / norm
    query_terms = text_terms(query)
    unique = set(query_terms)
    if config["lexical_weight"] and unique:
        index = BM25Index()
        index.build(
            list(range(len(candidates))),
            [_story_terms(s.pk, s.updated_at, lambda s=s: story_text(s)) for s in candidates],
        )
        known = [index.vocab[t] for t in unique if t in index.vocab]
        unknown = len(unique) - len(known)
        best_idf = math.log1p((index.n_docs + 0.5) / 0.5)
        ceiling = float(index.idf(np.asarray(known, dtype=np.int64)).sum()) if known else 0.0
        ceiling = (ceiling + unknown * best_idf) * (index.k1 + 1.0)
        if ceiling > 0:
            scores += (
                config["lexical_weight"] * index.scores(query_terms, len(candidates)) / ceiling
            )
    return scores


def story_search(
    *,
    filters: StoryFilters,
    page: int = 1,
    page_size: int = 12,
    language: str | None = None,
    with_facets: bool = True,
) -> StoryPage:
    """One page of published stories (one item per story, in the reader's language when
    possible) matching the filters and, across languages, the text query."""
    language = language or reader_language()
    query = " ".join((filters.q or "").split())
    qs = apply_story_filters(Story.objects.public(), filters)
    scores: dict = {}
    if query:
        candidates = list(
            qs.only(
                "pk", "group", "language", "published_at", "updated_at", "title", "summary",
                "body", "embedding", "embedding_model",
            )
        )  # fmt: skip
        relevance = _relevance(query, candidates) if candidates else []
        threshold = search_settings()["min_relevance"]
        for story, score in zip(candidates, relevance, strict=True):
            if score >= threshold:
                scores[story.group] = max(scores.get(story.group, 0.0), float(score))
        rows = [
            (s.pk, s.group, s.language, s.published_at) for s in candidates if s.group in scores
        ]
    else:
        rows = list(qs.values_list("pk", "group", "language", "published_at"))
    chosen = _pick_versions(rows, language)
    published = {pk: when for pk, _g, _l, when in rows}
    if query:
        ordered = sorted(chosen.items(), key=lambda item: (-scores[item[0]], -item[1]))
    else:
        ordered = sorted(
            chosen.items(), key=lambda item: (published[item[1]], item[1]), reverse=True
        )
    ids = [pk for _group, pk in ordered]
    total = len(ids)
    num_pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), num_pages)
    page_ids = ids[(page - 1) * page_size : page * page_size]
    items = cards(page_ids, language=language)
    for item in items:
        item.relevance = scores.get(item.group)
    facets = story_facets(ids, language_rows=rows) if with_facets else {}
    return StoryPage(
        items=items,
        total=total,
        page=page,
        num_pages=num_pages,
        page_size=page_size,
        facets=facets,
        query=query,
    )


def cards(ids: list[int], *, language: str | None = None) -> list[Story]:
    """The stories of `ids` in that order, each with `other_languages` (its published versions
    in other languages)."""
    if not ids:
        return []
    by_id = {s.pk: s for s in story_card_queryset().filter(pk__in=ids)}
    items = [by_id[pk] for pk in ids if pk in by_id]
    languages: dict = {}
    for group, lang in (
        Story.objects.public()
        .filter(group__in={s.group for s in items})
        .values_list("group", "language")
    ):
        languages.setdefault(group, []).append(lang)
    for item in items:
        item.other_languages = sorted(set(languages.get(item.group, [])) - {item.language})
    return items


def story_facets(ids: list[int], *, language_rows=()) -> dict:
    """Counts over the listed stories: kind, themes, IP areas, SDGs, countries, LDC, year, and
    the languages the matching versions are written in."""
    facets: dict = {"kind": {}, "themes": {}, "ip_areas": {}, "sdg": {}, "country": {}, "year": {}}
    if ids:
        qs = Story.objects.filter(pk__in=ids)
        facets["kind"] = dict(qs.values_list("kind").annotate(n=Count("pk")).order_by())
        for row in (
            _through("terms")
            .filter(story_id__in=ids)
            .values("vocabularyterm__kind", "vocabularyterm__slug")
            .annotate(n=Count("story_id"))
            .order_by()
        ):
            facets.setdefault(row["vocabularyterm__kind"], {})[row["vocabularyterm__slug"]] = row[
                "n"
            ]
        facets["sdg"] = dict(
            _through("sdg_goals")
            .filter(story_id__in=ids)
            .values_list("sdggoal__number")
            .annotate(n=Count("story_id"))
            .order_by()
        )
        facets["country"] = dict(
            _through("countries")
            .filter(story_id__in=ids)
            .values_list("country__iso2")
            .annotate(n=Count("story_id"))
            .order_by()
        )
        facets["ldc"] = (
            _through("countries")
            .filter(story_id__in=ids, country__ldc=True)
            .values("story_id")
            .distinct()
            .count()
        )
        facets["year"] = dict(
            qs.annotate(y=ExtractYear("published_at"))
            .values_list("y")
            .annotate(n=Count("pk"))
            .order_by()
        )
    language_counts: dict = {}
    for _pk, _group, lang, _when in language_rows:
        language_counts[lang] = language_counts.get(lang, 0) + 1
    facets["language"] = language_counts
    return facets


def _published_items(qs: QuerySet[Story], limit: int) -> list[Story]:
    rows = list(qs.values_list("pk", "group", "language", "published_at"))
    chosen = _pick_versions(rows, reader_language())
    published = {pk: when for pk, _g, _l, when in rows}
    ids = sorted(chosen.values(), key=lambda pk: (published[pk], pk), reverse=True)[:limit]
    return cards(ids)


def stories_published_between(start, end, *, limit: int = 6) -> list[Story]:
    """Published stories whose version was published in [start, end), newest first, one item
    per story in the reader's language when that version is among them (the report's
    "Selected stories")."""
    return _published_items(
        Story.objects.public().filter(published_at__gte=start, published_at__lt=end), limit
    )


def stories_for_theme(slug: str, *, limit: int = 6) -> list[Story]:
    return _published_items(
        apply_story_filters(Story.objects.public(), StoryFilters(theme=[slug])), limit
    )


def stories_for_country(iso2: str, *, limit: int = 6) -> list[Story]:
    return _published_items(
        apply_story_filters(Story.objects.public(), StoryFilters(country=iso2)), limit
    )


def stories_related_to_listing(listing, *, limit: int = 3) -> list[Story]:
    """Published stories nearest to a need or an offer: cosine of the stored multilingual
    embeddings (the matching engine's semantic signal; the listing and the stories are
    embedded by the same encoder) plus a bonus for each shared thematic area."""
    embedder = get_embedder()
    vector = None
    if listing.embedding_model == embedder.name:
        vector = from_bytes(listing.embedding, embedder.dim)
    if vector is None:
        return []
    norm = float(np.linalg.norm(vector)) or 1.0
    vector = vector / norm
    rows = list(
        Story.objects.public()
        .filter(embedding_model=embedder.name)
        .values_list("pk", "group", "language", "published_at", "embedding")
    )
    ids, matrix = vectors_of([(r[0], r[4]) for r in rows], embedder.dim)
    if not ids:
        return []
    cosine = matrix @ vector
    listing_themes = set(listing.themes)
    story_themes: dict = {}
    for story_id, slug in (
        _through("terms")
        .filter(story_id__in=ids, vocabularyterm__kind=VocabularyTerm.Kind.THEME)
        .values_list("story_id", "vocabularyterm__slug")
    ):
        story_themes.setdefault(story_id, set()).add(slug)
    threshold = search_settings()["min_relevance"]
    by_id = {r[0]: r for r in rows}
    group_score: dict = {}
    for pk, score in zip(ids, cosine.tolist(), strict=True):
        shared = len(listing_themes & story_themes.get(pk, set()))
        total = score + THEME_BONUS * shared
        if total < threshold:
            continue
        group = by_id[pk][1]
        group_score[group] = max(group_score.get(group, -1.0), total)
    chosen = _pick_versions(
        [by_id[pk][:4] for pk in ids if by_id[pk][1] in group_score], reader_language()
    )
    ordered = sorted(chosen.items(), key=lambda item: -group_score[item[0]])[:limit]
    items = cards([pk for _g, pk in ordered])
    for item in items:
        item.relevance = group_score[item.group]
    return items


def linkable_initiatives(organisation):
    """Published initiatives a story of `organisation` may name: those it is responsible for
    or a party to."""
    from wipomatch.cooperation.models import Initiative

    return (
        Initiative.objects.public()
        .filter(Q(organisation=organisation) | Q(parties__organisation=organisation))
        .distinct()
        .order_by("title")
    )


def party_cases(user, organisation):
    """The brokering cases the user may see (scoped by `cases_for_user`) to which
    `organisation` is a party."""
    from wipomatch.brokering.selectors import cases_for_user

    return cases_for_user(user).filter(
        Q(requesting_organisation=organisation) | Q(receiving_organisation=organisation)
    )


def linkable_cases(user, organisation):
    """Brokering cases a story of `organisation` may name: its cases that ended in an
    agreement, among those the user may see."""
    from wipomatch.brokering.models import CaseState

    return party_cases(user, organisation).filter(state=CaseState.AGREEMENT).order_by("-pk")


def visible_story_cases(user, story: Story) -> list:
    """The cases linked to the story that this user may see (none for anonymous visitors)."""
    from wipomatch.brokering.selectors import cases_for_user

    return list(cases_for_user(user).filter(stories=story).order_by("pk"))


def stories_for_initiative(initiative, *, limit: int = 6) -> list[Story]:
    return _published_items(Story.objects.public().filter(initiatives=initiative), limit)


def open_contact_request(user, story: Story):
    """The open request of the user's organisation to the team behind the story, if any."""
    from django.contrib.contenttypes.models import ContentType

    from wipomatch.brokering.models import CaseKind, MatchCase
    from wipomatch.brokering.permissions import user_organisation_ids

    org_ids = user_organisation_ids(user)
    if not org_ids:
        return None
    return (
        MatchCase.objects.open()
        .filter(
            kind=CaseKind.CONTACT,
            requesting_organisation_id__in=org_ids,
            subject_content_type=ContentType.objects.get_for_model(Story),
            subject_object_id=str(story.pk),
        )
        .first()
    )


def stories_of_user(user) -> QuerySet[Story]:
    """The stories of the user's organisation(s), every status."""
    if not getattr(user, "is_authenticated", False):
        return Story.objects.none()
    orgs = Membership.objects.filter(user=user).values("organisation")
    return story_card_queryset().filter(organisation__in=orgs).order_by("-updated_at", "-id")


def stories_for_review() -> QuerySet[Story]:
    return story_card_queryset().filter(status=Status.SUBMITTED).order_by("submitted_at", "id")
