"""Who may reach every URL and API endpoint: ONE table, by URL name.

Every named URL pattern must have a row here (`test_access_matrix.py` fails otherwise), so a new page or
endpoint is one new line. A row says which HTTP methods to try and a rule; the rule decides, for every
actor, whether the request is allowed, denied (401/403/404/405) or sent to sign in. Actors are anonymous
plus each of the 8 roles held in the organisation that owns the test complaint (*own*, an executive
agency), in its *parent* department, and in a *sibling* body under the same department.

Rules:
  PUBLIC                 everyone, signed in or not
  SIGNED_IN              any signed-in colleague; anonymous is sent to sign in
  ANYWHERE(cap)          a colleague holding `cap` in any organisation
  ON_OWN(cap)            a colleague holding `cap` in the own organisation (the complaint's): their role
                         there, or a subtree-reaching role (oversight, system administrator) in the parent
  ON_OWN_ALL(a, b)       the same, holding every one of the capabilities (not just one of them)
  ON_SIBLING(cap)        a colleague holding `cap` in the sibling body (e.g. a contributing organisation)
  rule.only(*labels)     the rule, and only for these actors (e.g. the reviewer asked), everyone else denied
  rule.plus(*labels)     the rule, and these actors too whatever their capabilities (e.g. the person themself)
  SIGN_OUT               everyone ends up at the sign-in page
  ADMIN_SITE             nobody in these roles (none is Django staff): always sent to the admin's sign-in
  API_PUBLIC / API(rule) the same for the API, where "sent to sign in" is a 401/403 instead

URL arguments come from KWARGS by parameter name (the test complaint's reference, the own
organisation's slug, ...); add an entry when a new parameter name appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from candour.organisations.roles import ROLE_SPECS, Cap, Role

ALLOW, DENY, LOGIN = "allow", "deny", "login"
PLACES = ("own", "parent", "sibling")


@dataclass(frozen=True)
class Actor:
    role: str | None  # None: anonymous
    place: str | None = None

    @property
    def label(self) -> str:
        return "anonymous" if self.role is None else f"{self.role}@{self.place}"


ACTORS = [Actor(None)] + [Actor(role.value, place) for role in Role for place in PLACES]


def _reaches(actor: Actor, place: str) -> bool:
    """Whether the actor's role reaches `place` (own or sibling: both sit under the parent)."""
    if actor.place == place:
        return True
    return place != "parent" and actor.place == "parent" and ROLE_SPECS[actor.role].reaches_subtree


@dataclass(frozen=True)
class Rule:
    name: str
    anonymous: str = LOGIN
    cap: str | tuple[str, ...] | None = None  # a tuple: any one of these capabilities (every one, if all_caps)
    on: str | None = None  # the place whose organisation the capability must be held in (None: anywhere)
    everyone: str | None = None
    all_caps: bool = False
    actors: tuple[str, ...] | None = None  # only these actors (by label) may pass; None: any actor
    also: tuple[str, ...] = ()  # these actors (by label) pass whatever their capabilities

    def expect(self, actor: Actor) -> str:
        if self.everyone is not None:
            return self.everyone
        if actor.role is None:
            return self.anonymous
        if actor.label in self.also:
            return ALLOW
        if self.actors is not None and actor.label not in self.actors:
            return DENY
        if self.cap is None:
            return ALLOW
        caps = set(self.cap if isinstance(self.cap, tuple) else (self.cap,))
        held = caps & ROLE_SPECS[actor.role].capabilities
        if not held or (self.all_caps and held != caps):
            return DENY
        return ALLOW if (self.on is None or _reaches(actor, self.on)) else DENY

    def only(self, *labels: str) -> Rule:
        """This rule, for these actors only (e.g. the one colleague asked to review)."""
        return replace(self, name=f"{self.name}, only {'/'.join(labels)}", actors=labels)

    def plus(self, *labels: str) -> Rule:
        """This rule, and these actors too (e.g. the colleague themself, their line manager)."""
        return replace(self, name=f"{self.name}, and {'/'.join(labels)}", also=labels)


PUBLIC = Rule("public", everyone=ALLOW)
SIGNED_IN = Rule("signed in")
ADMIN_SITE = Rule("admin site", everyone=LOGIN)
API_PUBLIC = Rule("api public", everyone=ALLOW)
SIGN_OUT = Rule("sign out", everyone=LOGIN)  # everyone ends up at the sign-in page


def ANYWHERE(*caps: str) -> Rule:  # noqa: N802
    return Rule(f"{'/'.join(caps)} anywhere", cap=caps)


def ON_OWN(*caps: str) -> Rule:  # noqa: N802
    return Rule(f"{'/'.join(caps)} on own", cap=caps, on="own")


def ON_OWN_ALL(*caps: str) -> Rule:  # noqa: N802
    return Rule(f"{'+'.join(caps)} on own", cap=caps, on="own", all_caps=True)


def ON_SIBLING(*caps: str) -> Rule:  # noqa: N802
    return Rule(f"{'/'.join(caps)} on sibling", cap=caps, on="sibling")


def API(rule: Rule) -> Rule:  # noqa: N802
    """An API endpoint: where a page would send someone to sign in, the API answers 401/403."""
    return replace(rule, name=f"api {rule.name}", anonymous=DENY)


@dataclass(frozen=True)
class Row:
    rule: Rule
    methods: tuple[str, ...] = ("GET",)
    # Data to POST (a form's empty submission is fine: the view must still refuse or accept it). A value may be
    # a function of the test context (e.g. the pk of an object made there).
    data: dict = field(default_factory=dict)
    # Query string appended to the URL.
    query: str = ""
    # URL parameters for this row only (name -> function of the test context), over KWARGS.
    kwargs: dict = field(default_factory=dict)
    # A different rule for POST, where changing something needs more than seeing it.
    post: Rule | None = None

    def rule_for(self, method: str) -> Rule:
        return self.post if (method == "POST" and self.post is not None) else self.rule


def _progress_token(ctx) -> str:
    from candour.complaints import services

    return services.issue_access_link(ctx["complaint"])


def _csv(ctx) -> str:
    return "csv"


def _review(ctx):
    """A governance review of the own organisation with one decision and one action (made once per context)."""
    import datetime

    from candour.governance import services as governance

    if "governance_review" not in ctx:
        owner = next(user for actor, user in ctx["users"].items() if actor.place == "own")
        ctx["governance_review"] = governance.record_review(
            actor=None,
            organisation=ctx["own"],
            period_start=datetime.date(2025, 4, 1),
            period_end=datetime.date(2025, 6, 30),
            held_on=datetime.date(2025, 7, 15),
            attendees="Chair",
            discussion="Figures reviewed",
            decisions=["Track call-backs"],
            actions=[governance.ActionInput("Build a tracker", owner, datetime.date(2025, 9, 30))],
        )
    return ctx["governance_review"]


# ---- THE TABLE: one line per URL name ---------------------------------------------------------------

MATRIX: dict[str, Row] = {
    # public pages (English; the Welsh /cy/ versions share the same views)
    "shell:home": Row(PUBLIC),
    "shell:privacy": Row(PUBLIC),
    "shell:cookies": Row(PUBLIC),
    "shell:accessibility": Row(PUBLIC),
    "shell:feedback": Row(PUBLIC),
    # sign-in and two-factor
    "accounts:sign-in": Row(PUBLIC, ("GET", "POST")),
    "accounts:sign-out": Row(SIGNED_IN),  # GET: a confirmation page with a POST button
    "accounts:two-factor-set-up": Row(SIGNED_IN, ("GET", "POST")),
    "accounts:two-factor-verify": Row(SIGNED_IN, ("GET", "POST")),
    # staff pages
    "staff:home": Row(SIGNED_IN),
    "audit:search": Row(ANYWHERE(Cap.VIEW_AUDIT)),
    "privacy:subject-access": Row(ANYWHERE(Cap.MANAGE_CASES), ("GET", "POST")),
    "privacy:correct-details": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    # the Django admin (its internal pages are skipped; being Django staff is not a Candour role)
    "admin:index": Row(ADMIN_SITE),
    # staff complaint pages
    "staff_complaints:queue": Row(ANYWHERE(Cap.VIEW_CASES)),
    "staff_complaints:new": Row(ANYWHERE(Cap.HANDLE_CASES)),
    "staff_complaints:case": Row(ON_OWN(Cap.VIEW_CASES)),
    "staff_complaints:triage": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:add-point": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:point": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:assign": Row(ON_OWN(Cap.HANDLE_CASES)),
    "staff_complaints:transition": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:stop-clock": Row(ON_OWN(Cap.HANDLE_CASES)),
    "staff_complaints:restart-clock": Row(ON_OWN(Cap.HANDLE_CASES), ("POST",)),
    "staff_complaints:extend": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:remedy": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:response": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:issue": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "staff_complaints:letter-preview": Row(ON_OWN(Cap.VIEW_CASES)),
    "staff_complaints:letter": Row(ON_OWN(Cap.VIEW_CASES)),
    "staff_complaints:ombudsman": Row(ON_OWN(Cap.HANDLE_CASES)),
    "staff_complaints:attachment": Row(ON_OWN(Cap.VIEW_CASES), kwargs={"pk": lambda ctx: ctx["attachment"].pk}),
    # the public complaint journey and the complainant's progress link (no account: open to everyone;
    # the progress pages are guarded by the unguessable token instead, tested in complaints/tests)
    "complaints_public:start": Row(PUBLIC, kwargs={"org": lambda ctx: ctx["own"].slug}),
    "complaints_public:question": Row(
        PUBLIC, ("GET", "POST"), kwargs={"org": lambda ctx: ctx["own"].slug, "step": lambda ctx: "what-happened"}
    ),
    "complaints_public:check": Row(PUBLIC, kwargs={"org": lambda ctx: ctx["own"].slug}),
    "complaints_public:confirmation": Row(PUBLIC, kwargs={"org": lambda ctx: ctx["own"].slug}),
    "complaints_public:progress": Row(PUBLIC, kwargs={"token": lambda ctx: _progress_token(ctx)}),
    "complaints_public:add-information": Row(
        PUBLIC, ("GET", "POST"), kwargs={"token": lambda ctx: _progress_token(ctx)}
    ),
    "complaints_public:withdraw": Row(PUBLIC, ("GET", "POST"), kwargs={"token": lambda ctx: _progress_token(ctx)}),
    # learning
    "learning_public:you-said-we-did": Row(PUBLIC),
    "learning:dashboard": Row(ANYWHERE(Cap.VIEW_AGGREGATES, Cap.MANAGE_LEARNING)),
    "learning:settings": Row(ANYWHERE(Cap.MANAGE_LEARNING)),
    "learning:record": Row(ON_OWN(Cap.HANDLE_CASES, Cap.MANAGE_LEARNING), ("GET", "POST")),
    "learning:actions": Row(ANYWHERE(Cap.MANAGE_LEARNING, Cap.GOVERN)),
    "learning:action-create": Row(ANYWHERE(Cap.MANAGE_LEARNING)),
    "learning:action": Row(ON_OWN(Cap.MANAGE_LEARNING, Cap.GOVERN), kwargs={"pk": lambda ctx: ctx["action"].pk}),
    "learning:action-edit": Row(ON_OWN(Cap.MANAGE_LEARNING), kwargs={"pk": lambda ctx: ctx["action"].pk}),
    "learning:evidence": Row(
        ON_OWN(Cap.MANAGE_LEARNING, Cap.GOVERN),
        kwargs={"pk": lambda ctx: ctx["action"].pk, "file_pk": lambda ctx: ctx["evidence"].pk},
    ),
    # investigations (staff pages; a contributing organisation sees only its own part)
    "investigations:home": Row(ANYWHERE(Cap.VIEW_CASES, Cap.VIEW_AGGREGATES)),
    "investigations:report": Row(ANYWHERE(Cap.VIEW_AGGREGATES)),
    "investigations:bands": Row(ON_OWN(Cap.MANAGE_CASES), ("GET", "POST")),
    "investigations:settings": Row(ON_OWN(Cap.MANAGE_CASES), ("GET", "POST")),
    "investigations:partner": Row(
        ON_SIBLING(Cap.VIEW_CASES),  # the partner is the sibling body; the lead sees it on the case page
        ("GET", "POST"),
        post=ON_SIBLING(Cap.HANDLE_CASES),
        kwargs={"pk": lambda ctx: ctx["partner"].pk},
    ),
    "investigations:case": Row(ON_OWN(Cap.VIEW_CASES)),
    "investigations:add-involved": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:told": Row(
        ON_OWN(Cap.HANDLE_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["involved"].pk}
    ),
    "investigations:statement": Row(
        ON_OWN(Cap.HANDLE_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["involved"].pk}
    ),
    "investigations:declare": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    # a senior leader accountable for complaints, who may also open the case
    "investigations:override": Row(
        ON_OWN_ALL(Cap.GOVERN, Cap.VIEW_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["declaration"].pk}
    ),
    "investigations:assign": Row(ON_OWN(Cap.MANAGE_CASES), ("GET", "POST")),
    "investigations:plan": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:share-plan": Row(ON_OWN(Cap.HANDLE_CASES), ("POST",)),
    "investigations:plan-letter": Row(ON_OWN(Cap.VIEW_CASES)),
    "investigations:add-update": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:add-evidence": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:finding": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:add-initial-view": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:add-reply": Row(
        ON_OWN(Cap.HANDLE_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["initial_view"].pk}
    ),
    "investigations:request-review": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    # only the colleague asked to review (a complaints manager of the own organisation)
    "investigations:review": Row(
        ON_OWN(Cap.VIEW_CASES).only("complaints_manager@own"),
        ("GET", "POST"),
        kwargs={"pk": lambda ctx: ctx["quality_review"].pk},
    ),
    "investigations:add-remedy": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:extend-remedy": Row(
        ON_OWN(Cap.HANDLE_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["remedy"].pk}
    ),
    "investigations:add-partner": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:add-incident": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:add-restriction": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:renew-restriction": Row(
        ON_OWN(Cap.HANDLE_CASES), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["restriction"].pk}
    ),
    "investigations:restriction-letter": Row(ON_OWN(Cap.VIEW_CASES), kwargs={"pk": lambda ctx: ctx["restriction"].pk}),
    "investigations:add-support": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    "investigations:adjustments": Row(ON_OWN(Cap.HANDLE_CASES), ("GET", "POST")),
    # feedback: the public survey link, staff results, colleague survey, self-assessments
    "feedback:survey": Row(PUBLIC, kwargs={"token": lambda ctx: _survey_token(ctx)}),
    "feedback:survey-done": Row(PUBLIC),
    "staff_feedback:results": Row(ANYWHERE(Cap.VIEW_AGGREGATES)),
    # Free text: complaints managers (manage_cases and view_audit; every role with manage_cases has both).
    "staff_feedback:comments": Row(ANYWHERE(Cap.MANAGE_CASES)),
    "staff_feedback:colleague-list": Row(SIGNED_IN),
    # Only the colleague invited for that complaint (complaint_handler@own): 404 for everyone else.
    "staff_feedback:colleague-survey": Row(
        SIGNED_IN.only("complaint_handler@own"),
        ("GET", "POST"),
        kwargs={"reference": lambda ctx: _colleague_invitation(ctx, "complaint_handler@own")},
    ),
    "staff_feedback:settings": Row(ON_OWN(Cap.MANAGE_ORGANISATION)),
    "staff_feedback:expectations-index": Row(ANYWHERE(Cap.MANAGE_ORGANISATION)),
    # Each organisation's own list: its administrators (and the parent's), never a sibling body's.
    "staff_feedback:expectations": Row(ON_OWN(Cap.MANAGE_ORGANISATION)),
    "staff_feedback:expectation-add": Row(
        ON_OWN(Cap.MANAGE_ORGANISATION), ("GET", "POST"), kwargs={"section": lambda ctx: 1}
    ),
    "staff_feedback:expectation-edit": Row(
        ON_OWN(Cap.MANAGE_ORGANISATION), ("GET", "POST"), kwargs={"pk": lambda ctx: _first_expectation_pk()}
    ),
    "staff_feedback:assessments": Row(ANYWHERE(Cap.VIEW_AGGREGATES, Cap.MANAGE_CASES, Cap.GOVERN)),
    "staff_feedback:assessment-history": Row(ON_OWN(Cap.VIEW_AGGREGATES, Cap.MANAGE_CASES, Cap.GOVERN)),
    "staff_feedback:assessment-new": Row(ON_OWN(Cap.MANAGE_CASES, Cap.GOVERN)),
    "staff_feedback:assessment": Row(
        ON_OWN(Cap.VIEW_AGGREGATES, Cap.MANAGE_CASES, Cap.GOVERN),
        kwargs={"version": lambda ctx: _self_assessment_version(ctx)},
    ),
    "staff_feedback:compare": Row(ANYWHERE(Cap.VIEW_AGGREGATES)),
    # reporting (annual report, case studies, published reports)
    "reporting:index": Row(ANYWHERE(Cap.VIEW_AGGREGATES)),
    "reporting:report": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "reporting:consolidated": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "reporting:download": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "reporting:details": Row(ON_OWN(Cap.GOVERN), ("GET", "POST")),
    "reporting:publish": Row(ON_OWN(Cap.GOVERN), ("GET", "POST")),
    "reporting:case-studies": Row(ANYWHERE(Cap.MANAGE_CASES, Cap.GOVERN)),
    "reporting:case-study-new": Row(ANYWHERE(Cap.MANAGE_CASES), ("GET", "POST")),
    # governance may read a case study; only manage_cases may change it
    "reporting:case-study": Row(
        ON_OWN(Cap.MANAGE_CASES, Cap.GOVERN),
        ("GET", "POST"),
        post=ON_OWN(Cap.MANAGE_CASES),
        kwargs={"pk": lambda ctx: _case_study(ctx).pk},
    ),
    "reporting:case-study-approve": Row(
        ON_OWN(Cap.MANAGE_CASES, Cap.GOVERN), ("POST",), kwargs={"pk": lambda ctx: _case_study(ctx).pk}
    ),
    "reporting_public:reports": Row(PUBLIC),
    "reporting_public:report": Row(PUBLIC, kwargs={"year": lambda ctx: _published_report(ctx).year}),
    "reporting_public:file": Row(PUBLIC, kwargs={"version": lambda ctx: _published_report(ctx).version}),
    # people: your own role and training; colleagues' records for their managers, line manager and trainers.
    # The colleague is complaint_handler@own; investigator@own is their line manager.
    "people:my-role": Row(
        SIGNED_IN,
        ("GET", "POST"),
        # acknowledging a role's responsibilities: only someone who holds that role there
        post=SIGNED_IN.only("complaint_handler@own"),
        data={"responsibility": lambda ctx: ctx["responsibility"].pk},
    ),
    "people:my-training": Row(SIGNED_IN),
    "people:my-examples": Row(SIGNED_IN),
    "people:example-new": Row(SIGNED_IN, ("GET", "POST")),  # everyone in these roles works somewhere
    "people:examples-review": Row(ANYWHERE(Cap.MANAGE_LEARNING)),
    "people:example-review": Row(
        ON_OWN(Cap.MANAGE_LEARNING), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["example"].pk}
    ),
    "people:colleagues": Row(ANYWHERE(Cap.MANAGE_CASES, Cap.MANAGE_TRAINING).plus("investigator@own")),
    "people:colleague": Row(
        ON_OWN(Cap.MANAGE_CASES, Cap.MANAGE_TRAINING).plus("complaint_handler@own", "investigator@own"),
        kwargs={"pk": lambda ctx: ctx["colleague"].pk},
    ),
    # a debrief is recorded by the colleague's managers, never by the colleague themself
    "people:support-new": Row(
        ON_OWN(Cap.MANAGE_CASES).plus("investigator@own"),
        ("GET", "POST"),
        kwargs={"pk": lambda ctx: ctx["colleague"].pk},
    ),
    "people:support-list": Row(ANYWHERE(Cap.MANAGE_CASES).plus("investigator@own")),
    # setting a colleague's line manager: manage_people where they work (not their line manager, not themself)
    "people:line-manager": Row(
        ON_OWN(Cap.MANAGE_PEOPLE), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["colleague"].pk}
    ),
    "people:catalogue": Row(ANYWHERE(Cap.MANAGE_TRAINING)),
    "people:module-new": Row(ANYWHERE(Cap.MANAGE_TRAINING), ("GET", "POST")),
    "people:module-edit": Row(
        ON_OWN(Cap.MANAGE_TRAINING), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["module"].pk}
    ),
    "people:completion-new": Row(ANYWHERE(Cap.MANAGE_TRAINING), ("GET", "POST")),
    "people:import": Row(ANYWHERE(Cap.MANAGE_TRAINING), ("GET", "POST")),
    "people:import-detail": Row(
        ON_OWN(Cap.MANAGE_TRAINING), ("GET", "POST"), kwargs={"pk": lambda ctx: ctx["training_import"].pk}
    ),
    "people:compliance": Row(ANYWHERE(Cap.MANAGE_TRAINING)),
    "people:acknowledgements": Row(ANYWHERE(Cap.VIEW_AGGREGATES, Cap.GOVERN, Cap.MANAGE_TRAINING)),
    "people:responsibilities": Row(ANYWHERE(Cap.GOVERN, Cap.MANAGE_ORGANISATION)),
    "people:responsibility-edit": Row(
        ON_OWN(Cap.GOVERN, Cap.MANAGE_ORGANISATION),
        ("GET", "POST"),
        kwargs={"pk": lambda ctx: ctx["responsibility"].pk},
    ),
    "people:settings": Row(ANYWHERE(Cap.GOVERN, Cap.MANAGE_ORGANISATION), ("GET", "POST")),
    # API
    "api-schema": Row(API_PUBLIC),
    "api-organisations": Row(API_PUBLIC),
    "api-public-complaint-create": Row(
        API_PUBLIC,
        ("POST",),
        data={"description": "It went wrong.", "complainant_name": "Ann", "complainant_email": "ann@example.com"},
    ),
    "api-complaints": Row(API(ANYWHERE(Cap.VIEW_CASES))),
    "api-complaint": Row(API(ON_OWN(Cap.VIEW_CASES))),
    "api-complaint-transitions": Row(API(ON_OWN(Cap.VIEW_CASES))),
    "api-audit-events": Row(API(ANYWHERE(Cap.VIEW_AUDIT))),
    "api-audit-event": Row(API(ON_OWN(Cap.VIEW_AUDIT)), kwargs={"pk": lambda ctx: ctx["event"].pk}),
    # people: everyone signed in reads what is theirs to see (scoping is tested in people/tests/test_api.py)
    "api-training-modules": Row(API(SIGNED_IN)),
    "api-training-compliance": Row(API(SIGNED_IN)),
    "api-training-completions": Row(API(ANYWHERE(Cap.MANAGE_TRAINING)), ("POST",)),  # empty body: 400, not denied
    "api-role-acknowledgements": Row(API(ANYWHERE(Cap.VIEW_AGGREGATES, Cap.GOVERN, Cap.MANAGE_TRAINING))),
    # governance: figures in aggregate for those who may see them; reviews written by those who govern
    "governance:index": Row(ANYWHERE(Cap.VIEW_AGGREGATES)),
    "governance:dashboard": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "governance:export": Row(ON_OWN(Cap.VIEW_AGGREGATES), kwargs={"table": lambda ctx: "headline", "fmt": _csv}),
    "governance:oversight": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "governance:oversight-export": Row(ON_OWN(Cap.VIEW_AGGREGATES), kwargs={"fmt": _csv}),
    "governance:thresholds": Row(ON_OWN(Cap.GOVERN), ("POST",)),
    "governance:reviews": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "governance:body": Row(ON_OWN(Cap.GOVERN), ("GET", "POST")),
    "governance:record-review": Row(ON_OWN(Cap.GOVERN), ("GET", "POST")),
    "governance:review": Row(ON_OWN(Cap.VIEW_AGGREGATES), kwargs={"pk": lambda ctx: _review(ctx).pk}),
    "governance:decision": Row(
        ON_OWN(Cap.GOVERN),
        ("POST",),
        data={"status": "done"},
        kwargs={"pk": lambda ctx: _review(ctx).decisions.get().pk},
    ),
    "governance:volumes": Row(ON_OWN(Cap.GOVERN), ("GET", "POST")),
    "governance:pack": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
    "governance:pack-pdf": Row(ON_OWN(Cap.VIEW_AGGREGATES)),
}


def _survey_token(ctx) -> str:
    """A complainant survey link for the test complaint (only its hash is stored)."""
    import datetime

    from django.utils import timezone

    from candour.feedback.models import SurveyInvitation
    from candour.feedback.services import hash_token

    token = "access-matrix-survey-token"
    SurveyInvitation.objects.get_or_create(
        kind="complainant",
        complaint=ctx["complaint"],
        defaults={
            "organisation": ctx["complaint"].organisation,
            "token_hash": hash_token(token),
            "expires_at": timezone.now() + datetime.timedelta(days=60),
        },
    )
    return token


def _colleague_invitation(ctx, label: str) -> str:
    """Invite one actor to the colleague survey about the test complaint; returns the complaint's reference."""
    import datetime

    from django.utils import timezone

    from candour.feedback.models import SurveyInvitation

    colleague = next(user for actor, user in ctx["users"].items() if actor.label == label)
    SurveyInvitation.objects.get_or_create(
        kind="colleague",
        complaint=ctx["complaint"],
        colleague=colleague,
        defaults={
            "organisation": ctx["complaint"].organisation,
            "colleague_role": "handler",
            "expires_at": timezone.now() + datetime.timedelta(days=60),
        },
    )
    return ctx["complaint"].reference


def _first_expectation_pk() -> int:
    from candour.feedback.models import Expectation

    return Expectation.objects.filter(active=True).values_list("pk", flat=True).first()


def _self_assessment_version(ctx) -> int:
    from django.utils import timezone

    from candour.feedback.models import SelfAssessment

    assessment, _ = SelfAssessment.objects.get_or_create(
        organisation=ctx["own"], version=1, defaults={"assessed_on": timezone.localdate()}
    )
    return assessment.version


# Admin pages other than these are Django's own model pages, guarded by the admin site as a whole.
ADMIN_ROWS = {"admin:index"}

# URL parameters by name -> how to get a value from the test context (see test_access_matrix.context).
KWARGS = {
    "reference": lambda ctx: ctx["complaint"].reference,
    "slug": lambda ctx: ctx["own"].slug,
    "org": lambda ctx: ctx["own"].pk,
    "organisation": lambda ctx: ctx["own"].slug,
    "pk": lambda ctx: ctx["complaint"].pk,
    "number": lambda ctx: 1,
    "stage": lambda ctx: 1,
    "name": lambda ctx: "acknowledge",
    "fmt": lambda ctx: "html",
    "year": lambda ctx: 2025,
}


def _case_study(ctx):
    """A draft case study about the test complaint (made once per test context)."""
    if "case_study" not in ctx:
        from candour.reporting.models import CaseStudy

        ctx["case_study"] = CaseStudy.objects.create(
            organisation=ctx["own"], complaint=ctx["complaint"], year=2025, title="Story", text="x", anonymised_text="x"
        )
    return ctx["case_study"]


def _published_report(ctx):
    """A published report for the own organisation, year 2025 (made once per test context)."""
    if "published_report" not in ctx:
        from candour.reporting import services

        services.save_details(actor=None, organisation=ctx["own"], year=2025, interactions=None,
                              governing_body_response="Accepted.")  # fmt: skip
        ctx["published_report"] = services.publish_report(actor=None, organisation=ctx["own"], year=2025)
    return ctx["published_report"]
