"""Survey and self-assessment forms (GOV.UK error summary and inline errors through GovukForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from candour.feedback.models import Rating
from candour.feedback.services import COMMENTS_MAX
from candour.feedback.statements import SCALE, STATEMENTS
from candour.shell.forms import GovukForm


class SurveyForm(GovukForm):
    """One five-point question per statement of `kind`, then optional free text."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for statement in STATEMENTS[kind]:
            self.fields[statement.key] = forms.TypedChoiceField(
                label=statement.text,
                choices=[(str(value), text) for value, text in SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how much you agree with the statement")},
            )
        self.fields["comments"] = forms.CharField(
            required=False,
            max_length=COMMENTS_MAX,
            widget=forms.Textarea,
            error_messages={"max_length": _("Your comments must be 5000 characters or fewer")},
        )

    def questions(self) -> list[tuple[str, str]]:
        return [(s.key, s.text) for s in STATEMENTS[self.kind]]

    def answers(self) -> dict[str, int]:
        return {s.key: self.cleaned_data[s.key] for s in STATEMENTS[self.kind]}


class SurveyDelayForm(GovukForm):
    survey_delay_days = forms.IntegerField(
        min_value=0,
        max_value=60,
        error_messages={
            "required": "Enter the number of working days",
            "invalid": "Enter a whole number of working days",
            "min_value": "The delay must be 0 working days or more",
            "max_value": "The delay must be 60 working days or fewer",
        },
    )


class ExpectationForm(GovukForm):
    text = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter the expectation"})


class SelfAssessmentForm(GovukForm):
    """A rating, evidence and improvement plan for each active expectation."""

    def __init__(self, *args, expectations, **kwargs):
        super().__init__(*args, **kwargs)
        self.expectations = list(expectations)
        for expectation in self.expectations:
            label = f"{expectation.section}.{expectation.number}"
            self.fields[f"rating_{expectation.pk}"] = forms.ChoiceField(
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose whether expectation {label} is met"},
            )
            self.fields[f"evidence_{expectation.pk}"] = forms.CharField(required=False, widget=forms.Textarea)
            self.fields[f"plan_{expectation.pk}"] = forms.CharField(required=False, widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        for expectation in self.expectations:
            rating = cleaned.get(f"rating_{expectation.pk}")
            if rating and rating != Rating.MET and not (cleaned.get(f"plan_{expectation.pk}") or "").strip():
                self.add_error(
                    f"plan_{expectation.pk}",
                    f"Give an improvement plan for expectation {expectation.section}.{expectation.number}",
                )
        return cleaned

    def ratings(self) -> dict[int, dict]:
        return {
            e.pk: {
                "rating": self.cleaned_data[f"rating_{e.pk}"],
                "evidence": self.cleaned_data.get(f"evidence_{e.pk}", ""),
                "improvement_plan": self.cleaned_data.get(f"plan_{e.pk}", ""),
            }
            for e in self.expectations
        }
