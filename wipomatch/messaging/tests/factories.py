"""Factories for conversations and notifications (people and organisations come from members)."""

import factory
from django.contrib.contenttypes.models import ContentType

from wipomatch.members.tests.factories import OrganisationFactory, UserFactory

from ..models import Category, Conversation, Message, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    category = Category.CASES
    kind = "test"
    title = "Published: %(title)s"
    params = factory.LazyFunction(lambda: {"title": "Patent training"})
    url = "/en/needs/"


class ConversationFactory(factory.django.DjangoModelFactory):
    """A conversation about an organisation (any model can be the subject) between two others."""

    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    content_type = factory.LazyFunction(
        lambda: ContentType.objects.get_for_model(OrganisationFactory._meta.model)
    )
    object_id = factory.LazyFunction(lambda: str(OrganisationFactory().pk))

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.add(*extracted)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    author = factory.SubFactory(UserFactory)
    body = "Hello from the other side."
