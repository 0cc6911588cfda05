"""Case studies (anonymised, approved by a second person), drafts, publishing a frozen version, the PDF's text,
the exports and the public pages."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.complaints.models import Complaint
from candour.organisations.roles import Role
from candour.reporting import services
from candour.reporting.models import CaseStudyStatus, PublishedReport

pytestmark = pytest.mark.django_db
YEAR = 2024


def closed_complaint(org, **fields):
    c, _ = complaint_services.create_complaint(
        actor=None, organisation=org, channel="email", description="The letter never arrived.",
        received_on=datetime.date(2024, 5, 1), complainant_name="Gwen Pritchard",
    )  # fmt: skip
    Complaint.objects.filter(pk=c.pk).update(triage="complaint", closed_on=datetime.date(2024, 6, 1), **fields)
    c.refresh_from_db()
    return c


@pytest.fixture
def people(tree, member):
    agency = tree["agency"]
    return {
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "manager2": member(Role.COMPLAINTS_MANAGER, agency, "manager2"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
        "other_manager": member(Role.COMPLAINTS_MANAGER, tree["sibling"], "other"),
        "oversight": member(Role.PARENT_OVERSIGHT, tree["dept"], "oversight"),
    }


def test_a_case_study_is_anonymised_and_needs_a_second_person(tree, people):
    complaint = closed_complaint(tree["agency"])
    text = (f"Gwen Pritchard (born 4 May 1950) wrote about {complaint.reference} from 3 Bryn Road, Bangor LL57 2AB. "
            "Her daughter rang on 07700 900456. Mrs Pritchard's letter had gone to an old address.")  # fmt: skip
    study = services.create_case_study(actor=people["manager"], complaint=complaint, title="A lost letter", text=text)
    assert study.anonymised_text == (
        "[name] (born [date of birth]) wrote about [reference] from [address] [postcode]. Her daughter rang on "
        "[phone number]. [name] letter had gone to an old address."
    )
    assert study.year == YEAR
    with pytest.raises(ValidationError):
        services.approve_case_study(actor=people["manager"], study=study)  # not its own author
    with pytest.raises(PermissionDenied):
        services.approve_case_study(actor=people["other_manager"], study=study)  # another body
    services.approve_case_study(actor=people["leader"], study=study)
    study.refresh_from_db()
    assert study.status == CaseStudyStatus.APPROVED and study.approved_by == people["leader"]
    services.update_case_study(actor=people["manager"], study=study, title="A lost letter", text="New text.")
    study.refresh_from_db()
    assert study.status == CaseStudyStatus.DRAFT and study.approved_by is None
    verbs = set(AuditEvent.objects.filter(object_type="reporting.casestudy").values_list("verb", flat=True))
    assert verbs == {"case_study_created", "case_study_approved", "case_study_updated"}
    assert not AuditEvent.objects.filter(summary__icontains="Pritchard").exists()


def test_only_closed_complaints_become_case_studies(tree, people):
    complaint = closed_complaint(tree["agency"])
    Complaint.objects.filter(pk=complaint.pk).update(closed_on=None)
    complaint.refresh_from_db()
    with pytest.raises(ValidationError):
        services.create_case_study(actor=people["manager"], complaint=complaint, title="T", text="Text")


def test_only_approved_case_studies_appear_in_the_report(client, tree, people):
    complaint = closed_complaint(tree["agency"])
    study = services.create_case_study(actor=people["manager"], complaint=complaint, title="Draft story", text="x")
    client.force_login(people["manager2"])
    url = reverse("reporting:report", kwargs={"organisation": "agency", "year": YEAR})
    assert "Draft story" not in client.get(url).content.decode()
    client.post(reverse("reporting:case-study-approve", args=[study.pk]))
    page = client.get(url).content.decode()
    assert "Draft story" in page and "Gwen" not in page


def test_the_draft_page_pdf_and_exports(client, tree, people):
    closed_complaint(tree["agency"], channel="letter")
    client.force_login(people["manager"])
    page = client.get(reverse("reporting:report", kwargs={"organisation": "agency", "year": YEAR}))
    text = page.content.decode()
    assert page.status_code == 200 and "we received 1 complaint " in text
    assert 'alt="Complaints received by channel, this year and last. ' in text and "Letter: " in text
    for heading in ("Complainant satisfaction", "Training and role acknowledgement", "Governance reviews"):
        assert heading in text
    # Sections from the other apps render as tables from their selectors (statements from feedback).
    assert "Percent agree" in text
    pdf = client.get(reverse("reporting:download", kwargs={"organisation": "agency", "year": YEAR, "fmt": "pdf"}))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    extracted = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "complaints performance and service improvement report" in extracted
    assert "Timeliness at each stage" in extracted
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    tags = _tagged(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "/H1" in tags and "/H2" in tags  # headings survive into the PDF
    figures = tags.get("/Figure", [])
    assert any(alt.startswith("Complaints received by channel, this year and last. Online form:") for alt in figures)
    assert all(figures)  # every chart has its alt text
    csv = client.get(reverse("reporting:download", kwargs={"organisation": "agency", "year": YEAR, "fmt": "csv"}))
    assert "Complaints received by channel" in csv.content.decode("utf-8-sig")
    ods = client.get(reverse("reporting:download", kwargs={"organisation": "agency", "year": YEAR, "fmt": "ods"}))
    assert ods.content[:2] == b"PK" and ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"


def _tagged(node, found=None) -> dict[str, list[str]]:
    """The PDF's structure tree: each tag with the alternate text of its elements."""
    found = {} if found is None else found
    node = node.get_object()
    if hasattr(node, "get"):
        if "/S" in node:
            found.setdefault(str(node["/S"]), []).append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            _tagged(kid, found)
    return found


def test_exports_neutralise_formulas():
    from candour.reporting.report_exports import to_csv

    out = to_csv([{"title": "T", "head": ["a"], "rows": [['=HYPERLINK("x")'], ["+1"], [5]]}]).decode("utf-8-sig")
    assert "'=HYPERLINK" in out and "'+1" in out and "\n5\r" in out


def test_consolidated_report_needs_oversight_of_the_whole_subtree(client, tree, people):
    client.force_login(people["oversight"])
    url = reverse("reporting:consolidated", kwargs={"organisation": "dept", "year": YEAR})
    page = client.get(url)
    assert page.status_code == 200 and "By organisation" in page.content.decode()
    client.force_login(people["manager"])
    assert client.get(url).status_code == 403


def test_publishing_freezes_a_version_that_later_changes_do_not_touch(client, tree, people):
    agency = tree["agency"]
    closed_complaint(agency)
    with pytest.raises(ValidationError):  # the governing body's response comes first
        services.publish_report(actor=people["leader"], organisation=agency, year=YEAR)
    services.save_details(actor=people["leader"], organisation=agency, year=YEAR, interactions=None,
                          governing_body_response="The board accepts the report.")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.publish_report(actor=people["manager"], organisation=agency, year=YEAR)
    published = services.publish_report(actor=people["leader"], organisation=agency, year=YEAR)
    assert published.version == 1
    assert published.pdf_sha256 == hashlib.sha256(bytes(published.pdf)).hexdigest()
    public = client.get(reverse("reporting_public:report", kwargs={"organisation": "agency", "year": YEAR}))
    before = public.content
    assert before == published.html.encode() and "The board accepts the report." in before.decode()
    assert "'sha256-" in public["Content-Security-Policy"]
    # Later data changes: more complaints. The published version does not move; a draft does.
    for _ in range(3):
        closed_complaint(agency)
    again = client.get(reverse("reporting_public:report", kwargs={"organisation": "agency", "year": YEAR}))
    assert again.content == before
    pdf = client.get(reverse("reporting_public:file",
                             kwargs={"organisation": "agency", "year": YEAR, "version": 1, "fmt": "pdf"}))  # fmt: skip
    assert hashlib.sha256(pdf.content).hexdigest() == published.pdf_sha256
    with pytest.raises(PermissionError):
        published.save()
    with pytest.raises(PermissionError):
        PublishedReport.objects.filter(pk=published.pk).update(html="changed")
    with pytest.raises(PermissionError):
        PublishedReport.objects.all().delete()
    second = services.publish_report(actor=people["leader"], organisation=agency, year=YEAR)
    assert second.version == 2 and "we received 4 complaints" in second.html
    assert "we received 1 complaint " in PublishedReport.objects.get(version=1).html
    listing = client.get("/reports/").content.decode()
    assert "Agency" in listing and "/reports/agency/2024/2/report.pdf" in listing
    assert client.get("/cy/reports/").status_code == 200
