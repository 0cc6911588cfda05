"""Generator steps after the complaints: learning, governance and surveys.

- "learning": per organisation a list of themes; learning records for about 60% of upheld and partly upheld
  complaints (1-3 themes each, a root cause that usually goes with the first theme, written after the response),
  and improvement actions drawn from them (accountable owners from the generated staff, due dates, statuses from
  proposed to verified effective or not, evidence and status logs consistent with the status, some published as
  "You said, we did").
- "governance": a governance body per organisation, quarterly reviews with decisions and actions (each a learning
  improvement action, as `governance.services.record_review` makes them) and monthly interaction volumes.
- "surveys": complainant invitations for closed complaints whose complainant may be surveyed, sent the default
  10 working days after closure; colleague invitations for the handler and investigator at closure; a share of
  each answered, with an answer to every statement of the survey.

Like the complaints, these rows skip the services for speed and go through the sink with explicit ids (a second
thread's COPY on PostgreSQL outside a transaction); `tests/test_extras.py` checks they obey the services' rules.
Everything reads the complaints from `ctx.shared["complaint_facts"]` (see generator.FACT_FIELDS), not the database.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.db import connection

from candour.feedback.models import DEFAULT_SURVEY_DELAY_DAYS, Answer, SurveyInvitation, SurveyResponse
from candour.feedback.services import LINK_DAYS
from candour.feedback.statements import AGREE_FROM, STATEMENTS, ColleagueRole, Kind
from candour.governance.models import (
    Decision,
    GovernanceBody,
    GovernanceReview,
    InteractionVolume,
    ReviewAction,
    Rhythm,
)
from candour.governance.periods import add_months, previous_quarter, quarter_containing
from candour.learning.models import (
    DEFAULT_ROOT_CAUSES,
    ActionStatusLog,
    ImprovementAction,
    LearningRecord,
    LearningRecordTheme,
    Publication,
    RootCause,
    Theme,
)
from candour.learning.states import ActionStatus
from candour.synthetic import generator as G
from candour.synthetic import text as T

UTC = datetime.UTC
FIELDS = len(G.FACT_FIELDS)
UPHELD = (G.FACT_OUTCOMES.index("upheld"), G.FACT_OUTCOMES.index("partly_upheld"))
NOT_UPHELD = G.FACT_OUTCOMES.index("not_upheld")
CLOSED = G.FACT_STATUSES.index("closed")
LEARNING_SHARE = 0.6
COMPLAINANT_ANSWER_RATE = 0.28
COLLEAGUE_ANSWER_RATE = 0.35


def _columns(model) -> tuple[str, ...]:
    return tuple(f.column for f in model._meta.concrete_fields)


RecordThemes = LearningRecordTheme
ActionComplaints = ImprovementAction.complaints.through
ActionRecords = ImprovementAction.learning_records.through
ActionThemes = ImprovementAction.themes.through

LEARNING_MODELS = (Theme, LearningRecord, RecordThemes, ImprovementAction, ActionComplaints, ActionRecords,
                   ActionThemes, ActionStatusLog)  # fmt: skip
GOVERNANCE_MODELS = (GovernanceReview, Decision, ImprovementAction, ActionStatusLog, ReviewAction, InteractionVolume)
SURVEY_MODELS = (SurveyInvitation, SurveyResponse, Answer)
COLUMNS = {m: _columns(m) for m in (*LEARNING_MODELS, *GOVERNANCE_MODELS, *SURVEY_MODELS, GovernanceBody)}
G.EXTRA_TABLES.extend(
    (m, COLUMNS[m]) for m in dict.fromkeys((*LEARNING_MODELS, *GOVERNANCE_MODELS, *SURVEY_MODELS, GovernanceBody))
)


# ---- shared plumbing ----------------------------------------------------------------------------------


class _Writer:
    """Buffers rows per model, writes them in the models' order (parents first) and allocates explicit ids,
    through a COPY thread of its own when outside a transaction on PostgreSQL (as step_complaints does)."""

    def __init__(self, ctx, models):
        self.ctx, self.models = ctx, models
        self.threaded = connection.vendor == "postgresql" and ctx.shared.get("outside_transaction")
        self.ids = G._next_ids_elsewhere(models) if self.threaded else {m: G._next_id(m) for m in models}
        deferred = tuple(m._meta.db_table for m in models) if ctx.params.defer_indexes else ()
        self.sink = (
            G.ThreadedCopySink(skip_fk_checks=ctx.params.skip_fk_checks, defer_indexes_of=deferred)
            if self.threaded
            else ctx.sink
        )
        self.buffers = {m: [] for m in models}

    def next_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def add(self, model, row: tuple) -> None:
        self.buffers[model].append(row)

    def flush(self, force: bool = False) -> None:
        if not force and len(self.buffers[self.models[-1]]) < self.ctx.params.batch:  # the last is the biggest
            return
        for model in self.models:
            self.sink.write(model, COLUMNS[model], self.buffers[model])
            self.buffers[model] = []

    def run(self, generate) -> None:
        try:
            generate(self)
            self.flush(force=True)
        except BaseException:
            if self.threaded:
                self.sink.abort()
            raise
        if self.threaded:
            self.sink.finish()
            for table, count in self.sink.counts.items():
                self.ctx.sink.counts[table] = self.ctx.sink.counts.get(table, 0) + count
        G._reset_sequences(self.models)


def _days(ctx):
    days = ctx.shared["days"]
    dates, today_n = days["dates"], days["today"]

    def at(d: int, minute: int) -> datetime.datetime:
        day = dates[d]
        return datetime.datetime(day.year, day.month, day.day, 8 + minute // 60 % 10, minute % 60, tzinfo=UTC)

    return dates, today_n, at


def _facts(ctx):
    facts = ctx.shared.get("complaint_facts") or ()
    for i in range(0, len(facts), FIELDS):
        yield facts[i : i + FIELDS]


def _people(ctx) -> None:
    """Each organisation's senior leader and everyone who can own an action (ids from the staff step)."""
    by_name = {name: pk for pk, name in ctx.shared["usernames"].items()}
    for o in ctx.shared["orgs"]:
        o["leader"] = by_name[f"{o['org'].slug}-senior-leader-1"]
        o["owners"] = [*o["handlers"], *o["investigators"], o["manager"]]


# ---- step: learning -------------------------------------------------------------------------------------


def step_learning(ctx: G.Context) -> None:
    """Themes, learning records for upheld complaints, improvement actions with their status logs."""
    _people(ctx)
    causes = dict(RootCause.objects.filter(organisation__isnull=True).values_list("name", "id"))
    missing = [name for name in DEFAULT_ROOT_CAUSES if name not in causes]
    for name in missing:  # the data migration makes them; a flushed test database may not have them
        causes[name] = RootCause.objects.create(name=name).pk
    writer = _Writer(ctx, LEARNING_MODELS)
    writer.run(lambda w: _learning_rows(ctx, w, causes))


def _learning_rows(ctx, w: _Writer, causes: dict[str, int]) -> None:
    rng, orgs = ctx.rng, ctx.shared["orgs"]
    r, ri, choice = G.draws(rng)
    dates, today_n, at = _days(ctx)
    usernames = ctx.shared["usernames"]
    all_themes = sorted(T.THEMES)
    cause_ids = sorted(causes.values())
    # Last whole month: one busy organisation's payment page failed, so a new theme spikes.
    this_month = dates[today_n].replace(day=1)
    spike_start = (this_month - datetime.timedelta(days=1)).replace(day=1)
    spike_org = 1 if len(orgs) > 1 else 0
    for o in orgs:
        names = rng.sample(all_themes, min(len(all_themes), 10))
        if o["index"] == spike_org:
            names.append(T.SPIKE_THEME[0])
        o["themes"] = []
        for name in names:
            theme_id = w.next_id(Theme)
            w.add(Theme, (theme_id, o["id"], name))
            o["themes"].append((theme_id, name))
        # Zipf-like: a few themes account for most of the learning (the spike theme only in its month).
        regular = [t for t in o["themes"] if t[1] != T.SPIKE_THEME[0]]
        o["theme_cum"] = []
        total = 0.0
        for rank in range(len(regular)):
            total += 1.0 / (rank + 1)
            o["theme_cum"].append(total)
        o["regular_themes"] = regular
        o["latest_action"] = {}  # theme id -> (action id, created day, done day or None)
    spike_first_n = (spike_start - dates[0]).days
    spike_last_n = (this_month - dates[0]).days

    for cid, org_i, received, _closed, _status, outcome, stage, outcome_day, handler, investigator, area, _e in (
        _facts(ctx)
    ):
        if outcome not in UPHELD or outcome_day < 0 or r() >= LEARNING_SHARE:
            continue
        o = orgs[org_i]
        created = min(outcome_day + ri(0, 11), today_n)
        author = investigator if stage == 2 and investigator else handler
        service_name = next(a[1] for a in o["areas"] if a[0] == area)
        if org_i == spike_org and spike_first_n <= received < spike_last_n and r() < 0.6:
            first = next(t for t in o["themes"] if t[1] == T.SPIKE_THEME[0])
            cause, wrong = T.SPIKE_THEME[1], T.SPIKE_THEME[2]
        else:
            first = o["regular_themes"][bisect.bisect_left(o["theme_cum"], r() * o["theme_cum"][-1])]
            cause, wrongs, _actions = T.THEMES[first[1]]
            wrong = choice(wrongs).format(service_l=service_name.lower())
        cause_id = causes[cause] if r() < 0.85 else choice(cause_ids)
        record_id = w.next_id(LearningRecord)
        when = at(created, ri(0, 600))
        w.add(LearningRecord, (record_id, cid, o["id"], wrong, cause_id, area if r() < 0.9 else None, author, when,
                               when, dates[received]))  # fmt: skip
        themes = [first]
        for _ in range(0 if r() < 0.55 else 1 if r() < 0.7 else 2):
            extra = choice(o["regular_themes"])
            if extra not in themes:
                themes.append(extra)
        for theme_id, _name in themes:
            w.add(RecordThemes, (w.next_id(RecordThemes), record_id, theme_id, o["id"], dates[received]))

        # An improvement action: a new one from this record, or this record linked to a recent one on its theme.
        latest = o["latest_action"].get(first[0])
        if latest and created - latest[1] <= 90 and (latest[2] is None or created <= latest[2]) and r() < 0.35:
            action_id = latest[0]
        elif r() < 0.12:
            action_id = w.next_id(ImprovementAction)
            done = _action(ctx, w, o, action_id, min(created + ri(0, 21), today_n), first[1], service_name, area,
                           usernames)  # fmt: skip
            o["latest_action"][first[0]] = (action_id, created, done)
            w.add(ActionThemes, (w.next_id(ActionThemes), action_id, first[0]))
        else:
            w.flush()
            continue
        w.add(ActionComplaints, (w.next_id(ActionComplaints), action_id, cid))
        w.add(ActionRecords, (w.next_id(ActionRecords), action_id, record_id))
        w.flush()


def _action(ctx, w: _Writer, o, action_id: int, created: int, theme: str, service: str, area, usernames,
            description: str | None = None, senior=None, delivery=None, due: int | None = None) -> int | None:
    """One improvement action and its status log; its status follows from its dates. Returns the day it was done."""
    rng = ctx.rng
    r, ri, choice = G.draws(rng)
    dates, today_n, at = _days(ctx)
    service_l, theme_l = service.lower(), theme.lower()
    if description is None:
        description = choice(T.THEMES.get(theme, T.THEMES["Processing delays"])[2]).format(service_l=service_l)
    senior = senior or o["leader"]
    delivery = delivery or choice(o["owners"])
    due = due if due is not None else created + ri(30, 181)
    # The moves it would make, and when; it gets as far as today allows.
    agree_d = created + ri(2, 16)
    start_d = agree_d + ri(1, 16)
    x = r()
    done_d = None if x < 0.16 else max(start_d + 5, due + ri(-45, 31))
    verify_d = done_d + ri(60, 200) if done_d is not None and r() < 0.7 else None
    moves = [("propose", ActionStatus.PROPOSED, ActionStatus.PROPOSED, created)]
    if x >= 0.06:
        moves.append(("agree", ActionStatus.PROPOSED, ActionStatus.AGREED, agree_d))
    if x >= 0.12:
        moves.append(("start", ActionStatus.AGREED, ActionStatus.IN_PROGRESS, start_d))
    if done_d is not None:
        moves.append(("complete", ActionStatus.IN_PROGRESS, ActionStatus.DONE, done_d))
    if verify_d is not None:
        target = ActionStatus.VERIFIED_EFFECTIVE if r() < 0.75 else ActionStatus.VERIFIED_NOT_EFFECTIVE
        moves.append((f"verify_{target.value[len('verified_'):]}", ActionStatus.DONE, target, verify_d))
    moves = [m for m in moves if m[3] <= today_n]
    status = moves[-1][2]
    done_on = next((m[3] for m in moves if m[0] == "complete"), None)
    verified_on = next((m[3] for m in moves if m[0].startswith("verify")), None)
    verifier = (o["manager"] if delivery != o["manager"] else senior) if verified_on is not None else None
    evidence = ""
    if done_on is not None:
        day = dates[done_on]
        evidence = choice(T.EVIDENCE).format(day=day.day, month=T.MONTHS[day.month - 1], n=ri(5, 60),
                                             service_l=service_l)  # fmt: skip
    # The overdue sweep counts a due date once it has passed with the action still open.
    late = (done_on if done_on is not None else today_n + 1) > due and due < today_n
    published = done_on is not None and r() < 0.3
    you_said = we_did = ""
    published_d = None
    if published:
        you_said = choice(T.YOU_SAID).format(theme_l=theme_l, service_l=service_l)
        we_did = choice(T.WE_DID).format(description=description, description_l=description[0].lower() +
                                         description[1:])  # fmt: skip
        published_d = min(done_on + ri(7, 60), today_n)
    last = moves[-1][3]
    w.add(ImprovementAction, (
        action_id, o["id"], description, area, senior, delivery, dates[due], status.value,
        choice(T.EXPECTED_IMPACT).format(theme_l=theme_l, service_l=service_l),
        choice(T.HOW_MEASURED).format(theme=theme, service_l=service_l, n=ri(10, 50)), evidence,
        dates[done_on] if done_on is not None else None, dates[verified_on] if verified_on is not None else None,
        verifier, 1 if late else 0, dates[due] if late else None, you_said, we_did, "", "",
        (Publication.APPROVED if published else Publication.NOT_PUBLISHED).value,
        dates[published_d] if published else None,
        at(created, 120), at(max(last, published_d) if published else last, 400),
    ))  # fmt: skip
    for name, from_s, to_s, day in moves:
        actor = {"agree": senior, "start": delivery, "complete": delivery}.get(name, verifier)
        if name == "propose":
            actor = None if r() < 0.2 else o["manager"]
        reason = ""
        if name.startswith("verify"):
            reason = choice(T.VERIFIED_EFFECTIVE if to_s == ActionStatus.VERIFIED_EFFECTIVE else
                            T.VERIFIED_NOT_EFFECTIVE)  # fmt: skip
        label = usernames[actor] if actor else "system"
        w.add(ActionStatusLog, (w.next_id(ActionStatusLog), action_id, name, from_s.value, to_s.value, actor, label,
                                at(day, 120 + 10 * len(name)), reason))  # fmt: skip
    return done_on


# ---- step: governance -----------------------------------------------------------------------------------


def step_governance(ctx: G.Context) -> None:
    """A governance body per organisation, quarterly reviews (decisions, actions) and monthly interaction volumes."""
    if "leader" not in ctx.shared["orgs"][0]:
        _people(ctx)
    dates, today_n, _at = _days(ctx)
    users = get_user_model().objects.filter(
        pk__in=[pk for o in ctx.shared["orgs"] for pk in (o["leader"], o["manager"])]
    )
    ctx.shared["full_names"] = {u.pk: f"{u.first_name} {u.last_name}" for u in users}
    GovernanceBody.objects.bulk_create(
        [
            GovernanceBody(organisation_id=o["id"], name=T.GOVERNANCE_BODY_NAMES[o["index"] % 4],
                           rhythm=Rhythm.QUARTERLY, accountable_leader_id=o["leader"], since=dates[0])
            for o in ctx.shared["orgs"]
        ]
    )  # fmt: skip
    writer = _Writer(ctx, GOVERNANCE_MODELS)
    writer.run(lambda w: _governance_rows(ctx, w))


def _governance_rows(ctx, w: _Writer) -> None:
    rng, orgs = ctx.rng, ctx.shared["orgs"]
    r, ri, _choice = G.draws(rng)
    dates, today_n, _at = _days(ctx)
    first, today = dates[0], dates[today_n]
    names, usernames = ctx.shared["full_names"], ctx.shared["usernames"]
    month_of = [dates[d].replace(day=1) for d in range(today_n + 1)]
    monthly: dict[tuple[int, datetime.date], int] = {}
    for fact in _facts(ctx):
        key = (fact[1], month_of[fact[2]])
        monthly[key] = monthly.get(key, 0) + 1
    for o in orgs:
        theme_names = [name for _id, name in o.get("regular_themes", [])] or sorted(T.THEMES)[:3]
        # Interaction volumes for every whole month: a few hundred to a few thousand per complaint.
        per_complaint = 400 + 2600 * rng.random()
        month = first.replace(day=1)
        while add_months(month, 1) <= today:
            count = int(max(monthly.get((o["index"], month), 0), 1) * per_complaint * rng.uniform(0.85, 1.15))
            w.add(InteractionVolume, (w.next_id(InteractionVolume), o["id"], month, max(count, 500)))
            month = add_months(month, 1)
        # A review of each quarter since the first whole one, about a month after it ends; now and then one missed.
        period = quarter_containing(first)
        if period.start < first:
            period = quarter_containing(add_months(period.start, 3))
        last = previous_quarter(today)
        while period.start <= last.start:
            held = period.end + datetime.timedelta(days=ri(14, 46))
            if held <= today and r() >= 0.06:
                _review(ctx, w, o, period, held, theme_names, monthly, names, usernames)
            period = quarter_containing(add_months(period.start, 3))
        w.flush()


def _review(ctx, w: _Writer, o, period, held: datetime.date, theme_names, monthly, names, usernames) -> None:
    rng = ctx.rng
    r, ri, choice = G.draws(rng)
    dates, today_n, at = _days(ctx)
    held_n = (held - dates[0]).days
    received = sum(monthly.get((o["index"], m), 0) for m in period.months())
    theme = choice(theme_names[:4])
    review_id = w.next_id(GovernanceReview)
    attendees = "\n".join(
        (f"{names[o['leader']]} (chair, senior leader)", f"{names[o['manager']]} (complaints manager)",
         choice(("Two non-executive members", "Head of operations", "Head of customer service")))
    )  # fmt: skip
    discussion = choice(T.DISCUSSION).format(received=f"{received:,}", theme=theme, theme_l=theme.lower())
    w.add(GovernanceReview, (review_id, o["id"], period.start, period.end, held, attendees, discussion, o["manager"],
                             at(min(held_n + ri(0, 6), today_n), 300)))  # fmt: skip
    age = today_n - held_n
    for text in rng.sample(T.DECISIONS, ri(1, 4)):
        x = r()
        if age > 180:
            status = "done" if x < 0.7 else "dropped" if x < 0.8 else "in_progress" if x < 0.9 else "open"
        else:
            status = "open" if x < 0.5 else "in_progress" if x < 0.9 else "done"
        note = choice(T.DECISION_NOTES[status]) if status != "open" else ""
        changed = dates[min(held_n + ri(14, 151), today_n)] if status != "open" else None
        w.add(Decision, (w.next_id(Decision), review_id, text.format(theme_l=theme.lower()), status, note, changed))
    for _ in range(0 if r() < 0.25 else 1 if r() < 0.7 else 2):
        description = choice(T.REVIEW_ACTIONS).format(theme_l=theme.lower())
        due = held_n + ri(30, 121)
        action_id = w.next_id(ImprovementAction)
        _action(ctx, w, o, action_id, held_n, theme, "the service", None, usernames, description=description,
                senior=o["leader"], delivery=o["manager"], due=due)  # fmt: skip
        w.add(ReviewAction, (w.next_id(ReviewAction), review_id, description, o["leader"], dates[due], action_id))


# ---- step: surveys --------------------------------------------------------------------------------------


def step_surveys(ctx: G.Context) -> None:
    """Complainant and colleague survey invitations for closed complaints, a share answered."""
    writer = _Writer(ctx, SURVEY_MODELS)
    writer.run(lambda w: _survey_rows(ctx, w))


def _survey_rows(ctx, w: _Writer) -> None:
    rng, orgs, p = ctx.rng, ctx.shared["orgs"], ctx.params
    r, ri, choice = G.draws(rng)
    dates, today_n, at = _days(ctx)
    tables = ctx.shared["days"]["tables"]
    link = datetime.timedelta(days=LINK_DAYS)
    # How kindly each organisation's complainants and colleagues score it (the chance of a 4 or 5).
    leaning = [0.45 + 0.3 * rng.random() for _ in orgs]
    statements = {kind: [(s.key, int(s.section)) for s in STATEMENTS[kind]] for kind in (Kind.COMPLAINANT,
                                                                                           Kind.COLLEAGUE)}  # fmt: skip

    COLLEAGUE, COMPLAINANT = Kind.COLLEAGUE.value, Kind.COMPLAINANT.value  # noqa: N806
    HANDLER, INVESTIGATOR = ColleagueRole.HANDLER.value, ColleagueRole.INVESTIGATOR.value  # noqa: N806

    def answer(kind, response_id, org_id, submitted, chance):
        for key, section in statements[kind]:
            score = choice((AGREE_FROM, 5)) if r() < chance else ri(1, AGREE_FROM)
            w.add(Answer, (w.next_id(Answer), response_id, key, section, score, kind, org_id, submitted))

    def respond(invitation_id, kind, created_n, created_at, org_i, stage, outcome, comments, chance):
        answered_n = created_n + ri(0, 21)
        if answered_n > today_n:
            return None
        submitted = at(answered_n, ri(0, 600))
        if submitted <= created_at or submitted >= created_at + link:
            submitted = created_at + datetime.timedelta(hours=2)
            if submitted.date() > dates[today_n]:
                return None
        response_id = w.next_id(SurveyResponse)
        w.add(SurveyResponse, (response_id, invitation_id, kind, orgs[org_i]["id"], stage, G.FACT_OUTCOMES[outcome],
                               submitted, choice(comments) if r() < 0.25 else ""))  # fmt: skip
        answer(kind, response_id, orgs[org_i]["id"], submitted, chance)
        return submitted

    for cid, org_i, _received, closed, status, outcome, stage, _od, handler, investigator, _area, eligible in _facts(
        ctx
    ):
        if status != CLOSED:
            continue
        o = orgs[org_i]
        chance = leaning[org_i] + (0.15 if outcome in UPHELD else -0.15 if outcome == NOT_UPHELD else 0)
        # Colleagues: invited when the complaint is closed (feedback.services.on_transitioned), first part wins.
        closed_at = at(closed, 30)
        colleagues = [(handler, HANDLER)]
        if investigator and investigator != handler:
            colleagues.append((investigator, INVESTIGATOR))
        for user, role in colleagues:
            # (Rows are written invitations first whatever the order they are added in.)
            invitation_id = w.next_id(SurveyInvitation)
            used = None
            if r() < COLLEAGUE_ANSWER_RATE:
                used = respond(invitation_id, COLLEAGUE, closed, closed_at, org_i, stage, outcome,
                               T.COLLEAGUE_COMMENTS, leaning[org_i])  # fmt: skip
            w.add(SurveyInvitation, (invitation_id, COLLEAGUE, cid, o["id"], user, role, None,
                                     closed_at, closed_at + link, used))  # fmt: skip
        # The complainant: by the daily sweep, the default delay in working days after closure.
        invited_n = tables[o["nation"]].add(closed, DEFAULT_SURVEY_DELAY_DAYS)
        if eligible and invited_n <= today_n:
            invitation_id = w.next_id(SurveyInvitation)
            created_at = at(invited_n, 0)
            token = hashlib.sha256(f"synthetic-survey:{p.prefix}:{p.seed}:{cid}".encode()).hexdigest()
            used = None
            if r() < COMPLAINANT_ANSWER_RATE:
                used = respond(invitation_id, COMPLAINANT, invited_n, created_at, org_i, stage, outcome,
                               T.SURVEY_COMMENTS, chance)  # fmt: skip
            w.add(SurveyInvitation, (invitation_id, COMPLAINANT, cid, o["id"], None, "", token, created_at,
                                     created_at + link, used))  # fmt: skip
        w.flush()


G.register_step("learning", step_learning, after="complaints")
G.register_step("governance", step_governance, after="learning")
G.register_step("surveys", step_surveys, after="governance")


# ---- checking ---------------------------------------------------------------------------------------------


def checksum(prefix: str = "syn") -> str:
    """A digest of the learning, governance and survey rows of a data set (natural keys in place of ids)."""
    org = {"organisation__slug__startswith": f"{prefix}-"}
    digest = hashlib.sha256()
    queries = [
        LearningRecord.objects.filter(**org).order_by("id").values_list(
            "complaint__reference", "what_went_wrong", "root_cause__name", "service_area__name",
            "created_by__username", "created_at"),
        RecordThemes.objects.filter(organisation__slug__startswith=f"{prefix}-").order_by("id")
        .values_list("learningrecord__complaint__reference", "theme__name"),
        ImprovementAction.objects.filter(**org).order_by("id").values_list(
            "organisation__slug", "description", "status", "due_date", "done_on", "verified_on", "evidence",
            "senior_owner__username", "delivery_owner__username", "verified_by__username", "publication", "we_did"),
        ActionComplaints.objects.filter(complaint__organisation__slug__startswith=f"{prefix}-").order_by("id")
        .values_list("improvementaction__description", "complaint__reference"),
        ActionStatusLog.objects.filter(action__organisation__slug__startswith=f"{prefix}-").order_by("id")
        .values_list("transition", "to_status", "actor__username", "occurred_at", "reason"),
        GovernanceReview.objects.filter(**org).order_by("id").values_list(
            "organisation__slug", "period_start", "held_on", "attendees", "discussion"),
        Decision.objects.filter(review__organisation__slug__startswith=f"{prefix}-").order_by("id")
        .values_list("text", "status", "status_changed_on"),
        InteractionVolume.objects.filter(**org).order_by("id").values_list("organisation__slug", "month", "count"),
        SurveyInvitation.objects.filter(**org).order_by("id").values_list(
            "complaint__reference", "kind", "colleague__username", "colleague_role", "created_at", "used_at"),
        SurveyResponse.objects.filter(**org).order_by("id").values_list(
            "invitation__complaint__reference", "kind", "stage", "outcome", "submitted_at", "comments"),
        Answer.objects.filter(response__organisation__slug__startswith=f"{prefix}-").order_by("id")
        .values_list("statement", "section", "score"),
    ]  # fmt: skip
    for query in queries:
        for row in query.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    return digest.hexdigest()
