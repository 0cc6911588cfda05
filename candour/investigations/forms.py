"""Forms for the investigation pages. They check what was typed; the services make every change.

Each form is rendered by `investigations/form.html`, which picks the GOV.UK macro from the field's type.
"""

from __future__ import annotations

from django import forms

from candour.complaints.models import Outcome
from candour.complaints.staff_forms import ConflictQuestionForm, GovukDateField
from candour.investigations.models import (
    CHECKLIST,
    CaseRole,
    EvidenceKind,
    IncidentType,
    LetterDelivery,
    RedressCategory,
    SignOff,
    StatementKind,
    SupportKind,
)
from candour.shell.forms import GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]
MONEY_ERRORS = {
    "invalid": "Amount must be a number, like 150 or 150.50",
    "min_value": "Amount must be £0 or more",
    "max_decimal_places": "Amount must have no more than 2 decimal places (pence)",
}


def _text(label, required=True, message=None, hint="", rows=4, **kwargs):
    field = forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=hint, **kwargs
    )
    if message:
        field.error_messages["required"] = message
    return field


def _line(label, required=True, message=None, hint="", **kwargs):
    field = forms.CharField(label=label, required=required, help_text=hint, **kwargs)
    if message:
        field.error_messages["required"] = message
    return field


def _money(label, required=True, hint=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=hint,
        error_messages={**MONEY_ERRORS, "required": f"Enter the {label.lower()}"},
    )


class PeopleChoiceForm(GovukForm):
    """A form with one or more fields choosing from a list of colleagues (`people` passed in)."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        for name in self.people_fields:
            field = self.fields[name]
            blank = [("", "Choose a colleague")] if not field.required else []
            field.choices = blank + [(str(u.pk), u.get_full_name() or u.get_username()) for u in people]

    def _person(self, name):
        value = self.cleaned_data.get(name)
        return self.people.get(value) if value else None


def person_field(label, required=True, hint=""):
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text=hint,
        error_messages={"required": f"Choose {label.lower()}", "invalid_choice": "Choose a colleague from the list"},
    )


class InvolvedForm(PeopleChoiceForm):
    people_fields = ("user",)
    user = person_field("The colleague")
    involvement = _text("How were they involved in the events?", message="Say how they were involved in the events")
    complained_about = forms.ChoiceField(
        label="Is the complaint about them?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the complaint is about them"},
    )

    def clean_user(self):
        return self._person("user")

    def clean_complained_about(self):
        return self.cleaned_data["complained_about"] == "yes"


class ToldForm(GovukForm):
    told_on = GovukDateField(label="Date they were told about the complaint")
    support_offered = _text(
        "What support was offered?",
        message="Say what support was offered",
        hint="For example, a conversation with their manager, the employee assistance programme.",
    )


class StatementForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is this?",
        choices=StatementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is their account or a response"},
    )
    text = _text("What they said", message="Enter what the colleague said", rows=8)
    given_on = GovukDateField(label="Date given")


class DeclarationForm(PeopleChoiceForm):
    people_fields = ("user",)
    user = person_field("The colleague declaring")
    role = forms.ChoiceField(
        label="For which role?",
        choices=CaseRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role"},
    )
    has_conflict = forms.ChoiceField(
        label="Do they have a conflict of interest?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, a personal or working relationship with someone involved, or a part in the events.",
        error_messages={"required": "Say whether there is a conflict of interest"},
    )
    details = _text("Describe the conflict", required=False, hint="Needed if there is a conflict.")

    def clean_user(self):
        return self._person("user")

    def clean_has_conflict(self):
        return self.cleaned_data["has_conflict"] == "yes"


class AssignInvestigatorForm(PeopleChoiceForm, ConflictQuestionForm):
    """The investigator and their declaration of interests (`declaration()`), recorded with the assignment."""

    declaring = "the investigator"
    field_order = ["user", "has_conflict", "details"]
    people_fields = ("user",)
    user = person_field("The investigator")

    def clean_user(self):
        return self._person("user")


class OverrideForm(GovukForm):
    reason = _text(
        "Why may they still take this role?", message="Give the reason the colleague may still take this role"
    )


class PlanForm(GovukForm):
    key_issues = _text("Key issues", message="Enter the key issues", hint="One paragraph per issue.", rows=6)
    outcome_sought = _text("Outcome the complainant wants", message="Enter the outcome the complainant wants")
    confirmed_with_complainant_on = GovukDateField(
        label="Date the key issues and outcome were confirmed with the complainant", required=False
    )
    approach = _text("How each issue will be looked into", message="Say how each issue will be looked into", rows=6)
    information_needed = _text("Information needed", required=False)
    people_to_speak_to = _text("Who will be spoken to", required=False, hint="Roles, not names, where possible.")
    final_response_by = _line(
        "Who will give the final response",
        message="Say who will give the final response",
        hint="Their job title, for example Director of Operations.",
    )
    target_date = GovukDateField(label="Final response agreed by")
    update_every_days = forms.IntegerField(
        label="Update the parties every (days)",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Enter how often the parties will be updated",
            "invalid": "Enter a whole number of days, like 10",
            "min_value": "Update the parties at least every 1 day or more",
            "max_value": "Update the parties at least every 60 days",
        },
    )
    is_complex = forms.ChoiceField(
        label="Is this a complex case?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="In a complex case, initial views are shared with the parties before the final response.",
        error_messages={"required": "Say whether this is a complex case"},
    )

    def clean_is_complex(self):
        return self.cleaned_data["is_complex"] == "yes"


class PlanUpdateForm(GovukForm):
    given_on = GovukDateField(label="Date of the update")
    given_to = _line(
        "Who was updated", message="Say who was updated", hint="For example, the complainant and their MP."
    )
    summary = _text("What they were told", message="Summarise the update")


class EvidenceForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of evidence?",
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of evidence this is"},
    )
    title = _line("Title", message="Give the evidence a title", max_length=200)
    point = forms.ChoiceField(label="Which point of complaint does it relate to?", required=False)
    rule_reference = _line(
        "The legislation, policy or standard relied on",
        required=False,
        max_length=300,
        hint="With the section, for example 'Licensing Guidance 2024, section 4.2'.",
    )
    notes = _text("Notes", required=False, hint="For interview notes, what was said.", rows=6)
    file = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        help_text="PDF, Word, OpenDocument, image or text file, up to 10 MB.",
    )

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = {str(p.number): p for p in points}
        self.fields["point"].choices = [("", "All or none")] + [
            (str(p.number), f"Point {p.number}: {p.summary[:80]}") for p in points
        ]

    def clean_point(self):
        value = self.cleaned_data.get("point")
        return self.points.get(value) if value else None


class FindingForm(GovukForm):
    should_have_happened = _text(
        "What should have happened",
        message="Say what should have happened, citing the rule relied on",
        hint="Cite the legislation, policy, standard or guidance that applies.",
        rows=5,
    )
    what_happened = _text("What did happen", message="Say what did happen", rows=5)
    finding = _text("Finding", message="Enter the finding", rows=4)
    outcome = forms.ChoiceField(
        label="Outcome for this point",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome for this point"},
    )


class InitialViewForm(GovukForm):
    text = _text("Initial view", message="Enter the initial view", rows=10)
    shared_with = _line(
        "Shared with", message="Say who it was shared with", hint="For example, the complainant and the Agency."
    )
    shared_on = GovukDateField(label="Date shared")
    reply_by = GovukDateField(label="Reply by")


class ReplyForm(GovukForm):
    party = _line("Who replied", message="Say who replied")
    from_complainant = forms.ChoiceField(
        label="Is this the complainant's reply?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is the complainant's reply"},
    )
    text = _text("Their reply", message="Enter the reply", rows=8)
    received_on = GovukDateField(label="Date received")

    def clean_from_complainant(self):
        return self.cleaned_data["from_complainant"] == "yes"


class RequestReviewForm(PeopleChoiceForm, ConflictQuestionForm):
    """The reviewer and their declaration of interests (`declaration()`), recorded with the request."""

    declaring = "the reviewer"
    field_order = ["reviewer", "has_conflict", "details"]
    people_fields = ("reviewer",)
    reviewer = person_field("The reviewer", hint="Someone who did not investigate the complaint.")

    def clean_reviewer(self):
        return self._person("reviewer")


class ReviewDecisionForm(GovukForm):
    checklist = forms.MultipleChoiceField(
        label="Checks",
        choices=[(name, label) for name, label in CHECKLIST],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Confirm each check the draft meets.",
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approved", "Approve the response"), ("returned", "Return it with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or return the response"},
    )
    comments = _text("Comments", required=False, hint="Needed if you return it.")


class SettingsForm(GovukForm):
    sign_off = forms.ChoiceField(
        label="Which responses need a quality review sign-off?",
        choices=SignOff.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which responses need a quality review sign-off"},
    )
    sign_off_above = _money("Amount of redress", required=False, hint="Only for 'above an amount'.")


class BandForm(GovukForm):
    category = forms.ChoiceField(
        label="Type of redress",
        choices=RedressCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of redress"},
    )
    name = _line("Band name", message="Give the band a name", hint="For example, 'Moderate'.", max_length=120)
    minimum = _money("Lowest amount")
    maximum = _money("Highest amount")
    guidance = _text("When to use it", required=False)


class BandedRemedyForm(GovukForm):
    band = forms.ChoiceField(label="Redress band", error_messages={"required": "Choose a redress band"})
    amount = forms.DecimalField(
        label="Amount",
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
        error_messages={
            **MONEY_ERRORS,
            "min_value": "Amount must be more than £0",
            "required": "Enter the amount of financial redress",
        },
    )
    description = _text("What the redress is for", message="Describe the redress and what it is for")
    outside_band_reason = _text("Reason, if the amount is outside the band", required=False)

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.bands = {str(b.pk): b for b in bands}
        self.fields["band"].choices = [(str(b.pk), str(b)) for b in bands]

    def clean_band(self):
        return self.bands.get(self.cleaned_data["band"])


class ExtendRemedyForm(GovukForm):
    who_is_affected = _text(
        "Who else was affected in the same way?", message="Describe who else was affected in the same way"
    )
    number_affected = forms.IntegerField(
        label="How many people (if known)",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter a whole number"},
    )


class PartnerForm(GovukForm):
    organisation = forms.ChoiceField(
        label="Contributing organisation", error_messages={"required": "Choose the contributing organisation"}
    )
    question = _text("What should they cover?", message="Say what you need the organisation to cover")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]

    def clean_organisation(self):
        return self.organisations.get(self.cleaned_data["organisation"])


class ContributeForm(GovukForm):
    part_text = _text(
        "Your organisation's part of the response", message="Enter your organisation's part of the response", rows=10
    )


class IncidentForm(GovukForm):
    type = forms.ChoiceField(
        label="Type of behaviour",
        choices=IncidentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of behaviour"},
    )
    occurred_on = GovukDateField(label="Date it happened")
    description = _text(
        "What happened", message="Describe what happened, factually", hint="Describe the behaviour, not the person."
    )
    impact_on_colleagues = _text("Impact on colleagues", message="Describe the impact on colleagues")


class RestrictionForm(PeopleChoiceForm):
    people_fields = ("single_point_of_contact", "approved_by")
    single_point_of_contact = person_field("Single point of contact", required=False)
    written_contact_only = forms.BooleanField(label="Written contact only", required=False)
    contact_limit = _line(
        "Limit on how often they contact us", required=False, hint="For example, one phone call a week."
    )
    reasons = _text(
        "Reasons",
        message="Give the reasons for the restriction",
        hint="These are explained to the complainant in the letter.",
    )
    approved_by = person_field("Approved by", hint="A senior leader accountable for complaints.")
    review_on = GovukDateField(
        label="Review date",
        required=False,
        error_messages={"required": "Enter the date the restriction will be reviewed"},
    )

    def clean_single_point_of_contact(self):
        return self._person("single_point_of_contact")

    def clean_approved_by(self):
        return self._person("approved_by")


class RenewForm(PeopleChoiceForm):
    people_fields = ("approved_by",)
    reasons = _text("Why is it still needed?", message="Give the reasons it is still needed")
    approved_by = person_field("Approved by")
    review_on = GovukDateField(label="Next review date", required=False)

    def clean_approved_by(self):
        return self._person("approved_by")


class SupportForm(PeopleChoiceForm):
    people_fields = ("user",)
    user = person_field("The colleague")
    kind = forms.ChoiceField(
        label="What was given?",
        choices=SupportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose support or debrief"},
    )
    on = GovukDateField(label="Date")
    notes = _text("Notes", required=False)


class AdjustmentsForm(GovukForm):
    large_print = forms.BooleanField(label="Large print letters", required=False)
    easy_read = forms.BooleanField(label="Easy read", required=False)
    delivery = forms.ChoiceField(
        label="How letters are sent",
        choices=LetterDelivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how letters are sent"},
    )
    send_copy_to = _line("Send a copy to", required=False, hint="An advocate or representative.", max_length=200)
