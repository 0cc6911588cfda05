import datetime

from django import forms
from django.contrib.auth import get_user_model

from candour.learning.models import RootCause
from candour.shell.forms import GovukForm


def split_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


class LearningRecordForm(GovukForm):
    what_went_wrong = forms.CharField(
        widget=forms.Textarea,
        error_messages={"required": "Describe what went wrong in the service."},
    )
    root_cause = forms.ModelChoiceField(
        queryset=RootCause.objects.none(), error_messages={"required": "Choose the root cause."}
    )
    service_area = forms.ModelChoiceField(queryset=None, required=False)
    themes = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, root_causes, service_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = root_causes
        self.fields["service_area"].queryset = service_areas


class GovukDateField(forms.MultiValueField):
    """GOV.UK date input: day, month and year boxes, posted as <name>-day, <name>-month, <name>-year."""

    widget = forms.MultiWidget(widgets=[forms.TextInput, forms.TextInput, forms.TextInput])

    def __init__(self, **kwargs):
        super().__init__(fields=[forms.CharField(), forms.CharField(), forms.CharField()], require_all_fields=False,
                         **kwargs)  # fmt: skip

    def compress(self, values):
        if not values or not any(values):
            return None
        try:
            return datetime.date(int(values[2]), int(values[1]), int(values[0]))
        except (TypeError, ValueError, IndexError):
            raise forms.ValidationError("Enter a real date, for example 27 3 2026.") from None


class DateWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__(widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput})

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class ActionForm(GovukForm):
    organisation = forms.ChoiceField(error_messages={"required": "Choose the organisation."})
    description = forms.CharField(widget=forms.Textarea, error_messages={"required": "Describe the change."})
    complaints = forms.CharField(required=False, max_length=2000)
    themes = forms.CharField(required=False, max_length=500)
    service_area = forms.IntegerField(required=False)
    senior_owner = forms.IntegerField(required=False)
    delivery_owner = forms.IntegerField(required=False)
    due_date = GovukDateField(required=False, widget=DateWidget())
    expected_impact = forms.CharField(widget=forms.Textarea, required=False)
    how_measured = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]

    def clean_senior_owner(self):
        return self._user("senior_owner")

    def clean_delivery_owner(self):
        return self._user("delivery_owner")

    def _user(self, name):
        pk = self.cleaned_data.get(name)
        return get_user_model().objects.filter(pk=pk).first() if pk else None


class TransitionForm(GovukForm):
    name = forms.CharField()
    reason = forms.CharField(widget=forms.Textarea, required=False)


class EvidenceForm(GovukForm):
    evidence = forms.CharField(widget=forms.Textarea, required=False)
    file = forms.FileField(required=False)


class PublishForm(GovukForm):
    you_said = forms.CharField(widget=forms.Textarea, required=False)
    we_did = forms.CharField(widget=forms.Textarea, required=False)
    you_said_cy = forms.CharField(widget=forms.Textarea, required=False)
    we_did_cy = forms.CharField(widget=forms.Textarea, required=False)
