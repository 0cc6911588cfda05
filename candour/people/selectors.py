"""Reads for People, scoped to what the viewer may see. Compliance and acknowledgement figures are worked out
from a fixed handful of queries over ids (never names), whatever the number of people."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from candour.accounts.models import User
from candour.organisations.models import BODY_KIND_VALUES, Membership, Organisation
from candour.organisations.roles import Cap, Role
from candour.people import permissions as people_perms
from candour.people.models import (
    Acknowledgement,
    PeopleSettings,
    PracticalExample,
    RoleResponsibility,
    SupportRecord,
    TrainingCompletion,
    TrainingImport,
    TrainingModule,
)
from candour.permissions import organisation_ids_with


def current_completions(on_date: datetime.date) -> QuerySet[TrainingCompletion]:
    """Completions current on `on_date`: completed on or before it, and expiring after it (or never)."""
    return TrainingCompletion.objects.filter(completed_on__lte=on_date).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=on_date)
    )


def has_current_training(user, module_code: str, on_date: datetime.date) -> bool:
    """Whether `user` holds current training in the module with this code (in any organisation's catalogue)."""
    return current_completions(on_date).filter(user=user, module__code=module_code).exists()


# ---- organisations ----------------------------------------------------------------------------------------


def bodies_with(user, capability: str) -> QuerySet[Organisation]:
    """The organisations in their own right in which `user` holds `capability`."""
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, capability), kind__in=BODY_KIND_VALUES)


def bodies_where_works(user) -> QuerySet[Organisation]:
    """The organisations in their own right that `user` has a role in (directly or through a team)."""
    paths = list(Organisation.objects.filter(memberships__user=user).values_list("path", flat=True))
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    bodies = list(Organisation.objects.filter(pk__in=ids, kind__in=BODY_KIND_VALUES))
    # Only the nearest body above each membership.
    nearest = set()
    for path in paths:
        matches = [b for b in bodies if path.startswith(b.path)]
        if matches:
            nearest.add(max(matches, key=lambda b: len(b.path)).pk)
    return Organisation.objects.filter(pk__in=nearest).order_by("name")


@dataclass
class OrgMap:
    """Each organisation id under some bodies, mapped to the body it belongs to, with names for teams."""

    body_of: dict[int, int]
    names: dict[int, str]


def _org_map(body_ids) -> OrgMap:
    bodies = list(Organisation.objects.filter(pk__in=body_ids).values_list("pk", "path"))
    if not bodies:
        return OrgMap({}, {})
    condition = Q()
    for _pk, path in bodies:
        condition |= Q(path__startswith=path)
    rows = list(Organisation.objects.filter(condition).values_list("pk", "path", "kind", "name"))
    body_paths = {path: pk for pk, path, kind, _n in rows if kind in BODY_KIND_VALUES}
    wanted = {pk for pk, _ in bodies}
    body_of, names = {}, {}
    for pk, path, _kind, name in rows:
        nearest = max((p for p in body_paths if path.startswith(p)), key=len)
        if body_paths[nearest] in wanted:
            body_of[pk] = body_paths[nearest]
            names[pk] = name
    return OrgMap(body_of, names)


# ---- compliance -------------------------------------------------------------------------------------------


@dataclass
class PersonCompliance:
    user_id: int
    body_id: int
    required: set[int] = field(default_factory=set)
    current: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)  # organisation ids (body or teams) of their memberships

    @property
    def missing(self) -> set[int]:
        return self.required - self.current

    @property
    def compliant(self) -> bool:
        return not self.missing


@dataclass
class ComplianceFacts:
    on_date: datetime.date
    org_map: OrgMap
    modules: dict[int, dict]
    people: dict[tuple[int, int], PersonCompliance]  # (body id, user id)


def compliance_facts(body_ids, on_date: datetime.date) -> ComplianceFacts:
    """Who must hold which module in each body, and who does, from five queries."""
    org_map = _org_map(body_ids)
    modules = {
        row["pk"]: row
        for row in TrainingModule.objects.filter(organisation_id__in=set(org_map.body_of.values()), active=True)
        .values("pk", "organisation_id", "code", "title", "required_for_roles")
        .order_by("title")
    }
    by_body_role: dict[tuple[int, str], set[int]] = defaultdict(set)
    for module in modules.values():
        for role in module["required_for_roles"]:
            by_body_role[(module["organisation_id"], role)].add(module["pk"])
    people: dict[tuple[int, int], PersonCompliance] = {}
    memberships = Membership.objects.filter(organisation_id__in=list(org_map.body_of)).values_list(
        "user_id", "organisation_id", "role"
    )
    for user_id, org_id, role in memberships:
        body_id = org_map.body_of[org_id]
        person = people.setdefault((body_id, user_id), PersonCompliance(user_id, body_id))
        person.required |= by_body_role.get((body_id, role), set())
        person.units.add(org_id)
    current = current_completions(on_date).filter(module_id__in=list(modules)).values_list("user_id", "module_id")
    for user_id, module_id in current.distinct():
        person = people.get((modules[module_id]["organisation_id"], user_id))
        if person is not None:
            person.current.add(module_id)
    return ComplianceFacts(on_date, org_map, modules, people)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def compliance_summary(organisation_ids, on_date: datetime.date) -> list[dict]:
    """For governance: per organisation, how many people must hold training, how many hold all of it, and the
    same per module. Counts only: no names."""
    body_ids = Organisation.objects.filter(pk__in=organisation_ids, kind__in=BODY_KIND_VALUES).values_list(
        "pk", flat=True
    )
    facts = compliance_facts(list(body_ids), on_date)
    result = []
    for body_id in sorted(set(facts.org_map.body_of.values()), key=lambda pk: facts.org_map.names[pk]):
        people = [p for (b, _u), p in facts.people.items() if b == body_id and p.required]
        compliant = sum(1 for p in people if p.compliant)
        modules = []
        for module in facts.modules.values():
            if module["organisation_id"] != body_id:
                continue
            required = [p for p in people if module["pk"] in p.required]
            current = sum(1 for p in required if module["pk"] in p.current)
            modules.append(
                {
                    "code": module["code"],
                    "title": module["title"],
                    "required": len(required),
                    "current": current,
                    "percent": _percent(current, len(required)),
                }
            )
        result.append(
            {
                "organisation_id": body_id,
                "organisation": facts.org_map.names[body_id],
                "people_required": len(people),
                "compliant": compliant,
                "percent": _percent(compliant, len(people)),
                "modules": modules,
            }
        )
    return result


def compliance_by_team(facts: ComplianceFacts) -> list[dict]:
    """Per team (or the organisation itself, for colleagues not in a team): people required and compliant."""
    groups: dict[int, list[PersonCompliance]] = defaultdict(list)
    for person in facts.people.values():
        if person.required:
            for unit in person.units:
                groups[unit].append(person)
    rows = []
    for unit, people in groups.items():
        compliant = sum(1 for p in people if p.compliant)
        body_id = facts.org_map.body_of[unit]
        rows.append(
            {
                "organisation": facts.org_map.names[body_id],
                "team": facts.org_map.names[unit] if unit != body_id else "Not in a team",
                "people_required": len(people),
                "compliant": compliant,
                "percent": _percent(compliant, len(people)),
            }
        )
    return sorted(rows, key=lambda r: (r["organisation"], r["team"]))


def compliance_by_person(facts: ComplianceFacts) -> list[dict]:
    """For trainers: each person who must hold training, and what is missing. One query for the names."""
    people = [p for p in facts.people.values() if p.required]
    users = User.objects.in_bulk({p.user_id for p in people})
    rows = []
    for person in people:
        rows.append(
            {
                "user": users[person.user_id],
                "organisation": facts.org_map.names[person.body_id],
                "required": len(person.required),
                "current": len(person.required & person.current),
                "missing": sorted(facts.modules[m]["title"] for m in person.missing),
                "compliant": person.compliant,
            }
        )
    return sorted(rows, key=lambda r: (r["organisation"], str(r["user"])))


@dataclass
class ModuleStatus:
    module: TrainingModule
    required: bool
    latest: TrainingCompletion | None
    status: str  # current, expiring, expired, missing

    @property
    def label(self) -> str:
        return {
            "current": "Current",
            "expiring": "Expires soon",
            "expired": "Expired",
            "missing": "Not completed",
            "not_required": "Not required",
        }[self.status]


def training_status(person, body: Organisation, on_date: datetime.date, warn_days: int = 30) -> list[ModuleStatus]:
    """A colleague's position on each module in one organisation's catalogue."""
    roles = set(
        Membership.objects.filter(user=person, organisation_id__in=parts_of(body)).values_list("role", flat=True)
    )
    completions = TrainingCompletion.objects.filter(user=person, module__organisation=body, completed_on__lte=on_date)
    latest: dict[int, TrainingCompletion] = {}
    for completion in completions.order_by("completed_on"):
        latest[completion.module_id] = completion
    rows = []
    for module in TrainingModule.objects.filter(organisation=body, active=True).order_by("title"):
        required = bool(roles & set(module.required_for_roles))
        completion = latest.get(module.pk)
        if completion is None:
            status = "missing" if required else "not_required"
        elif completion.expires_on is None or completion.expires_on > on_date + datetime.timedelta(days=warn_days):
            status = "current"
        elif completion.expires_on > on_date:
            status = "expiring"
        else:
            status = "expired"
        if required or completion is not None:
            rows.append(ModuleStatus(module, required, completion, status))
    return rows


def parts_of(body: Organisation) -> list[int]:
    """The ids of a body and its own directorates and teams (not the related bodies beneath it)."""
    return [pk for pk, body_id in _org_map([body.pk]).body_of.items() if body_id == body.pk]


# ---- acknowledgements -------------------------------------------------------------------------------------


def responsibilities_for(user) -> list[tuple[Organisation, RoleResponsibility, bool]]:
    """Each of the user's roles with what it carries, and whether they have acknowledged its current version."""
    bodies = list(bodies_where_works(user))
    result = []
    for body in bodies:
        roles = set(
            Membership.objects.filter(user=user, organisation_id__in=parts_of(body)).values_list("role", flat=True)
        )
        acknowledged = Acknowledgement.objects.filter(
            user=user, responsibility=OuterRef("pk"), version=OuterRef("version")
        )
        for responsibility in RoleResponsibility.objects.filter(organisation=body, role__in=roles).annotate(
            acknowledged=Exists(acknowledged)
        ):
            result.append((body, responsibility, responsibility.acknowledged))
    return result


def acknowledgement_report(organisation_ids) -> list[dict]:
    """Per organisation and team: colleagues whose roles carry responsibilities, and how many have acknowledged
    the current version of all of them. Counts only."""
    body_ids = list(
        Organisation.objects.filter(pk__in=organisation_ids, kind__in=BODY_KIND_VALUES).values_list("pk", flat=True)
    )
    org_map = _org_map(body_ids)
    responsibilities = {
        (org_id, role): (pk, version)
        for pk, org_id, role, version in RoleResponsibility.objects.filter(organisation_id__in=body_ids).values_list(
            "pk", "organisation_id", "role", "version"
        )
    }
    acknowledged = set(
        Acknowledgement.objects.filter(responsibility__organisation_id__in=body_ids).values_list(
            "user_id", "responsibility_id", "version"
        )
    )
    needed: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    units: dict[tuple[int, int], set[int]] = defaultdict(set)
    for user_id, org_id, role in Membership.objects.filter(organisation_id__in=list(org_map.body_of)).values_list(
        "user_id", "organisation_id", "role"
    ):
        body_id = org_map.body_of[org_id]
        if (body_id, role) in responsibilities:
            needed[(body_id, user_id)].add(responsibilities[(body_id, role)])
            units[(body_id, user_id)].add(org_id)
    rows: dict[tuple[int, int | None], dict] = {}
    for (body_id, user_id), items in needed.items():
        done = all((user_id, pk, version) in acknowledged for pk, version in items)
        for unit in [None, *sorted(units[(body_id, user_id)] - {body_id})]:
            row = rows.setdefault(
                (body_id, unit),
                {
                    "organisation": org_map.names[body_id],
                    "team": org_map.names[unit] if unit else "Whole organisation",
                    "people": 0,
                    "acknowledged": 0,
                },
            )
            row["people"] += 1
            row["acknowledged"] += int(done)
    for row in rows.values():
        row["percent"] = _percent(row["acknowledged"], row["people"])
    return sorted(rows.values(), key=lambda r: (r["organisation"], r["team"] != "Whole organisation", r["team"]))


# ---- colleagues, examples and support ----------------------------------------------------------------------


def colleagues_visible_to(viewer, *, include_trainer: bool = True) -> QuerySet[User]:
    """Colleagues whose records `viewer` may see as a manager (or trainer): never everyone."""
    caps = [people_perms.MANAGER_CAP] + ([people_perms.TRAINER_CAP] if include_trainer else [])
    org_ids = set().union(*(organisation_ids_with(viewer, cap) for cap in caps))
    in_scope = Membership.objects.filter(organisation_id__in=org_ids).values("user_id")
    return (
        User.objects.filter(Q(line_manager=viewer) | Q(pk__in=in_scope))
        .exclude(pk=viewer.pk)
        .select_related("line_manager")
        .order_by("first_name", "last_name", "username")
    )


def line_manager_candidates(person) -> list[User]:
    """Who may be `person`'s line manager: active colleagues with a role in one of person's organisations or an
    organisation above it (never person themself). Their current line manager is always included, so the page
    shows who it is even if they have since moved on."""
    paths = Membership.objects.filter(user=person).values_list("organisation__path", flat=True)
    allowed = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    in_scope = Membership.objects.filter(organisation_id__in=allowed).values("user_id")
    condition = Q(pk__in=in_scope, is_active=True)
    if person.line_manager_id:
        condition |= Q(pk=person.line_manager_id)
    return list(User.objects.filter(condition).exclude(pk=person.pk).order_by("first_name", "last_name", "username"))


def people_manageable_by(viewer) -> set[int]:
    """Ids of colleagues whose line manager `viewer` may set (`people.manage_people`), in one query."""
    org_ids = organisation_ids_with(viewer, Cap.MANAGE_PEOPLE)
    if not org_ids:
        return set()
    ids = set(Membership.objects.filter(organisation_id__in=org_ids).values_list("user_id", flat=True))
    return ids - {viewer.pk}


def bodies_of_organisations(org_ids) -> list[int]:
    """The ids of the nearest organisations in their own right at or above each of `org_ids`."""
    paths = list(Organisation.objects.filter(pk__in=org_ids).values_list("path", flat=True))
    ancestor_ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    body_paths = dict(
        Organisation.objects.filter(pk__in=ancestor_ids, kind__in=BODY_KIND_VALUES).values_list("path", "pk")
    )
    bodies = set()
    for path in paths:
        matches = [p for p in body_paths if path.startswith(p)]
        if matches:
            bodies.add(body_paths[max(matches, key=len)])
    return sorted(bodies)


def training_compliance_visible_to(viewer, on_date: datetime.date) -> list[dict]:
    """Each colleague whose training `viewer` may see (themself, the people they line manage, and everyone in the
    organisations where they are a complaints manager, senior leader or trainer: `people.view_training`), per
    organisation they work in, with what their roles require and what is missing. A fixed number of queries."""
    visible = {viewer.pk} | set(colleagues_visible_to(viewer).order_by().values_list("pk", flat=True))
    unit_ids = set(Membership.objects.filter(user_id__in=visible).values_list("organisation_id", flat=True))
    facts = compliance_facts(bodies_of_organisations(unit_ids), on_date)
    people = [p for (_body, user_id), p in facts.people.items() if user_id in visible and p.required]
    users = User.objects.in_bulk({p.user_id for p in people})
    slugs = dict(Organisation.objects.filter(pk__in={p.body_id for p in people}).values_list("pk", "slug"))
    rows = []
    for person in people:
        user = users[person.user_id]
        missing = sorted(person.missing, key=lambda pk: facts.modules[pk]["title"])
        rows.append(
            {
                "username": user.username,
                "name": str(user),
                "organisation": slugs[person.body_id],
                "required": len(person.required),
                "current": len(person.required & person.current),
                "compliant": person.compliant,
                "missing": [{"code": facts.modules[m]["code"], "title": facts.modules[m]["title"]} for m in missing],
            }
        )
    return sorted(rows, key=lambda r: (r["organisation"], r["name"], r["username"]))


def modules_visible_to(viewer) -> QuerySet[TrainingModule]:
    """The training catalogue of each organisation the viewer works in (modules in use), and the whole catalogue
    (including modules no longer in use) where they are a trainer."""
    works = list(bodies_where_works(viewer).values_list("pk", flat=True))
    trains = organisation_ids_with(viewer, Cap.MANAGE_TRAINING)
    return (
        TrainingModule.objects.filter(Q(organisation_id__in=works, active=True) | Q(organisation_id__in=trains))
        .select_related("organisation")
        .order_by("organisation__name", "title", "pk")
    )


def examples_of(person) -> QuerySet[PracticalExample]:
    return PracticalExample.objects.filter(author=person).select_related("organisation", "approved_by")


def examples_to_review(viewer) -> QuerySet[PracticalExample]:
    return (
        PracticalExample.objects.filter(organisation_id__in=organisation_ids_with(viewer, Cap.MANAGE_LEARNING))
        .select_related("author", "organisation")
        .order_by("approved_for_reports", "-occurred_on")
    )


def approved_examples(organisation_ids, start: datetime.date | None = None, end: datetime.date | None = None):
    """For reports: the anonymised text of approved examples. Never the author or the original text."""
    examples = PracticalExample.objects.filter(organisation_id__in=organisation_ids, approved_for_reports=True)
    if start:
        examples = examples.filter(occurred_on__gte=start)
    if end:
        examples = examples.filter(occurred_on__lte=end)
    return list(examples.values("organisation__name", "occurred_on", "anonymised_text"))


def support_records_of(person) -> QuerySet[SupportRecord]:
    return SupportRecord.objects.filter(colleague=person).select_related("recorded_by", "organisation")


def support_records_visible_to(viewer) -> QuerySet[SupportRecord]:
    """Debriefs of the viewer's reports (as line manager, or as a complaints manager or senior leader)."""
    org_ids = organisation_ids_with(viewer, people_perms.MANAGER_CAP)
    in_scope = Membership.objects.filter(organisation_id__in=org_ids).values("user_id")
    return (
        SupportRecord.objects.filter(Q(colleague__line_manager=viewer) | Q(colleague_id__in=in_scope))
        .exclude(colleague=viewer)
        .select_related("colleague", "recorded_by", "organisation")
    )


def support_counts(organisation_ids, start: datetime.date, end: datetime.date) -> list[dict]:
    """For governance: debriefs in a period per organisation, by kind of interaction and support offered.
    Counts only, worked out in the database: no names."""
    records = SupportRecord.objects.filter(
        organisation_id__in=organisation_ids, debriefed_on__gte=start, debriefed_on__lte=end
    )
    result: dict[int, dict] = {}
    for row in records.values("organisation_id", "organisation__name").annotate(
        debriefs=Count("pk"), colleagues=Count("colleague", distinct=True)
    ):
        result[row["organisation_id"]] = {
            "organisation_id": row["organisation_id"],
            "organisation": row["organisation__name"],
            "debriefs": row["debriefs"],
            "colleagues_supported": row["colleagues"],
            "by_interaction": {},
            "by_support": {},
        }
    for row in records.values("organisation_id", "interaction_kind").annotate(n=Count("pk")):
        result[row["organisation_id"]]["by_interaction"][row["interaction_kind"]] = row["n"]
    # Support offered is a list per record; count each kind offered (portable across SQLite and PostgreSQL).
    for org_id, offered in records.values_list("organisation_id", "support_offered"):
        for kind in offered:
            by_support = result[org_id]["by_support"]
            by_support[kind] = by_support.get(kind, 0) + 1
    return sorted(result.values(), key=lambda r: r["organisation"])


# ---- catalogue and settings -------------------------------------------------------------------------------


def modules_of(body: Organisation) -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(organisation=body).order_by("title")


def settings_for(body: Organisation) -> PeopleSettings:
    return PeopleSettings.objects.filter(organisation=body).first() or PeopleSettings(organisation=body)


def recent_imports(viewer) -> QuerySet[TrainingImport]:
    return TrainingImport.objects.filter(
        organisation_id__in=organisation_ids_with(viewer, Cap.MANAGE_TRAINING)
    ).select_related("uploaded_by", "organisation")[:20]


ROLE_LABELS = dict(Role.choices)
