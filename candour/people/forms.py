"""Forms for People pages, with GOV.UK date inputs (day, month, year) that keep what was typed."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from candour.organisations.roles import Role
from candour.people.models import GateMode, InteractionKind, PracticalExample, SupportOffered
from candour.shell.forms import GovukForm

PARTS = ("day", "month", "year")


class GovukDateWidget(forms.Widget):
    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}-{part}", "").strip() for part in PARTS}


class GovukDateField(forms.Field):
    widget = GovukDateWidget

    def __init__(self, *, label_text: str = "The date", **kwargs):
        self.label_text = label_text
        kwargs.setdefault("error_messages", {"required": f"Enter {label_text.lower()}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value.values()):
            return None
        missing = [part for part in PARTS if not value.get(part)]
        if missing:
            raise ValidationError(f"{self.label_text} must include a {' and '.join(missing)}")
        try:
            return datetime.date(int(value["year"]), int(value["month"]), int(value["day"]))
        except (TypeError, ValueError):
            raise ValidationError(f"{self.label_text} must be a real date") from None


class Fields:
    """Builds GOV.UK macro parameters for a form's fields: id, name, label, typed value and inline error."""

    def __init__(self, form):
        self.form = form

    def _base(self, name: str) -> dict:
        bound = self.form[name]
        return {"id": bound.id_for_label, "name": name, "errorMessage": self.form.error_for(name)}

    def input(self, name: str, label: str, **extra) -> dict:
        value = self.form[name].value()
        return {**self._base(name), "label": {"text": label}, "value": "" if value is None else value, **extra}

    def textarea(self, name: str, label: str, **extra) -> dict:
        return self.input(name, label, **extra)

    def select(self, name: str, label: str, **extra) -> dict:
        value = str(self.form[name].value() or "")
        items = [
            {"value": str(k), "text": str(v), "selected": str(k) == value} for k, v in self.form.fields[name].choices
        ]
        return {**self._base(name), "label": {"text": label}, "items": items, **extra}

    def _choices(self, name: str, legend: str, multiple: bool, **extra) -> dict:
        value = self.form[name].value()
        chosen = {str(v) for v in (value or [])} if multiple else {str(value or "")}
        items = [
            {"value": str(k), "text": str(v), "checked": str(k) in chosen} for k, v in self.form.fields[name].choices
        ]
        return {
            "idPrefix": self.form[name].id_for_label,
            "name": name,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "items": items,
            "errorMessage": self.form.error_for(name),
            **extra,
        }

    def checkboxes(self, name: str, legend: str, **extra) -> dict:
        return self._choices(name, legend, True, **extra)

    def radios(self, name: str, legend: str, **extra) -> dict:
        return self._choices(name, legend, False, **extra)

    def date(self, name: str, legend: str, **extra) -> dict:
        value = self.form[name].value()
        if isinstance(value, datetime.date):
            value = {"day": value.day, "month": value.month, "year": value.year}
        value = value or {}
        error = self.form.error_for(name)
        items = [
            {
                "name": part,
                "label": part.capitalize(),
                "value": value.get(part, ""),
                "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2")
                + (" govuk-input--error" if error else ""),
            }
            for part in PARTS
        ]
        return {
            "id": self.form[name].id_for_label,
            "namePrefix": name,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": "For example, 27 3 2026"},
            "items": items,
            "errorMessage": error,
            **extra,
        }


class ResponsibilityForm(GovukForm):
    summary = forms.CharField(max_length=300, error_messages={"required": "Enter a summary of the role"})
    expectations = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter at least one expectation"})
    examples = forms.CharField(widget=forms.Textarea, required=False)


class ModuleForm(GovukForm):
    code = forms.SlugField(
        max_length=60,
        error_messages={
            "required": "Enter a code",
            "invalid": "The code must use only lower-case letters, numbers and hyphens",
        },
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    description = forms.CharField(widget=forms.Textarea, required=False)
    required_for_roles = forms.MultipleChoiceField(choices=Role.choices, required=False)
    refresh_months = forms.IntegerField(
        min_value=1,
        max_value=120,
        required=False,
        error_messages={
            "invalid": "The refresh period must be a whole number of months",
            "min_value": "The refresh period must be at least 1 month",
            "max_value": "The refresh period must be 120 months or fewer",
        },
    )
    active = forms.BooleanField(required=False, initial=True)


class CompletionForm(GovukForm):
    user = forms.ChoiceField(error_messages={"required": "Select the colleague"})
    module = forms.ChoiceField(error_messages={"required": "Select the module"})
    completed_on = GovukDateField(label_text="The completion date")
    expires_on = GovukDateField(label_text="The expiry date", required=False)
    provider = forms.CharField(max_length=200, required=False)
    evidence = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, people=(), modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Select a colleague")] + [(p.pk, str(p)) for p in people]
        self.fields["module"].choices = [("", "Select a module")] + [(m.pk, m.title) for m in modules]


class UploadForm(GovukForm):
    file = forms.FileField(error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        return upload


class ExampleForm(GovukForm):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    what_happened = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter what happened"})
    what_i_did = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter what you did"})
    difference_made = forms.CharField(widget=forms.Textarea, required=False)
    occurred_on = GovukDateField(label_text="The date")
    related_complaint_reference = forms.CharField(max_length=40, required=False)
    related_action_id = forms.IntegerField(
        min_value=1, required=False, error_messages={"invalid": "The improvement action number must be a number"}
    )


class ReviewExampleForm(GovukForm):
    anonymised_text = forms.CharField(widget=forms.Textarea, required=False)
    approve = forms.BooleanField(required=False)

    def __init__(self, *args, example: PracticalExample | None = None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("approve") and not (data.get("anonymised_text") or "").strip():
            self.add_error("anonymised_text", "Write an anonymised version before approving it for reports")
        return data


class SupportForm(GovukForm):
    interaction_kind = forms.ChoiceField(
        choices=InteractionKind.choices, error_messages={"required": "Select what kind of interaction it was"}
    )
    interaction_on = GovukDateField(label_text="The date of the interaction")
    debriefed_on = GovukDateField(label_text="The date of the debrief")
    notes = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter what was discussed"})
    support_offered = forms.MultipleChoiceField(
        choices=SupportOffered.choices, error_messages={"required": "Select the support offered"}
    )
    support_detail = forms.CharField(max_length=300, required=False)
    behaviour_incident_id = forms.IntegerField(
        min_value=1, required=False, error_messages={"invalid": "The behaviour record number must be a number"}
    )

    def clean(self):
        data = super().clean()
        if SupportOffered.OTHER in (data.get("support_offered") or []) and not data.get("support_detail", "").strip():
            self.add_error("support_detail", "Say what other support was offered")
        interaction_on, debriefed_on = data.get("interaction_on"), data.get("debriefed_on")
        if interaction_on and debriefed_on and debriefed_on < interaction_on:
            self.add_error("debriefed_on", "The debrief must be on or after the interaction")
        return data


class SettingsForm(GovukForm):
    investigator_training_gate = forms.ChoiceField(
        choices=GateMode.choices, error_messages={"required": "Select what happens"}
    )
    reminder_days = forms.IntegerField(
        min_value=1,
        max_value=180,
        error_messages={
            "required": "Enter how many days before expiry to remind colleagues",
            "invalid": "The number of days must be a whole number",
            "min_value": "The number of days must be at least 1",
            "max_value": "The number of days must be 180 or fewer",
        },
    )


class LineManagerForm(GovukForm):
    line_manager = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select a line manager from the list"}
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].choices = [("", "No line manager")] + [
            (str(p.pk), f"{p} ({p.job_title})" if p.job_title else str(p)) for p in people
        ]
