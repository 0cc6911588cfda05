"""The questions of the public "Make a complaint" journey and the progress page, one form per page.

Every message is translated (the page's language comes from its address), and bound forms keep what
the person typed when a page is shown again with errors.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candour.shell.forms import GovukForm

LONG_TEXT = 10000
MAX_POINTS = 10


def _text(max_length=LONG_TEXT, required=True, required_message="", too_long=""):
    return forms.CharField(
        required=required,
        max_length=max_length,
        strip=True,
        error_messages={"required": required_message, "max_length": too_long or _("Answer must be shorter")},
    )


class AnonymousForm(GovukForm):
    anonymous = forms.ChoiceField(
        choices=[("no", "no"), ("yes", "yes")],
        error_messages={
            "required": _("Select whether you want to give your name and contact details"),
            "invalid_choice": _("Select whether you want to give your name and contact details"),
        },
    )


class WhoForm(GovukForm):
    who = forms.ChoiceField(
        choices=[("myself", "myself"), ("someone_else", "someone_else")],
        error_messages={
            "required": _("Select who the complaint is for"),
            "invalid_choice": _("Select who the complaint is for"),
        },
    )


class RepresentativeForm(GovukForm):
    person_name = _text(200, required_message=_("Enter the name of the person you are complaining for"))
    relationship = _text(200, required_message=_("Enter your relationship to the person"))
    consent = forms.BooleanField(
        error_messages={"required": _("Confirm that the person has agreed to you complaining for them")}
    )


PHONE = re.compile(r"^\+?[0-9 ()\-]{7,20}$")


class ContactForm(GovukForm):
    name = _text(200, required_message=_("Enter your full name"), too_long=_("Name must be 200 characters or fewer"))
    email = forms.CharField(required=False, max_length=254, strip=True)
    phone = forms.CharField(required=False, max_length=40, strip=True)
    address = forms.CharField(required=False, max_length=1000, strip=True)
    preferred_contact = forms.ChoiceField(
        choices=[("email", "email"), ("phone", "phone"), ("post", "post")],
        error_messages={
            "required": _("Select how you would like us to contact you"),
            "invalid_choice": _("Select how you would like us to contact you"),
        },
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Enter an email address in the correct format, like name@example.com")
                ) from None
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a telephone number, like 01632 960 001 or 07700 900 982"))
        return phone

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact")
        missing = {
            "email": ("email", _("Enter your email address, or choose another way for us to contact you")),
            "phone": ("phone", _("Enter your telephone number, or choose another way for us to contact you")),
            "post": ("address", _("Enter your postal address, or choose another way for us to contact you")),
        }
        if method in missing:
            field, message = missing[method]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return data


class DescriptionForm(GovukForm):
    description = _text(
        required_message=_("Tell us what happened"),
        too_long=_("What happened must be 10,000 characters or fewer"),
    )


class PointForm(GovukForm):
    """One point of complaint. Empty is allowed when the person just continues."""

    summary = _text(2000, required=False, too_long=_("What went wrong must be 2,000 characters or fewer"))
    point_outcome = _text(2000, required=False, too_long=_("What would put it right must be 2,000 characters or fewer"))

    def __init__(self, *args, adding: bool = False, existing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.adding = adding
        self.existing = existing

    def clean(self):
        data = super().clean()
        has_text = bool(data.get("summary") or data.get("point_outcome"))
        if (self.adding or has_text) and not data.get("summary") and "summary" not in self.errors:
            self.add_error("summary", _("Describe what went wrong"))
        if (self.adding or has_text) and self.existing >= MAX_POINTS:
            self.add_error("summary", _("You can add up to 10 points"))
        return data


class DateForm(GovukForm):
    """A GOV.UK date input: day, month and year, each kept as typed; errors name the first part to fix."""

    day = forms.CharField(required=False, max_length=10)
    month = forms.CharField(required=False, max_length=10)
    year = forms.CharField(required=False, max_length=10)
    date_id = "events_date"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_parts: list[str] = []

    def _fail(self, message, parts):
        self.error_parts = parts
        raise forms.ValidationError(message)

    def clean(self):
        data = super().clean()
        parts = {name: (data.get(name) or "").strip() for name in ("day", "month", "year")}
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == 3:
            self._fail(_("Enter the date it happened"), ["day", "month", "year"])
        if missing:
            message = {
                "day": _("The date must include a day"),
                "month": _("The date must include a month"),
                "year": _("The date must include a year"),
            }[missing[0]]
            self._fail(message, missing)
        try:
            day = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._fail(_("The date must be a real date"), ["day", "month", "year"])
        if len(parts["year"]) != 4:
            self._fail(_("The year must include 4 numbers"), ["year"])
        if day > timezone.localdate():
            self._fail(_("The date must be today or in the past"), ["day", "month", "year"])
        data["date"] = day
        return data

    def govuk_error_list(self) -> list[dict]:
        first = (self.error_parts or ["day"])[0]
        return [{"text": str(m), "href": f"#{self.date_id}-{first}"} for m in self.non_field_errors()]

    def date_error(self) -> dict | None:
        errors = self.non_field_errors()
        return {"text": " ".join(str(m) for m in errors)} if errors else None

    def part_class(self, name: str) -> str:
        return " govuk-input--error" if name in self.error_parts else ""


class LateReasonForm(GovukForm):
    late_reason = _text(
        required_message=_("Tell us why you are complaining now"),
        too_long=_("Your answer must be 10,000 characters or fewer"),
    )


class OutcomeForm(GovukForm):
    outcome_sought = _text(
        required_message=_("Tell us what you would like to happen"),
        too_long=_("Your answer must be 10,000 characters or fewer"),
    )


class AdjustmentsForm(GovukForm):
    adjustments = forms.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        error_messages={
            "required": _("Select yes if you need us to make any changes"),
            "invalid_choice": _("Select yes if you need us to make any changes"),
        },
    )
    adjustments_details = _text(required=False, too_long=_("Your answer must be 10,000 characters or fewer"))

    def clean(self):
        data = super().clean()
        if data.get("adjustments") == "yes" and not data.get("adjustments_details"):
            self.add_error("adjustments_details", _("Tell us what changes you need"))
        return data


class FileForm(GovukForm):
    file = forms.FileField(
        required=False,
        error_messages={"invalid": _("The selected file could not be uploaded – try again")},
    )


class SubmitForm(GovukForm):
    submission_key = forms.CharField(max_length=64)


class AddInformationForm(GovukForm):
    information = _text(required=False, too_long=_("Your answer must be 10,000 characters or fewer"))
    file = forms.FileField(
        required=False,
        error_messages={"invalid": _("The selected file could not be uploaded – try again")},
    )

    def clean(self):
        data = super().clean()
        if not data.get("information") and not data.get("file") and not self.errors:
            self.add_error("information", _("Enter the information you want to add, or choose a file"))
        return data


class WithdrawForm(GovukForm):
    reason = _text(2000, required=False, too_long=_("Your answer must be 2,000 characters or fewer"))
