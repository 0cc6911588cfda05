from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from candour.complaints import services as complaint_services
from candour.complaints.selectors import complaint_for_user
from candour.organisations.roles import Cap
from candour.permissions import has_capability_anywhere
from candour.privacy.forms import RectificationForm, SubjectAccessForm
from candour.privacy.services import subject_access_export


@login_required
def subject_access(request):
    """Complaints managers answer a subject access request: a ZIP of everything held about the person."""
    if not has_capability_anywhere(request.user, Cap.MANAGE_CASES):
        raise PermissionDenied
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, _count = subject_access_export(
            actor=request.user, email=form.cleaned_data["email"], name=form.cleaned_data["name"], user=request.user
        )
        response = HttpResponse(data, content_type="application/zip")
        filename = f"subject-access-{timezone.localdate():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "privacy/subject_access.html",
        {"page_title": "Subject access request", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def correct_details(request, reference):
    """Rectification: correct the complainant's details. The audit trail records which fields changed."""
    complaint = complaint_for_user(request.user, reference)
    if not request.user.has_perm("complaints.handle", complaint):
        raise PermissionDenied
    if complaint.anonymised_at is not None:
        messages.info(request, "This complaint's personal data was removed under the retention schedule.")
    form = RectificationForm(request.POST or None, instance=complaint)
    if request.method == "POST" and form.is_valid() and complaint.anonymised_at is None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if changes:
            complaint_services.update_details(actor=request.user, complaint=complaint, **changes)
            messages.success(request, "The details have been corrected.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("privacy:correct-details", reference=complaint.reference)
    return render(
        request,
        "privacy/correct_details.html",
        {"page_title": f"Correct details – {complaint.reference}", "form": form, "complaint": complaint},
        status=400 if form.errors else 200,
    )
