"""API shapes of cases. `contacts` is null until mutual interest; events never name people."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import permissions as perms
from .models import CaseState, DeclineReason, InitiatedBy, MatchCase, Outcome
from .selectors import case_events
from .services import case_contacts


class ContactSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()


class CaseEventSerializer(serializers.Serializer):
    action = serializers.CharField(help_text=_("What happened (interest_expressed, accepted…)."))
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField()
    by = serializers.CharField(
        help_text=_("Which side acted: need, offer, requesting, receiving, facilitator, system.")
    )
    data = serializers.DictField(help_text=_("Structured details (reason, outcome, score…)."))


class MatchCaseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text=_("“match” (a need and an offer) or “contact” (a contact request)."),
    )
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    initiated_by = serializers.ChoiceField(choices=InitiatedBy.choices, read_only=True)
    need = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    offer = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    contacts = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = MatchCase
        fields = [
            "id",
            "kind",
            "need",
            "offer",
            "state",
            "initiated_by",
            "message",
            "created_at",
            "answered_at",
            "closed_at",
            "contacts",
            "events",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_contacts(self, case):
        if not perms.contacts_released(case):
            return None
        return [
            {"organisation": c["organisation"], "name": c["name"], "email": c["email"]}
            for c in case_contacts(case)
        ]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case):
        user = self.context["request"].user
        return CaseEventSerializer(case_events(case, user), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, case):
        user = self.context["request"].user
        return sorted(perms.case_allowed_actions(user, case) - {perms.VIEW})


class MatchCaseCreateSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    offer = serializers.IntegerField()
    message = serializers.CharField(max_length=2000)


class AcceptSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=4000)
    expected_start = serializers.DateField(required=False, allow_null=True, default=None)


class RatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RatingResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.CharField(read_only=True, allow_null=True)
    author = serializers.CharField(read_only=True)
    body = serializers.CharField(max_length=5000)
    created_at = serializers.DateTimeField(read_only=True)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text=_("A current code from the authenticator app (staff accounts only)."),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
