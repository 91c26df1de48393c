from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wipomatch.core.mail import links_in_language

from .models import Category, Notification


class NotificationSerializer(serializers.ModelSerializer):
    """A notification rendered in the language of the response."""

    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    title = serializers.SerializerMethodField(help_text="The title in the response language.")
    url = serializers.SerializerMethodField(
        help_text="Absolute link to the page the notification is about, in the response language; "
        "empty when there is none."
    )
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "category", "kind", "title", "url", "read", "read_at", "created_at"]
        read_only_fields = fields

    def get_title(self, obj: Notification) -> str:
        return obj.rendered_title()

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj: Notification) -> str:
        if not obj.url:
            return ""
        language = self.context.get("language", "en")
        path = links_in_language({"url": obj.url}, language)["url"]
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notifications were marked read.")
