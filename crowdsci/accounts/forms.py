from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crowdsci.network.models import Organization


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.select_related("jurisdiction").order_by("name"),
        required=False,
        empty_label=_("(none)"),
    )
    wikipedia_username = forms.CharField(
        label=_("Wikipedia username"),
        max_length=255,
        required=False,
        help_text=_("Used to credit your #CiteNLM edits. Leave empty if you do not edit Wikipedia."),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def clean_wikipedia_username(self) -> str:
        username = self.cleaned_data["wikipedia_username"]
        # MediaWiki forbids these characters in usernames; refusing them early gives a clear message.
        if any(character in username for character in "#<>[]|{}/@:"):
            raise forms.ValidationError(_("A Wikipedia username cannot contain # < > [ ] | { } / @ or :."))
        return username
