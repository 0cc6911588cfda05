from django import forms
from django.contrib.auth import get_user_model

from candour.governance.models import DecisionStatus, Indicator, Rhythm
from candour.organisations.models import Membership
from candour.shell.forms import GovukForm


def _members(organisation):
    ids = Membership.objects.filter(organisation__path__startswith=organisation.path).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


class GovernanceBodyForm(GovukForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the name of the governance body."})
    rhythm = forms.ChoiceField(choices=Rhythm.choices, error_messages={"required": "Choose how often it reviews."})
    accountable_leader = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accountable_leader"].queryset = _members(organisation)


class ReviewForm(GovukForm):
    period_start = forms.DateField(error_messages={"required": "Enter the start of the period reviewed."})
    period_end = forms.DateField(error_messages={"required": "Enter the end of the period reviewed."})
    held_on = forms.DateField(error_messages={"required": "Enter the date of the meeting."})
    attendees = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter who attended."})
    discussion = forms.CharField(widget=forms.Textarea, error_messages={"required": "Summarise the discussion."})
    decisions = forms.CharField(widget=forms.Textarea, required=False, help_text="One decision per line.")

    ACTION_ROWS = 3

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = _members(organisation)
        for i in range(self.ACTION_ROWS):
            self.fields[f"action_{i}_description"] = forms.CharField(required=False)
            self.fields[f"action_{i}_owner"] = forms.ModelChoiceField(queryset=members, required=False)
            self.fields[f"action_{i}_delivery_owner"] = forms.ModelChoiceField(queryset=members, required=False)
            self.fields[f"action_{i}_due_on"] = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", "The end of the period must be on or after its start.")
        for i in range(self.ACTION_ROWS):
            if data.get(f"action_{i}_description"):
                if not data.get(f"action_{i}_owner"):
                    self.add_error(f"action_{i}_owner", "Choose the accountable owner of this action.")
                if not data.get(f"action_{i}_due_on"):
                    self.add_error(f"action_{i}_due_on", "Enter the date this action is due.")
        return data

    def action_rows(self):
        return [
            (
                self[f"action_{i}_description"],
                self[f"action_{i}_owner"],
                self[f"action_{i}_delivery_owner"],
                self[f"action_{i}_due_on"],
            )
            for i in range(self.ACTION_ROWS)
        ]


class DecisionStatusForm(GovukForm):
    status = forms.ChoiceField(choices=DecisionStatus.choices)
    note = forms.CharField(required=False, max_length=2000)


class ThresholdForm(GovukForm):
    indicator = forms.ChoiceField(choices=Indicator.choices)
    value = forms.DecimalField(min_value=0, max_value=100, decimal_places=1, required=False)


class VolumeForm(GovukForm):
    month = forms.DateField(help_text="Any date in the month, for example 2025-04-01.")
    count = forms.IntegerField(min_value=0)
