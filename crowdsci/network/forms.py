from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from crowdsci.core.collation import collation_key
from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Region
from crowdsci.network.organization_csv import MAX_UPLOAD_BYTES
from crowdsci.network.selectors import DirectoryFilters


class _ByLabelIterator(ModelChoiceIterator):
    """The choices in the order of their labels in the reader's language, not of the English names."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: collation_key(str(choice[1])))


class JurisdictionChoiceField(forms.ModelChoiceField):
    """States and territories by their translated name ("Carolina del Norte" under C in Spanish)."""

    iterator = _ByLabelIterator

    def label_from_instance(self, obj: Jurisdiction) -> str:
        return f"{obj.display_name} ({obj.code})"


class DisplayNameChoiceField(forms.ModelChoiceField):
    """Regions and affiliations by their name in the reader's language."""

    def label_from_instance(self, obj: Region | Affiliation) -> str:
        return obj.display_name


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    region = DisplayNameChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    state = JurisdictionChoiceField(
        label=_("State or territory"),
        queryset=Jurisdiction.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *Organization.Type.choices], required=False)
    affiliation = DisplayNameChoiceField(
        label=_("Affiliation"),
        queryset=Affiliation.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any"),
    )

    def filters(self) -> DirectoryFilters:
        """The valid filters; a filter with a value we do not know (an old or edited link) is ignored."""
        self.is_valid()
        data = self.cleaned_data
        return DirectoryFilters(
            region=data.get("region"),
            jurisdiction=data.get("state"),
            type=data.get("type") or "",
            affiliation=data.get("affiliation"),
            q=(data.get("q") or "").strip(),
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, at most %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class ImportConfirmForm(forms.Form):
    # The previewed file comes back with the confirmation and is checked again from scratch before writing.
    csv_text = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=MAX_UPLOAD_BYTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A NUL character is reported by the file's check, with its line and column, like any other bad cell.
        field = self.fields["csv_text"]
        field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
