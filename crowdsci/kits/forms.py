from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crowdsci.kits.models import AUDIO_LANGUAGES, TRACK_COUNT, KitCopy, KitType
from crowdsci.network.models import Organization, Region


class DateInput(forms.DateInput):
    input_type = "date"


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} — {obj.city}, {obj.jurisdiction.code}"


class _DatesMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and start < timezone.localdate():
            self.add_error("start_date", _("The start date cannot be in the past."))
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class KitRequestForm(_DatesMixin, forms.Form):
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.select_related("jurisdiction").order_by("name", "city"),
        help_text=_("Your library or organization, as listed in the member directory."),
    )
    kit_type = forms.ModelChoiceField(label=_("Kit"), queryset=KitType.objects.all(), empty_label=None)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    shipping_address = forms.CharField(
        label=_("Shipping address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    intended_use = forms.CharField(
        label=_("Intended use"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you plan to do with the kit, and with whom."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)
    audience_size = forms.IntegerField(label=_("Expected audience size"), min_value=1, max_value=100000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kit_types = list(KitType.objects.all()[:2])
        if len(kit_types) == 1:  # one kit type: nothing to choose
            self.fields["kit_type"].initial = kit_types[0].pk
            self.fields["kit_type"].widget = forms.HiddenInput()


class OfferAcceptForm(_DatesMixin, forms.Form):
    shipping_address = forms.CharField(
        label=_("Shipping address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    position = forms.IntegerField(label=_("New place in the queue"), min_value=1)
    reason = forms.CharField(label=_("Reason for the move"), max_length=2000)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)


class ReturnForm(forms.Form):
    missing_parts = forms.MultipleChoiceField(
        label=_("Missing parts"), required=False, widget=forms.CheckboxSelectMultiple
    )
    damaged_parts = forms.MultipleChoiceField(
        label=_("Damaged parts"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Condition notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contents: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(part, part) for part in contents]
        self.fields["missing_parts"].choices = choices
        self.fields["damaged_parts"].choices = choices


class SanitationForm(forms.Form):
    steps_done = forms.MultipleChoiceField(
        label=_("Sanitation checklist"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)

    def __init__(self, *args, steps: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps_done"].choices = [(step, step) for step in steps]


class CopyStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (KitCopy.Status.AVAILABLE, KitCopy.Status.AVAILABLE.label),
            (KitCopy.Status.MAINTENANCE, KitCopy.Status.MAINTENANCE.label),
            (KitCopy.Status.RETIRED, KitCopy.Status.RETIRED.label),
            (KitCopy.Status.LOST, KitCopy.Status.LOST.label),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class CopyCreateForm(forms.Form):
    kit_type = forms.ModelChoiceField(label=_("Kit"), queryset=KitType.objects.all(), empty_label=None)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=40)
    home_region = forms.ModelChoiceField(label=_("Home region"), queryset=Region.objects.all())


class AudioUploadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=AUDIO_LANGUAGES)
    number = forms.TypedChoiceField(
        label=_("Track"), coerce=int, choices=[(n, str(n)) for n in range(1, TRACK_COUNT + 1)]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    transcript = forms.CharField(label=_("Transcript"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        label=_("Audio file"),
        help_text=_("MP3, Ogg, M4A/AAC or WAV, at most %(limit)s MB.")
        % {"limit": settings.KITS_AUDIO_MAX_BYTES // (1024 * 1024)},
    )
