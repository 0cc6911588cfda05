"""Importing an e-learning export: every row checked, errors by line, nothing imported from a file with errors
unless the trainer chooses to import the valid rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import ImportStatus, TrainingCompletion, TrainingImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(agency, member, make_user):
    from candour.organisations import services as org_services

    huw = make_user("huw", email="huw@agency.gov.uk")
    org_services.add_membership(actor=None, user=huw, organisation=agency, role=Role.COMPLAINT_HANDLER)
    iwan = make_user("iwan", email="iwan@agency.gov.uk")
    org_services.add_membership(actor=None, user=iwan, organisation=agency, role=Role.INVESTIGATOR)
    return {"huw": huw, "iwan": iwan, "trainer": member(Role.TRAINER, agency)}


GOOD = (
    "Email,Course code,Completed,Provider,Evidence\n"
    "huw@agency.gov.uk,early-resolution,05/01/2026,Civil Service Learning,CSL-1\n"
    "IWAN@agency.gov.uk,Investigating complaints,2026-01-06,Civil Service Learning,CSL-2\n"
)

BAD = (
    "Email,Module,Completed,Expires\n"
    "huw@agency.gov.uk,early-resolution,05/01/2026,\n"  # line 2: fine
    "huw@agency.gov.uk,final-responses,31/02/2026,\n"  # line 3: no such date
    "nobody@agency.gov.uk,early-resolution,05/01/2026,\n"  # line 4: unknown person
    "iwan@agency.gov.uk,investigating-complaints,2026-01-06,\n"  # line 5: fine
    "huw@agency.gov.uk,early-resolution,05/01/2026,\n"  # line 6: repeats line 2
    "iwan@agency.gov.uk,basket-weaving,06/01/2026,\n"  # line 7: unknown module
    "iwan@agency.gov.uk,remedies,06/01/2026,01/01/2026\n"  # line 8: expires before completed
    "huw@agency.gov.uk,remedies,01/01/2099,\n"  # line 9: in the future
)


def upload(actor, agency, text, encoding="utf-8"):
    return services.upload_training_csv(
        actor=actor, organisation=agency, filename="export.csv", raw=text.encode(encoding)
    )


def test_a_clean_file_is_imported_at_once_with_expiries_from_the_refresh_period(agency, people):
    outcome = upload(people["trainer"], agency, GOOD)
    assert outcome.imported == 2 and not outcome.check.errors
    completion = TrainingCompletion.objects.get(user=people["iwan"])
    assert (completion.module.code, completion.completed_on, completion.expires_on) == (
        "investigating-complaints",
        datetime.date(2026, 1, 6),
        datetime.date(2028, 1, 6),
    )
    assert completion.source == "import" and completion.evidence == "CSL-2"


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_line(agency, people):
    outcome = upload(people["trainer"], agency, BAD)
    assert TrainingCompletion.objects.count() == 0
    messages = [e.message for e in outcome.check.errors]
    assert [e.line for e in outcome.check.errors] == [3, 4, 6, 7, 8, 9]
    assert "Line 3: the completion date “31/02/2026” must be a real date like 31/03/2026" in messages
    assert "Line 4: “nobody@agency.gov.uk” is not a colleague in Agency" in messages
    assert "Line 6: it repeats line 2" in messages
    assert "Line 7: “basket-weaving” is not a module in the training catalogue" in messages
    assert "Line 8: the expiry date must be after the completion date" in messages
    assert "Line 9: the completion date 01/01/2099 is in the future" in messages
    assert [row.line for row in outcome.check.valid] == [2, 5]
    assert outcome.upload.status == ImportStatus.CHECKED


def test_the_trainer_can_choose_to_import_only_the_valid_rows(agency, people):
    outcome = upload(people["trainer"], agency, BAD)
    assert services.import_valid_rows(actor=people["trainer"], upload=outcome.upload) == 2
    assert set(TrainingCompletion.objects.values_list("user__username", "module__code")) == {
        ("huw", "early-resolution"),
        ("iwan", "investigating-complaints"),
    }
    # Uploading the same file again: those rows are now already recorded.
    again = upload(people["trainer"], agency, BAD)
    assert "Line 2: this completion is already recorded" in [e.message for e in again.check.errors]


def test_a_file_in_the_wrong_encoding_is_refused_naming_the_line(agency, people):
    text = (
        "Email,Module,Completed\n"
        "huw@agency.gov.uk,early-resolution,05/01/2026\n"
        "huw@agency.gov.uk,remedies,05/01/2026 – Siân\n"
    )
    outcome = upload(people["trainer"], agency, text, encoding="cp1252")
    assert outcome.check.file_error.startswith("The file is not UTF-8 text (line 3 ")
    assert not outcome.check.can_import_valid_rows
    assert TrainingImport.objects.count() == 0 and TrainingCompletion.objects.count() == 0


def test_a_file_without_the_headings_is_refused(agency, people):
    outcome = upload(people["trainer"], agency, "name,course\nHuw,early-resolution\n")
    assert outcome.check.file_error == "Line 1 must have the column headings email (or username), completed"


def test_the_trainer_sees_errors_by_line_and_chooses_to_import_the_valid_rows(client, agency, people):
    client.force_login(people["trainer"])
    response = client.post(
        reverse("people:import"),
        {"file": SimpleUploadedFile("export.csv", BAD.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "6 rows have problems" in page
    assert "Line 4: “nobody@agency.gov.uk” is not a colleague in Agency" in page
    assert "Import the 2 valid rows" in page
    assert TrainingCompletion.objects.count() == 0
    response = client.post(response["Location"], {"action": "import"}, follow=True)
    assert "2 training completions imported" in response.content.decode()
    assert TrainingCompletion.objects.count() == 2


def test_the_trainer_can_import_nothing(client, agency, people):
    client.force_login(people["trainer"])
    location = client.post(reverse("people:import"), {"file": SimpleUploadedFile("e.csv", BAD.encode())})["Location"]
    client.post(location, {"action": "cancel"})
    assert TrainingCompletion.objects.count() == 0
    assert TrainingImport.objects.get().status == ImportStatus.CANCELLED


def test_a_wrongly_encoded_upload_shows_an_error_beside_the_field(client, agency, people):
    client.force_login(people["trainer"])
    response = client.post(
        reverse("people:import"),
        {"file": SimpleUploadedFile("e.csv", "Email,Module,Completed\nSiân,x,y\n".encode("cp1252"))},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Save it as “CSV UTF-8”" in page


def test_only_trainers_can_import(client, agency, people):
    client.force_login(people["huw"])
    assert client.get(reverse("people:import")).status_code == 403
