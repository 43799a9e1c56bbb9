"""The campaigns' admin for network staff: campaigns are created and changed through the services (an audit row
each); participants, tracked edits and the stream consumers are shown read-only (they change only through the
services, the tracker and the campaign pages)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, Participant, StreamConsumer, TrackedEdit
from crowdsci.campaigns.services import campaigns as services
from crowdsci.core.admin import ReadOnlyAdminMixin, ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.network.selectors import user_is_network_staff


def _words(value: str) -> list[str]:
    return [word for word in value.replace(",", " ").split() if word]


class CampaignAdminForm(forms.ModelForm):
    hashtags_text = forms.CharField(label=_("Hashtags"), help_text=_("Separated by spaces, with or without #."))
    wikis_text = forms.CharField(label=_("Wikis"), initial="enwiki", help_text=_("Database names, e.g. enwiki."))
    namespaces_text = forms.CharField(label=_("Namespaces"), initial="0", help_text=_("0 is articles."))

    class Meta:
        model = Campaign
        fields = ["name", "slug", "theme", "description", "start", "end", "credit_mode"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hashtags_text"].initial = " ".join(f"#{tag}" for tag in self.instance.hashtags)
            self.fields["wikis_text"].initial = " ".join(self.instance.wikis)
            self.fields["namespaces_text"].initial = " ".join(str(ns) for ns in self.instance.namespaces)
            self.fields["slug"].disabled = True

    def clean_hashtags_text(self) -> list[str]:
        try:
            return services.hashtags_normalize(_words(self.cleaned_data["hashtags_text"]))
        except CampaignsError as error:
            raise forms.ValidationError(error.message) from error

    def clean_namespaces_text(self) -> list[int]:
        try:
            return [int(word) for word in _words(self.cleaned_data["namespaces_text"])]
        except ValueError:
            raise forms.ValidationError(_("Namespaces are whole numbers from 0 (articles).")) from None

    def clean_wikis_text(self) -> list[str]:
        return _words(self.cleaned_data["wikis_text"])


class StaffAdmin(StaffOnlyAdmin):
    is_staff = staticmethod(user_is_network_staff)


class ReadOnlyStaffAdmin(ReadOnlyAdminMixin, StaffAdmin):
    """Staff look these up; they change only through the tracker and the services."""


@admin.register(Campaign)
class CampaignAdmin(ServiceSavedAdminMixin, StaffAdmin):
    form = CampaignAdminForm
    list_display = ["name", "slug", "hashtags_display", "start", "end", "credit_mode"]
    search_fields = ["name", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "theme", "description"]}),
        (_("What counts"), {"fields": ["hashtags_text", "wikis_text", "namespaces_text", "start", "end",
                                        "credit_mode"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a campaign's tracked edits are its record: no deletion here

    def save_model(self, request: HttpRequest, obj: Campaign, form: CampaignAdminForm, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            "name": data["name"], "hashtags": data["hashtags_text"], "wikis": data["wikis_text"],
            "namespaces": data["namespaces_text"], "start": data["start"], "end": data["end"],
            "credit_mode": data["credit_mode"], "theme": data["theme"], "description": data["description"],
        }
        try:
            if change:
                saved = services.campaign_update(actor=request.user, campaign=obj, **fields)
            else:
                saved = services.campaign_create(actor=request.user, slug=data["slug"], **fields)
        except CampaignsError as error:
            self.message_user(request, error.message, messages.ERROR)
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyStaffAdmin):
    list_display = ["wikipedia_username", "campaign", "organization", "joined", "left"]
    list_filter = ["campaign"]
    search_fields = ["wikipedia_username", "user__email"]


@admin.register(TrackedEdit)
class TrackedEditAdmin(ReadOnlyStaffAdmin):
    list_display = ["wiki", "revid", "page_title", "user", "timestamp", "status", "citations_added",
                    "nlm_citations_added"]
    list_filter = ["status", "wiki", "source"]
    search_fields = ["page_title", "user", "=revid"]
    date_hierarchy = "timestamp"


@admin.register(StreamConsumer)
class StreamConsumerAdmin(ReadOnlyStaffAdmin):
    list_display = ["name", "last_seen_at", "lag_seconds", "events_read", "events_matched", "events_malformed",
                    "reconnections"]
