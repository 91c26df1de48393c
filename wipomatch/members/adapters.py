from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import get_language

from wipomatch.core.mail import wake_sender_after_commit
from wipomatch.core.outbox import outbox_add_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Remember the language the person registered in: their e-mails are sent in it."""
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """Account e-mails (sign-up, confirmation, password reset) go through the outbox like
        every other e-mail: the request writes a row and never talks to the mail server."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        row = outbox_add_message(message, template=template_prefix, language=get_language())
        if row is not None:
            wake_sender_after_commit([row.pk])
