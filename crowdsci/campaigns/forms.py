"""Forms of the campaign pages: they parse input; the services decide."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from crowdsci.campaigns.models import Campaign, HostedEvent, Participant
from crowdsci.catalog.models import Guide
from crowdsci.network.models import Organization

COMMON_ZONES = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Pacific/Guam", "Pacific/Pago_Pago", "UTC",
]


def _zone_choices() -> list[tuple[str, str]]:
    rest = sorted(zone for zone in available_timezones() if zone not in COMMON_ZONES and "/" in zone)
    return [(zone, zone.replace("_", " ")) for zone in COMMON_ZONES + rest]


def _organizations():
    return Organization.objects.select_related("jurisdiction").order_by("name")


class RegistrationForm(forms.Form):
    wikipedia_username = forms.CharField(
        label=_("Wikipedia username"), max_length=255, required=False,
        help_text=_("The account you edit with. Signing in with Wikipedia fills it in and proves it is yours."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization (optional)"), queryset=Organization.objects.none(), required=False,
        empty_label=_("(none)"),
    )
    display = forms.ChoiceField(
        label=_("On public boards, show me as"), choices=Participant.Display.choices,
        initial=Participant.Display.USERNAME, widget=forms.RadioSelect,
    )

    def __init__(self, *args, proven_username: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()
        if proven_username:
            self.fields["wikipedia_username"].initial = proven_username
            self.fields["wikipedia_username"].disabled = True
            self.fields["wikipedia_username"].help_text = _("Proven by signing in with Wikipedia.")


class DisplayForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization (optional)"), queryset=Organization.objects.none(), required=False,
        empty_label=_("(none)"),
    )
    display = forms.ChoiceField(label=_("On public boards, show me as"), choices=Participant.Display.choices,
                                widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Slug (in the address)"), max_length=100)
    hashtags = forms.CharField(label=_("Hashtags"), help_text=_("Separated by spaces or commas, e.g. #CiteNLM."))
    wikis = forms.CharField(label=_("Wikis"), initial="enwiki", help_text=_("Database names, e.g. enwiki."))
    namespaces = forms.CharField(label=_("Namespaces"), initial="0", help_text=_("Numbers; 0 is articles."))
    start = forms.DateTimeField(label=_("Period starts"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("Period ends"), widget=DateTimeInput())
    time_zone = forms.ChoiceField(label=_("Times above are in"), initial="America/New_York")
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    credit_mode = forms.ChoiceField(label=_("What counts"), choices=Campaign.CreditMode.choices,
                                    widget=forms.RadioSelect, initial=Campaign.CreditMode.HASHTAG)
    live_session_start = forms.DateTimeField(label=_("Live session starts"), widget=DateTimeInput(), required=False)
    live_session_end = forms.DateTimeField(label=_("Live session ends"), widget=DateTimeInput(), required=False)
    live_session_url = forms.URLField(label=_("Live session video link"), required=False, assume_scheme="https")
    organizers_guide = forms.ModelChoiceField(
        label=_("Organizer's Guide"), queryset=Guide.objects.none(), required=False, empty_label=_("(none)")
    )
    show_map = forms.BooleanField(label=_("Show the participant map"), required=False, initial=True)
    show_leaderboards = forms.BooleanField(label=_("Show the leaderboards"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        self.fields["organizers_guide"].queryset = Guide.objects.filter(status=Guide.Status.PUBLISHED).order_by(
            "title"
        )
        if editing:
            self.fields["slug"].disabled = True

    def _localize(self, name: str):
        from zoneinfo import ZoneInfo

        value = self.cleaned_data.get(name)
        if value is None:
            return None
        zone = ZoneInfo(self.cleaned_data.get("time_zone") or "America/New_York")
        return value.replace(tzinfo=None).replace(tzinfo=zone)

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end", "live_session_start", "live_session_end"):
            if name in cleaned:
                cleaned[name] = self._localize(name)
        if bool(cleaned.get("live_session_start")) != bool(cleaned.get("live_session_end")):
            raise forms.ValidationError(_("Give both the start and the end of the live session, or neither."))
        start, end = cleaned.get("live_session_start"), cleaned.get("live_session_end")
        if start and end and end <= start:
            raise forms.ValidationError(_("The live session ends after it starts."))
        return cleaned

    @staticmethod
    def _split(value: str) -> list[str]:
        return [item for item in value.replace(",", " ").split() if item]

    def clean_hashtags(self) -> list[str]:
        return self._split(self.cleaned_data["hashtags"])

    def clean_wikis(self) -> list[str]:
        return self._split(self.cleaned_data["wikis"])

    def clean_namespaces(self) -> list[int]:
        try:
            return [int(item) for item in self._split(self.cleaned_data["namespaces"])]
        except ValueError:
            raise forms.ValidationError(_("Namespaces are whole numbers, such as 0 for articles.")) from None


class HostedEventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    start = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="America/New_York")
    mode = forms.ChoiceField(label=_("Format"), choices=HostedEvent.Mode.choices, widget=forms.RadioSelect,
                             initial=HostedEvent.Mode.VIRTUAL)
    address = forms.CharField(label=_("Address (in person)"), max_length=300, required=False)
    url = forms.URLField(label=_("Video link (virtual)"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False,
                                  help_text=_("Leave empty for no limit."))
    organization = forms.ModelChoiceField(label=_("Host organization"), queryset=Organization.objects.none(),
                                          required=False, empty_label=_("(none)"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        self.fields["organization"].queryset = _organizations()

    def clean(self):
        from zoneinfo import ZoneInfo

        cleaned = super().clean()
        zone = ZoneInfo(cleaned.get("time_zone") or "America/New_York")
        for name in ("start", "end"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].replace(tzinfo=None).replace(tzinfo=zone)
        return cleaned


class WorklistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TitlesForm(forms.Form):
    titles = forms.CharField(label=_("Article titles, one a line"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Titles, [[links]] or article addresses."))


class CategoryForm(forms.Form):
    category = forms.CharField(label=_("Wikipedia category"), max_length=255)
    depth = forms.IntegerField(label=_("Subcategory depth"), min_value=0, max_value=3, initial=0,
                               help_text=_("0: only the category itself; at most 3."))


class MapPinForm(forms.Form):
    place = forms.CharField(label=_("Town or city"), max_length=120, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), min_value=-180, max_value=180)
