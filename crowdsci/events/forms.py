from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crowdsci.events import selectors
from crowdsci.events.models import FeaturedProject, Format, Host, timezone_choices
from crowdsci.events.selectors import EventFilters
from crowdsci.events.services import MAX_PARTY_SIZE, EventFields
from crowdsci.network.forms import JurisdictionChoiceField
from crowdsci.network.models import Jurisdiction, Organization, Region

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _(obj.name)


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _(obj.name)


class EventFilterForm(forms.Form):
    """The public listings' filters; every one lives in the URL so a filtered view can be shared."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    state = JurisdictionChoiceField(
        label=_("State or territory"),
        queryset=Jurisdiction.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("", _("All")), *Format.choices], required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All")), *settings.LANGUAGES], required=False)
    audience = TermChoiceField(
        label=_("Audience"), queryset=selectors.audiences(), to_field_name="slug", required=False, empty_label=_("All")
    )
    project = forms.ModelChoiceField(
        label=_("Featured project"),
        queryset=FeaturedProject.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def canonical_query(self, *, drop: tuple[str, ...] = ()) -> str:
        """The valid filters as a query string in a fixed order (slugs and codes, not ids): the same view asked
        in any spelling gives the same string, and junk in the URL is left out (links, and cache keys)."""
        self.is_valid()
        pairs = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if name in drop or value in (None, ""):
                continue
            to_field = getattr(field, "to_field_name", None)
            pairs.append((name, str(getattr(value, to_field) if to_field else value)))
        return urlencode(pairs)

    def filters(self) -> EventFilters:
        """The valid filters; a value we do not know (an old or edited link) is ignored."""
        self.is_valid()
        data = self.cleaned_data
        return EventFilters(
            region=data.get("region"),
            jurisdiction=data.get("state"),
            format=data.get("format") or "",
            date_from=data.get("start"),
            date_to=data.get("end"),
            language=data.get("language") or "",
            audience=data.get("audience"),
            project=data.get("project"),
        )


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    party_size = forms.IntegerField(
        label=_("How many people (you included)"), min_value=1, max_value=MAX_PARTY_SIZE, initial=1
    )
    join_waitlist = forms.BooleanField(label=_("If there is not enough room, put me on the waitlist"), required=False)


class HostSignupForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Your library or organization"),
        queryset=Organization.objects.select_related("jurisdiction").order_by("name", "city"),
        help_text=_("From the network's member directory."),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    format = forms.ChoiceField(label=_("Planned format"), choices=Format.choices)
    audiences = TermMultipleChoiceField(
        label=_("Audience"), queryset=selectors.audiences(), widget=forms.CheckboxSelectMultiple, required=False
    )
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=100000)
    preferred_dates = forms.CharField(label=_("Preferred dates"), max_length=300, required=False)
    interests = forms.ModelMultipleChoiceField(
        label=_("Featured projects you are interested in"),
        queryset=FeaturedProject.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shipping_address = forms.CharField(
        label=_("Where to ship the program kit"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("Ends on (if not the same day)"),
        required=False,
        widget=DateInput(),
        help_text=_("For an event that runs past midnight or over several days."),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    venue = forms.CharField(label=_("Venue (room or building)"), max_length=200, required=False)
    address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = JurisdictionChoiceField(
        label=_("State or territory"),
        queryset=Jurisdiction.objects.order_by("name"),
        to_field_name="code",
        required=False,
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_(
            "Pick the place on the map, or leave empty: the event is then placed at your library, or in its town "
            "from the member directory."
        ),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    virtual_url = forms.URLField(label=_("Virtual link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    registration_required = forms.BooleanField(label=_("People need to register"), required=False, initial=True)
    projects = forms.ModelMultipleChoiceField(
        label=_("Featured projects used"),
        queryset=FeaturedProject.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    audiences = TermMultipleChoiceField(
        label=_("Audience"), queryset=selectors.audiences(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            start = datetime.datetime.combine(data["date"], data["start_time"])
            end = datetime.datetime.combine(data.get("end_date") or data["date"], data["end_time"])
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
        if data.get("latitude") is not None and data.get("longitude") is None:
            self.add_error("longitude", _("Give both coordinates, or neither."))
        if data.get("longitude") is not None and data.get("latitude") is None:
            self.add_error("latitude", _("Give both coordinates, or neither."))
        return data

    def to_fields(self) -> EventFields:
        data = self.cleaned_data
        zone = zoneinfo.ZoneInfo(data["timezone"])
        return EventFields(
            title=data["title"],
            description=data["description"],
            starts_at=datetime.datetime.combine(data["date"], data["start_time"], tzinfo=zone),
            ends_at=datetime.datetime.combine(data.get("end_date") or data["date"], data["end_time"], tzinfo=zone),
            timezone=data["timezone"],
            format=data["format"],
            jurisdiction=data.get("state"),
            venue=data.get("venue") or "",
            address=data.get("address") or "",
            city=data.get("city") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            virtual_url=data.get("virtual_url") or "",
            capacity=data.get("capacity"),
            language=data["language"],
            accessibility_notes=data.get("accessibility_notes") or "",
            registration_required=bool(data.get("registration_required")),
            projects=list(data.get("projects") or []),
            audiences=list(data.get("audiences") or []),
        )

    @classmethod
    def initial_for(cls, event) -> dict:
        start, end = event.local_start, event.local_end
        return {
            "title": event.title,
            "description": event.description,
            "date": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None),
            "end_date": end.date() if end.date() != start.date() else None,
            "timezone": event.timezone,
            "format": event.format,
            "venue": event.venue,
            "address": event.address,
            "city": event.city,
            "state": event.jurisdiction,
            # Only a point the host picked: coordinates the directory supplied are found again on saving, so
            # they follow a changed town instead of being kept as if picked.
            "latitude": event.latitude if event.location_source == event.LocationSource.PICKED else None,
            "longitude": event.longitude if event.location_source == event.LocationSource.PICKED else None,
            "virtual_url": event.virtual_url,
            "capacity": event.capacity,
            "language": event.language,
            "accessibility_notes": event.accessibility_notes,
            "registration_required": event.registration_required,
            "projects": list(event.projects.all()),
            "audiences": list(event.audiences.all()),
        }


class HostReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the host; needed to decline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class KitForm(forms.Form):
    kit_status = forms.ChoiceField(label=_("Program kit"), choices=Host.KitStatus.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100, required=False)


class ReportForm(forms.Form):
    attendance = forms.IntegerField(label=_("How many people came"), min_value=0, max_value=1000000)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to registrants"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = TermChoiceField(
        label=_("Topic"),
        queryset=selectors.project_topics(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    setting = forms.ChoiceField(
        label=_("Where"),
        choices=[("", _("All")), ("online", _("Online")), ("on_location", _("On location"))],
        required=False,
    )


class ProjectImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file"), help_text=_("UTF-8, at most 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
