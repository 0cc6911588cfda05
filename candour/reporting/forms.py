from django import forms

from candour.shell.forms import GovukForm


class DetailsForm(GovukForm):
    interactions = forms.IntegerField(
        required=False, min_value=1, label="Interactions with the public in the year (if known)"
    )
    governing_body_response = forms.CharField(
        required=False, widget=forms.Textarea, label="The governing body's response to the report"
    )


class PublishForm(GovukForm):
    confirm = forms.BooleanField(
        label="I confirm the report is ready to publish", error_messages={"required": "Confirm the report is ready"}
    )


class CaseStudyForm(GovukForm):
    reference = forms.CharField(max_length=40, label="Reference of the closed complaint")
    title = forms.CharField(max_length=200, label="Title")
    text = forms.CharField(widget=forms.Textarea, label="What happened, what we found and what changed")


class CaseStudyEditForm(GovukForm):
    title = forms.CharField(max_length=200, label="Title")
    text = forms.CharField(widget=forms.Textarea, label="What happened, what we found and what changed")
