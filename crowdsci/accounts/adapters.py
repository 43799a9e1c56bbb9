from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from crowdsci.core.email import email_enqueue_on_commit
from crowdsci.network.errors import NetworkError
from crowdsci.network.services import profile_ensure, profile_update, wikipedia_username_normalize


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message here, send it from the task worker after the transaction commits."""
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_enqueue_on_commit(subject=message.subject, body=message.body, to=list(message.to), html_body=html_body)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Signing in with Wikipedia proves the Wikipedia username: it becomes the profile's, for campaign credit."""

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: object = None) -> AbstractBaseUser:
        user = super().save_user(request, sociallogin, form)
        _profile_take_proven_username(request, user, sociallogin)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            _profile_take_proven_username(request, sociallogin.user, sociallogin)


def proven_wikipedia_username(user: AbstractBaseUser) -> str:
    """The Wikipedia username this person proved by signing in with Wikipedia, or ""."""
    if not user.is_authenticated:
        return ""
    account = SocialAccount.objects.filter(user=user, provider="mediawiki").order_by("-last_login").first()
    username = (account.extra_data or {}).get("username", "") if account else ""
    return wikipedia_username_normalize(username) if username else ""


def _profile_take_proven_username(request: HttpRequest, user: AbstractBaseUser, sociallogin: SocialLogin) -> None:
    if sociallogin.account.provider != "mediawiki":
        return
    username = wikipedia_username_normalize((sociallogin.account.extra_data or {}).get("username", ""))
    profile = profile_ensure(user=user)
    if not username or profile.wikipedia_username == username:
        return
    try:
        profile_update(
            user=user,
            display_name=profile.display_name,
            organization=profile.organization,
            wikipedia_username=username,
            preferred_language=profile.preferred_language,
        )
    except NetworkError as error:
        messages.warning(request, error.message)
