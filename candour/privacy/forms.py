from django import forms

from candour.complaints.models import Complaint, ContactMethod
from candour.shell.forms import GovukForm, GovukModelForm


class SubjectAccessForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    name = forms.CharField(label="Full name (optional)", max_length=200, required=False)


class RectificationForm(GovukModelForm):
    preferred_contact = forms.ChoiceField(choices=ContactMethod.choices, label="How they prefer to be contacted")

    class Meta:
        model = Complaint
        fields = [
            "complainant_name",
            "complainant_email",
            "complainant_phone",
            "complainant_address",
            "preferred_contact",
            "person_affected_name",
            "representative_relationship",
            "reasonable_adjustments",
        ]
        labels = {
            "complainant_name": "Full name",
            "complainant_email": "Email address",
            "complainant_phone": "Phone number",
            "complainant_address": "Postal address",
            "person_affected_name": "Name of the person affected (if on someone's behalf)",
            "representative_relationship": "Relationship to the person affected",
            "reasonable_adjustments": "Reasonable adjustments",
        }

    def contact_items(self) -> list[dict]:
        """The GOV.UK radios' items for the preferred contact method, keeping what was chosen."""
        chosen = self["preferred_contact"].value()
        return [
            {"value": value, "text": str(label), "checked": value == chosen}
            for value, label in self.fields["preferred_contact"].choices
        ]
