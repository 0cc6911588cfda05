"""Staff pages for People. Views read through selectors and write through services; permission decisions are
the predicates in `candour.people.permissions`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from candour.accounts.models import User
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.people import selectors, services
from candour.people.forms import (
    CompletionForm,
    ExampleForm,
    Fields,
    LineManagerForm,
    ModuleForm,
    ResponsibilityForm,
    ReviewExampleForm,
    SettingsForm,
    SupportForm,
    UploadForm,
)
from candour.people.models import (
    ImportStatus,
    InteractionKind,
    PracticalExample,
    RoleResponsibility,
    TrainingImport,
    TrainingModule,
)
from candour.permissions import has_capability_anywhere, organisation_ids_with


def _page(request, template: str, title: str, **context):
    return render(request, f"people/{template}", {"page_title": title, **context})


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item.message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _choose_body(request, bodies) -> Organisation:
    """The organisation a multi-organisation page is about: `?organisation=slug`, or the first."""
    bodies = list(bodies)
    if not bodies:
        raise PermissionDenied
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    chosen = next((b for b in bodies if b.slug == slug), bodies[0])
    services.ensure_defaults(chosen)
    return chosen


def _person_or_404(viewer, pk: int, perm: str) -> User:
    person = get_object_or_404(User.objects.select_related("line_manager"), pk=pk)
    if not viewer.has_perm(perm, person):
        raise PermissionDenied
    return person


# ---- every colleague ----------------------------------------------------------------------------------------


@login_required
def my_role(request):
    for body in selectors.bodies_where_works(request.user):
        services.ensure_defaults(body)
    if request.method == "POST":
        responsibility = get_object_or_404(RoleResponsibility, pk=request.POST.get("responsibility"))
        services.acknowledge(actor=request.user, responsibility=responsibility)
        messages.success(request, f"You have acknowledged your role as {responsibility.get_role_display().lower()}")
        return redirect("people:my-role")
    items = selectors.responsibilities_for(request.user)
    user = request.user
    links = {
        "colleagues": has_capability_anywhere(user, Cap.MANAGE_CASES)
        or has_capability_anywhere(user, Cap.MANAGE_TRAINING)
        or user.direct_reports.exists(),
        "trainer": has_capability_anywhere(user, Cap.MANAGE_TRAINING),
        "review": user.has_perm("people.review_examples", None),
        "policy": user.has_perm("people.manage_policy", None),
        "reports": has_capability_anywhere(user, Cap.VIEW_AGGREGATES) or has_capability_anywhere(user, Cap.GOVERN),
    }
    return _page(request, "my_role.html", "My role in complaints", items=items, links=links)


@login_required
def my_training(request):
    today = timezone.localdate()
    sections = []
    for body in selectors.bodies_where_works(request.user):
        services.ensure_defaults(body)
        warn = selectors.settings_for(body).reminder_days
        sections.append((body, selectors.training_status(request.user, body, today, warn)))
    return _page(request, "my_training.html", "My training", sections=sections, person=request.user, own=True)


@login_required
def my_examples(request):
    examples = selectors.examples_of(request.user)
    return _page(request, "my_examples.html", "My practical examples", examples=examples)


@login_required
def example_new(request):
    bodies = list(selectors.bodies_where_works(request.user))
    if not bodies:
        raise PermissionDenied
    form = ExampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = next((b for b in bodies if str(b.pk) == request.POST.get("organisation")), bodies[0])
        data = form.cleaned_data
        try:
            services.record_example(actor=request.user, organisation=body, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Your practical example has been recorded")
            return redirect("people:my-examples")
    return _page(request, "example_form.html", "Record a practical example", form=form, f=Fields(form), bodies=bodies)


# ---- managers and trainers -----------------------------------------------------------------------------------


@login_required
def colleagues(request):
    people = list(selectors.colleagues_visible_to(request.user))
    if not people and not (
        has_capability_anywhere(request.user, Cap.MANAGE_CASES)
        or has_capability_anywhere(request.user, Cap.MANAGE_TRAINING)
    ):
        raise PermissionDenied
    return _page(
        request, "colleagues.html", "Colleagues", people=people, manageable=selectors.people_manageable_by(request.user)
    )


@login_required
def colleague(request, pk: int):
    person = _person_or_404(request.user, pk, "people.view_training")
    today = timezone.localdate()
    sections = []
    for body in selectors.bodies_where_works(person):
        services.ensure_defaults(body)
        sections.append(
            (body, selectors.training_status(person, body, today, selectors.settings_for(body).reminder_days))
        )
    can_see_support = request.user.has_perm("people.view_support", person)
    return _page(
        request,
        "colleague.html",
        str(person),
        person=person,
        sections=sections,
        examples=selectors.examples_of(person) if request.user.has_perm("people.view_examples", person) else None,
        support=selectors.support_records_of(person) if can_see_support else None,
        can_record_support=request.user.has_perm("people.record_support", person),
        can_set_line_manager=request.user.has_perm("people.manage_people", person),
    )


@login_required
def line_manager(request, pk: int):
    person = _person_or_404(request.user, pk, "people.manage_people")
    candidates = selectors.line_manager_candidates(person)
    form = LineManagerForm(
        request.POST or None, people=candidates, initial={"line_manager": str(person.line_manager_id or "")}
    )
    if request.method == "POST" and form.is_valid():
        chosen = next((p for p in candidates if str(p.pk) == form.cleaned_data["line_manager"]), None)
        try:
            services.set_line_manager(actor=request.user, colleague=person, line_manager=chosen)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if chosen is None:
                messages.success(request, f"{person} no longer has a line manager")
            else:
                messages.success(request, f"{chosen} is now {person}’s line manager")
            if request.user.has_perm("people.view_training", person):
                return redirect("people:colleague", pk=person.pk)
            return redirect("people:colleagues")
    return _page(request, "line_manager.html", f"Line manager for {person}", form=form, f=Fields(form), person=person)


@login_required
def support_new(request, pk: int):
    person = _person_or_404(request.user, pk, "people.record_support")
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_support(actor=request.user, colleague=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"The debrief with {person} has been recorded")
            return redirect("people:colleague", pk=person.pk)
    return _page(
        request, "support_form.html", f"Record a debrief with {person}", form=form, f=Fields(form), person=person
    )


@login_required
def support_list(request):
    records = list(selectors.support_records_visible_to(request.user)[:200])
    if not records and not has_capability_anywhere(request.user, Cap.MANAGE_CASES):
        if not request.user.direct_reports.exists():
            raise PermissionDenied
    return _page(
        request, "support_list.html", "Debriefs and support", records=records, kinds=dict(InteractionKind.choices)
    )


# ---- trainers ------------------------------------------------------------------------------------------------


def _trainer_body(request) -> tuple[Organisation, list[Organisation]]:
    bodies = list(selectors.bodies_with(request.user, Cap.MANAGE_TRAINING))
    return _choose_body(request, bodies), bodies


@login_required
def catalogue(request):
    body, bodies = _trainer_body(request)
    return _page(
        request, "catalogue.html", "Training catalogue", body=body, bodies=bodies, modules=selectors.modules_of(body)
    )


@login_required
def module_edit(request, pk: int | None = None):
    module = None
    if pk is not None:
        module = get_object_or_404(TrainingModule.objects.select_related("organisation"), pk=pk)
        if not request.user.has_perm("people.manage_training", module.organisation):
            raise PermissionDenied
        body, bodies = module.organisation, [module.organisation]
    else:
        body, bodies = _trainer_body(request)
    initial = None
    if module:
        initial = {name: getattr(module, name) for name in services.MODULE_FIELDS}
    form = ModuleForm(request.POST or None, initial=initial or {"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            if module:
                services.update_module(actor=request.user, module=module, **form.cleaned_data)
            else:
                services.create_module(actor=request.user, organisation=body, **form.cleaned_data)
        except ValidationError as error:
            if "__all__" in getattr(error, "error_dict", {}):
                error = ValidationError({"code": "A module with this code already exists"})
            _apply_errors(form, error)
        else:
            messages.success(request, "The training module has been saved")
            return redirect(reverse("people:catalogue") + f"?organisation={body.slug}")
    title = f"Edit {module.title}" if module else "Add a training module"
    return _page(request, "module_form.html", title, form=form, f=Fields(form), module=module, body=body)


@login_required
def completion_new(request):
    body, bodies = _trainer_body(request)
    people = list(
        User.objects.filter(memberships__organisation_id__in=selectors.parts_of(body)).distinct().order_by("first_name")
    )
    modules = list(selectors.modules_of(body).filter(active=True))
    form = CompletionForm(request.POST or None, people=people, modules=modules)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_completion(
                actor=request.user,
                user=next(p for p in people if str(p.pk) == data["user"]),
                module=next(m for m in modules if str(m.pk) == data["module"]),
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                provider=data["provider"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The training completion has been recorded")
            return redirect(reverse("people:completion-new") + f"?organisation={body.slug}")
    return _page(
        request,
        "completion_form.html",
        "Record a training completion",
        form=form,
        f=Fields(form),
        body=body,
        bodies=bodies,
    )


@login_required
def import_upload(request):
    body, bodies = _trainer_body(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = services.upload_training_csv(
            actor=request.user,
            organisation=body,
            filename=upload.name,
            raw=upload.read(services.csv_import.MAX_BYTES + 1),
        )
        if outcome.check.file_error:
            form.add_error("file", outcome.check.file_error)
        elif outcome.imported:
            messages.success(request, f"{outcome.imported} training completions imported")
            return redirect(reverse("people:import") + f"?organisation={body.slug}")
        else:
            return redirect("people:import-detail", pk=outcome.upload.pk)
    return _page(
        request,
        "import.html",
        "Import training completions",
        form=form,
        body=body,
        bodies=bodies,
        recent=selectors.recent_imports(request.user),
    )


@login_required
def import_detail(request, pk: int):
    upload = get_object_or_404(TrainingImport.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("people.manage_training", upload.organisation):
        raise PermissionDenied
    if request.method == "POST" and upload.status == ImportStatus.CHECKED:
        if request.POST.get("action") == "import":
            count = services.import_valid_rows(actor=request.user, upload=upload)
            messages.success(request, f"{count} training completions imported. The rows with errors were not imported")
        else:
            services.cancel_import(actor=request.user, upload=upload)
            messages.success(request, "Nothing was imported from the file")
        return redirect(reverse("people:import") + f"?organisation={upload.organisation.slug}")
    check = services.check_upload(upload) if upload.status == ImportStatus.CHECKED else None
    return _page(request, "import_detail.html", "Check the training file", upload=upload, check=check)


@login_required
def compliance(request):
    bodies = list(selectors.bodies_with(request.user, Cap.MANAGE_TRAINING))
    if not bodies:
        raise PermissionDenied
    for body in bodies:
        services.ensure_defaults(body)
    today = timezone.localdate()
    facts = selectors.compliance_facts([b.pk for b in bodies], today)
    return _page(
        request,
        "compliance.html",
        "Training compliance",
        today=today,
        summary=selectors.compliance_summary([b.pk for b in bodies], today),
        teams=selectors.compliance_by_team(facts),
        people=selectors.compliance_by_person(facts),
    )


@login_required
def acknowledgements(request):
    org_ids = set()
    for cap in (Cap.VIEW_AGGREGATES, Cap.GOVERN, Cap.MANAGE_TRAINING):
        org_ids |= organisation_ids_with(request.user, cap)
    if not org_ids:
        raise PermissionDenied
    rows = selectors.acknowledgement_report(org_ids)
    return _page(request, "acknowledgements.html", "Acknowledgement of role responsibilities", rows=rows)


# ---- senior leaders ------------------------------------------------------------------------------------------


def _policy_bodies(request) -> list[Organisation]:
    ids = organisation_ids_with(request.user, Cap.GOVERN) | organisation_ids_with(request.user, Cap.MANAGE_ORGANISATION)
    return list(Organisation.objects.filter(pk__in=ids, kind__in=list(selectors.BODY_KIND_VALUES)))


@login_required
def responsibilities(request):
    body = _choose_body(request, _policy_bodies(request))
    items = RoleResponsibility.objects.filter(organisation=body).order_by("role")
    return _page(
        request,
        "responsibilities.html",
        "Role responsibilities",
        body=body,
        bodies=_policy_bodies(request),
        items=items,
    )


@login_required
def responsibility_edit(request, pk: int):
    item = get_object_or_404(RoleResponsibility.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("people.manage_policy", item.organisation):
        raise PermissionDenied
    initial = {"summary": item.summary, "expectations": item.expectations, "examples": item.examples}
    form = ResponsibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_responsibility(actor=request.user, responsibility=item, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, "The responsibilities have been saved. Colleagues will be asked to read them again"
            )
            return redirect(reverse("people:responsibilities") + f"?organisation={item.organisation.slug}")
    return _page(
        request, "responsibility_form.html", f"Edit: {item.get_role_display()}", form=form, f=Fields(form), item=item
    )


@login_required
def people_settings(request):
    body = _choose_body(request, _policy_bodies(request))
    current = selectors.settings_for(body)
    initial = {"investigator_training_gate": current.investigator_training_gate, "reminder_days": current.reminder_days}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_settings(actor=request.user, organisation=body, **form.cleaned_data)
        messages.success(request, "The training settings have been saved")
        return redirect(reverse("people:settings") + f"?organisation={body.slug}")
    return _page(
        request,
        "settings.html",
        "Training settings",
        form=form,
        f=Fields(form),
        body=body,
        bodies=_policy_bodies(request),
    )


@login_required
def examples_review(request):
    if not request.user.has_perm("people.review_examples", None):
        raise PermissionDenied
    return _page(
        request,
        "examples_review.html",
        "Practical examples for reports",
        examples=selectors.examples_to_review(request.user),
    )


@login_required
def example_review(request, pk: int):
    example = get_object_or_404(PracticalExample.objects.select_related("author", "organisation"), pk=pk)
    if not request.user.has_perm("people.review_examples", example.organisation):
        raise PermissionDenied
    initial = {"anonymised_text": example.anonymised_text, "approve": example.approved_for_reports}
    form = ReviewExampleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_example(
                actor=request.user,
                example=example,
                anonymised_text=form.cleaned_data["anonymised_text"],
                approve=form.cleaned_data["approve"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The practical example has been reviewed")
            return redirect("people:examples-review")
    return _page(
        request, "example_review.html", "Review a practical example", form=form, f=Fields(form), example=example
    )
