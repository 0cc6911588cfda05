"""Forms for the staff pages. They validate what a person typed; the services make every change."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from candour.complaints.models import (
    Channel,
    ComplianceStatus,
    ContactMethod,
    DeliveryMethod,
    OtherRoute,
    Outcome,
    PhsoDecision,
    RemedyType,
)
from candour.complaints.services import SEVEN_ELEMENTS, Declaration
from candour.organisations.models import BODY_KIND_VALUES, Organisation, ServiceArea
from candour.shell.forms import GovukForm

STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]
POINT_SLOTS = 3


# ---- GOV.UK date input ---------------------------------------------------------------------------


class GovukDateWidget(forms.Widget):
    """Reads the three boxes of a GOV.UK date input (name-day, name-month, name-year)."""

    def value_from_datadict(self, data, files, name):
        return tuple((data.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year"))

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK Design System's error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, **kwargs):
        self.label_text = label
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        missing = [name for name, part in zip(("day", "month", "year"), value, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.label_text} must include a {' and '.join(missing)}")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a year like 999999999999999999999
            raise ValidationError(f"{self.label_text} must be a real date") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {self.label_text.lower()}")


def date_parts(form, name: str) -> dict:
    """What to show in a GOV.UK date input's three boxes: what was typed, or the initial date."""
    if form.is_bound:
        day, month, year = form[name].field.widget.value_from_datadict(form.data, form.files, name)
        return {"day": day, "month": month, "year": year}
    value = form.initial.get(name) or form.fields[name].initial
    if isinstance(value, datetime.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    return {"day": "", "month": "", "year": ""}


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: against its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# ---- intake and triage -----------------------------------------------------------------------------


class IntakeForm(GovukForm):
    channel = forms.ChoiceField(choices=STAFF_CHANNELS, error_messages={"required": "Choose how the complaint came in"})
    received_on = GovukDateField(label="Date received")
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        error_messages={"required": "Choose the organisation", "invalid_choice": "Choose the organisation"},
    )
    team = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False)
    service_area = forms.ModelChoiceField(queryset=ServiceArea.objects.none(), required=False)
    mp_name = forms.CharField(max_length=200, required=False)
    complainant_name = forms.CharField(max_length=200, error_messages={"required": "Enter the complainant's full name"})
    complainant_email = forms.EmailField(
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    complainant_phone = forms.CharField(max_length=40, required=False)
    complainant_address = forms.CharField(widget=forms.Textarea, required=False)
    preferred_contact = forms.ChoiceField(choices=ContactMethod.choices, initial=ContactMethod.EMAIL)
    summary = forms.CharField(max_length=200, required=False)
    description = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter what the complaint is about"}
    )
    outcome_sought = forms.CharField(widget=forms.Textarea, required=False)
    reasonable_adjustments = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, organisations, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["organisation"].queryset = organisations
        within = Q(pk__in=[])
        for organisation in organisations:
            within |= Q(path__startswith=organisation.path)
        self.fields["team"].queryset = (
            Organisation.objects.filter(within).exclude(kind__in=BODY_KIND_VALUES).order_by("path")
        )
        self.fields["service_area"].queryset = ServiceArea.objects.filter(organisation__in=organisations)
        for number in range(1, POINT_SLOTS + 1):
            self.fields[f"point_{number}"] = forms.CharField(widget=forms.Textarea, required=False)
            self.fields[f"point_{number}_outcome"] = forms.CharField(widget=forms.Textarea, required=False)
        self.fields["point_1"].required = True
        self.fields["point_1"].error_messages["required"] = "Enter at least one point of complaint"

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value and value > self.today:
            raise ValidationError("Date received must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if data.get("channel") == Channel.MP and not (data.get("mp_name") or "").strip():
            self.add_error("mp_name", "Enter the name of the MP who wrote to us")
        team = data.get("team")
        if organisation and team and not team.path.startswith(organisation.path):
            self.add_error("team", "Choose a team in the organisation the complaint is about")
        area = data.get("service_area")
        if organisation and area and area.organisation_id != organisation.pk:
            self.add_error("service_area", "Choose a service area of the organisation the complaint is about")
        contact = data.get("preferred_contact")
        if (
            contact == ContactMethod.EMAIL
            and not data.get("complainant_email")
            and "complainant_email" not in self.errors
        ):
            self.add_error("complainant_email", "Enter an email address, or choose another way to contact them")
        if contact == ContactMethod.PHONE and not data.get("complainant_phone"):
            self.add_error("complainant_phone", "Enter a phone number, or choose another way to contact them")
        if contact == ContactMethod.POST and not (data.get("complainant_address") or "").strip():
            self.add_error("complainant_address", "Enter a postal address, or choose another way to contact them")
        return data

    def points(self):
        from candour.complaints.services import PointInput

        return [
            PointInput(self.cleaned_data[f"point_{n}"].strip(), self.cleaned_data[f"point_{n}_outcome"].strip())
            for n in range(1, POINT_SLOTS + 1)
            if self.cleaned_data.get(f"point_{n}", "").strip()
        ]

    def complaint_fields(self) -> dict:
        names = [
            "complainant_name", "complainant_email", "complainant_phone", "complainant_address", "preferred_contact",
            "summary", "outcome_sought", "reasonable_adjustments", "team", "service_area",
        ]  # fmt: skip
        fields = {name: self.cleaned_data[name] for name in names}
        if self.cleaned_data["channel"] == Channel.MP:
            fields["mp_name"] = self.cleaned_data["mp_name"].strip()
        return fields


TRIAGE_CHOICES = [
    ("complaint", "A complaint we will handle"),
    ("not_accepted", "A complaint we cannot accept"),
    ("service_request", "A service request (not a complaint)"),
    ("other_route", "A matter for another route"),
]


class TriageForm(GovukForm):
    decision = forms.ChoiceField(choices=TRIAGE_CHOICES, error_messages={"required": "Choose what this contact is"})
    other_route = forms.ChoiceField(choices=OtherRoute.choices, required=False)
    signposting = forms.CharField(widget=forms.Textarea, required=False)
    reason = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "other_route" and not data.get("other_route"):
            self.add_error("other_route", "Choose the route this matter belongs to")
        if decision in ("service_request", "other_route", "not_accepted") and not data.get("signposting", "").strip():
            self.add_error("signposting", "Record how the person was signposted or what was done instead")
        if decision == "not_accepted" and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason the complaint is not accepted")
        return data


# ---- the case ---------------------------------------------------------------------------------------


class PointForm(GovukForm):
    summary = forms.CharField(widget=forms.Textarea, error_messages={"required": "Describe the point of complaint"})
    outcome_sought = forms.CharField(widget=forms.Textarea, required=False)
    outcome = forms.ChoiceField(choices=[("", "Not decided yet")] + list(Outcome.choices), required=False)
    should_have_happened = forms.CharField(widget=forms.Textarea, required=False)
    what_happened = forms.CharField(widget=forms.Textarea, required=False)
    finding = forms.CharField(widget=forms.Textarea, required=False)


class ConflictQuestionForm(GovukForm):
    """Asks for the declaration of interests of the colleague being assigned (investigator or reviewer), which is
    recorded with the assignment. "Already declared" uses the declaration on record for the case (so a conflict a
    senior leader has overridden is not replaced by a new declaration)."""

    NO, YES, DECLARED = "no", "yes", "declared"
    # Whose declaration this is, in the question ("the investigator", "the reviewer").
    declaring = "the colleague"

    has_conflict = forms.ChoiceField(
        choices=[
            (NO, "No, they have no conflict of interest"),
            (YES, "Yes, they have a conflict of interest"),
            (DECLARED, "They have already declared for this role on this complaint"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    details = forms.CharField(
        label="Describe the conflict",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="A senior leader must override a declared conflict, with a reason, before the assignment goes ahead.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.fields["has_conflict"]
        question.label = f"Does {self.declaring} have a conflict of interest in this complaint?"
        question.help_text = (
            "For example, a personal or working relationship with someone involved, or a part in the events."
        )

    def asks_conflict(self, data: dict) -> bool:
        """Whether the question must be answered (a form that names someone only sometimes says when)."""
        return True

    def clean(self):
        data = super().clean()
        if "has_conflict" in self.fields and self.asks_conflict(data):
            answer = data.get("has_conflict")
            if not answer:
                self.add_error("has_conflict", f"Say whether {self.declaring} has a conflict of interest")
            elif answer == self.YES and not (data.get("details") or "").strip():
                self.add_error("details", "Describe the conflict of interest")
        return data

    def declaration(self) -> Declaration | None:
        """The declaration to record with the assignment, or None to use the one on record."""
        answer = self.cleaned_data.get("has_conflict")
        if answer not in (self.YES, self.NO):
            return None
        details = (self.cleaned_data.get("details") or "").strip() if answer == self.YES else ""
        return Declaration(has_conflict=answer == self.YES, details=details)


class AssignForm(ConflictQuestionForm):
    """Assigns the stage 1 handler, or the stage 2 investigator with their declaration of interests."""

    declaring = "the investigator"
    field_order = ["user", "has_conflict", "details"]
    user = forms.ChoiceField(
        error_messages={"required": "Choose a colleague", "invalid_choice": "Choose a colleague from the list"}
    )

    def __init__(self, *args, colleagues, ask_conflict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {str(u.pk): u for u in colleagues}
        self.fields["user"].choices = [(str(u.pk), u.get_full_name() or u.get_username()) for u in colleagues]
        if not ask_conflict:
            del self.fields["has_conflict"], self.fields["details"]

    def clean_user(self):
        return self.colleagues[self.cleaned_data["user"]]


class TransitionForm(ConflictQuestionForm):
    """A move through the lifecycle; escalating names the investigator and asks for their declaration."""

    declaring = "the investigator"
    field_order = ["investigator", "has_conflict", "details", "reason"]
    reason = forms.CharField(widget=forms.Textarea, required=False)
    investigator = forms.ChoiceField(required=False)

    def __init__(self, *args, transition, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.colleagues = {str(u.pk): u for u in colleagues}
        self.fields["investigator"].choices = [("", "Choose a colleague")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in colleagues
        ]
        if transition.requires_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Give a reason"
        if transition.name != "escalate":
            del self.fields["has_conflict"], self.fields["details"]

    def asks_conflict(self, data: dict) -> bool:
        return data.get("investigator") is not None  # asked about the investigator being named

    def clean_investigator(self):
        value = self.cleaned_data.get("investigator")
        return self.colleagues.get(value) if value else None


class ClockStopForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Say what you are waiting for from the complainant"}
    )


class ExtensionForm(GovukForm):
    new_due = GovukDateField(label="New response date")
    reason = forms.CharField(widget=forms.Textarea, error_messages={"required": "Give the reason for the extension"})
    complainant_agreed = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Say whether the complainant agreed to the new date"},
    )

    def clean_complainant_agreed(self):
        return self.cleaned_data["complainant_agreed"] == "yes"


class RemedyForm(GovukForm):
    type = forms.ChoiceField(choices=RemedyType.choices, error_messages={"required": "Choose the type of remedy"})
    description = forms.CharField(widget=forms.Textarea, error_messages={"required": "Describe the remedy"})
    amount = forms.DecimalField(
        required=False,
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": "Amount must be a number, like 150 or 150.50",
            "min_value": "Amount must be more than £0",
            "max_decimal_places": "Amount must have no more than 2 decimal places (pence)",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("type") == RemedyType.FINANCIAL and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount of financial redress")
        if data.get("type") != RemedyType.FINANCIAL:
            data["amount"] = None
        return data


class ResponseForm(GovukForm):
    outcome = forms.ChoiceField(choices=[("", "Not decided yet")] + list(Outcome.choices), required=False)
    apology = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _message in SEVEN_ELEMENTS:
            self.fields[name] = forms.CharField(widget=forms.Textarea, required=False)


class IssueForm(GovukForm):
    delivery_method = forms.ChoiceField(
        choices=DeliveryMethod.choices, error_messages={"required": "Choose how the response was sent"}
    )


class OmbudsmanForm(GovukForm):
    mp_referral_date = GovukDateField(label="Date the MP referred the complaint")
    phso_reference = forms.CharField(max_length=40, required=False)
    decision = forms.ChoiceField(choices=PhsoDecision.choices)
    decision_date = GovukDateField(label="Date of the Ombudsman's decision", required=False)
    recommendations = forms.CharField(widget=forms.Textarea, required=False)
    compliance = forms.ChoiceField(choices=ComplianceStatus.choices)
    complied_on = GovukDateField(label="Date the recommendations were complied with", required=False)
