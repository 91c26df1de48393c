"""Listings get a stored multilingual embedding when they are created or edited, in the
background, without re-sending `listing_changed`."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from wipomatch.matching.engine.embedding import HashingEmbedder, USEEmbedder

from .. import services
from ..embeddings import (
    embed_query,
    from_bytes,
    get_embedder,
    listing_embed,
    listing_text,
    text_of,
)
from ..models import Listing
from ..signals import listing_changed
from ..tasks import embed_listing
from .factories import NeedFactory, OfferFactory, listing_data, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashing(settings):
    settings.LISTING_EMBEDDER = "hashing"
    return get_embedder("hashing")


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what services defer to after the commit (listing_changed and its receivers)."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def stored_vector(listing: Listing, dim: int) -> np.ndarray | None:
    listing.refresh_from_db()
    return from_bytes(listing.embedding, dim)


def test_creating_a_listing_stores_the_embedding_of_its_text(hashing, after_commit):
    need = after_commit(NeedFactory)

    vector = stored_vector(need, hashing.dim)
    assert need.embedding_model == "hashing"
    assert vector is not None and vector.dtype == np.float32
    expected = hashing.encode([text_of(need)])[0]
    assert np.allclose(vector, expected)


def test_editing_a_listing_recomputes_its_embedding(hashing, after_commit):
    need = after_commit(NeedFactory)
    before = stored_vector(need, hashing.dim)

    data = listing_data(
        title="Digitising the trademark register",
        summary="The office wants to scan and index its paper trademark files.",
        description="Forty thousand paper files need scanning, indexing and an online search.",
        themes=["ip-management"],
        ip_areas=["trademarks"],
        assistance_types=["it-infrastructure"],
    )
    after_commit(lambda: services.listing_update(user=need.created_by, listing=need, data=data))

    after = stored_vector(need, hashing.dim)
    assert not np.allclose(before, after)
    assert np.allclose(after, hashing.encode([text_of(need)])[0])


def test_the_embedding_task_does_not_announce_a_change_again(hashing, after_commit):
    need = after_commit(NeedFactory)
    sent = []

    def spy(sender, **kwargs):
        sent.append(kwargs)

    listing_changed.connect(spy)
    try:
        result = embed_listing.enqueue(listing_id=need.pk)
    finally:
        listing_changed.disconnect(spy)

    assert result.return_value is True
    assert sent == []


def test_embedding_is_idempotent(hashing, after_commit):
    need = after_commit(NeedFactory)
    first = bytes(Listing.objects.get(pk=need.pk).embedding)

    assert listing_embed(listing_id=need.pk) is True
    assert bytes(Listing.objects.get(pk=need.pk).embedding) == first
    # a lifecycle change only fills a missing vector: nothing to do here
    assert listing_embed(listing_id=need.pk, only_missing=True) is False


def test_a_lifecycle_change_fills_a_missing_embedding(hashing, after_commit):
    need = after_commit(NeedFactory)
    Listing.objects.filter(pk=need.pk).update(embedding=None, embedding_model="")

    after_commit(lambda: services.listing_submit(user=need.created_by, listing=need))

    assert stored_vector(need, hashing.dim) is not None
    assert need.embedding_model == "hashing"


def test_publication_keeps_the_vector(hashing, after_commit):
    offer = after_commit(OfferFactory)
    vector = stored_vector(offer, hashing.dim)

    after_commit(lambda: publish(offer))

    assert np.allclose(stored_vector(offer, hashing.dim), vector)


def test_a_new_vector_moves_updated_at_so_that_search_caches_notice_it(hashing, after_commit):
    offer = after_commit(OfferFactory)
    before = Listing.objects.get(pk=offer.pk).updated_at

    listing_embed(listing_id=offer.pk)

    assert Listing.objects.get(pk=offer.pk).updated_at > before


def test_embedding_a_missing_listing_does_nothing(hashing):
    assert listing_embed(listing_id=987654) is False


def test_text_of_a_listing_includes_its_translations():
    text = listing_text(
        "Patent training",
        "A course for examiners",
        "Twelve weeks online.",
        {"fr": {"title": "Formation en brevets", "summary": "Un cours pour examinateurs"}},
    )
    assert text == (
        "Patent training. A course for examiners. Twelve weeks online. "
        "Formation en brevets. Un cours pour examinateurs"
    )


def test_embed_listings_command_fills_the_missing_embeddings(hashing, after_commit):
    needs = [after_commit(NeedFactory) for _ in range(3)]
    Listing.objects.filter(pk__in=[n.pk for n in needs[:2]]).update(embedding=None)

    out, err = StringIO(), StringIO()
    call_command("embed_listings", embedder="hashing", stdout=out, stderr=err)

    assert "Embedded 2 listings with hashing" in out.getvalue()
    assert "2/2" in err.getvalue()  # the progress bar
    for need in needs:
        assert stored_vector(need, hashing.dim) is not None


def test_embed_listings_all_recomputes_every_embedding(hashing, after_commit):
    after_commit(NeedFactory)
    after_commit(OfferFactory)
    out = StringIO()
    call_command("embed_listings", "--all", embedder="hashing", stdout=out, verbosity=0)
    assert "Embedded 2 listings" in out.getvalue()


def test_the_embedder_is_created_once_per_process(settings):
    settings.LISTING_EMBEDDER = "use"
    first = get_embedder()
    assert isinstance(first, USEEmbedder)
    assert get_embedder() is first
    assert isinstance(get_embedder("hashing"), HashingEmbedder)


def test_an_unknown_embedder_setting_fails_loudly(settings):
    settings.LISTING_EMBEDDER = "word2vec"
    with pytest.raises(ValueError, match="LISTING_EMBEDDER"):
        get_embedder()


def test_query_embeddings_are_reused(hashing):
    first = embed_query("patent  examination", embedder=hashing)
    again = embed_query("patent examination", embedder=hashing)
    assert first is again
    assert not first.flags.writeable


def test_the_multilingual_model_places_translations_close_together(settings, after_commit):
    """The real USE model (loaded once per test process, a few seconds)."""
    settings.LISTING_EMBEDDER = "use"
    offer = after_commit(
        lambda: OfferFactory(
            language="fr",
            title="Formation à l'examen des brevets pharmaceutiques",
            summary="Un cours en ligne de douze semaines pour les examinateurs de brevets.",
            description="Recherche d'antériorités, nouveauté et activité inventive, avec des "
            "cas pratiques dans le domaine pharmaceutique.",
        )
    )
    model = get_embedder()
    vector = stored_vector(offer, model.dim)

    assert offer.embedding_model == model.name == "use-multilingual-v3"
    english = model.encode(["Training course for pharmaceutical patent examiners"])[0]
    unrelated = model.encode(["Collective management of music royalties"])[0]
    assert float(vector @ english) > float(vector @ unrelated) + 0.1
