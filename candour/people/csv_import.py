"""Checking a CSV export from an e-learning platform, row by row, before anything is imported.

The file must be UTF-8 (Excel's "CSV UTF-8"). Columns are found by their heading, in any order and case:
person (`email` or `username`), module (`module`, `course code` or `course`, matching a module's code or
title), `completed` (date), and optionally `expires`, `provider` and `evidence`. Dates are DD/MM/YYYY or
YYYY-MM-DD. Line numbers are the file's own, the heading being line 1.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from candour.accounts.models import User
from candour.organisations.models import Membership, Organisation
from candour.people.models import TrainingCompletion, TrainingModule

MAX_BYTES = 2 * 1024 * 1024

HEADINGS = {
    "person": ["email", "email address", "user email", "username", "user"],
    "module": ["module", "module code", "course code", "course", "course title"],
    "completed": ["completed", "completed on", "completion date", "date completed"],
    "expires": ["expires", "expires on", "expiry date", "expiry"],
    "provider": ["provider", "training provider"],
    "evidence": ["evidence", "certificate", "certificate number"],
}
REQUIRED = ("person", "module", "completed")


@dataclass
class ValidRow:
    line: int
    user: User
    module: TrainingModule
    completed_on: datetime.date
    expires_on: datetime.date | None
    provider: str
    evidence: str


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class CsvCheck:
    valid: list[ValidRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    file_error: str | None = None

    @property
    def can_import_valid_rows(self) -> bool:
        return self.file_error is None and bool(self.valid)


def decode(raw: bytes) -> tuple[str | None, str | None]:
    """The text of the file, or an error naming the first line that is not UTF-8."""
    if len(raw) > MAX_BYTES:
        return None, "The file must be smaller than 2MB"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, (
            f"The file is not UTF-8 text (line {line} has characters in another encoding). "
            "Save it as “CSV UTF-8” and upload it again"
        )


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    return None


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    normalised = [h.strip().lower() for h in header]
    columns = {}
    for key, names in HEADINGS.items():
        for index, heading in enumerate(normalised):
            if heading in names:
                columns[key] = index
                break
    missing = [key for key in REQUIRED if key not in columns]
    return columns, missing


def check(text: str, *, organisation: Organisation, parts: list[int], today: datetime.date) -> CsvCheck:
    result = CsvCheck()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        result.file_error = "The file is empty"
        return result
    columns, missing = _columns(header)
    if missing:
        result.file_error = "Line 1 must have the column headings " + ", ".join(
            {"person": "email (or username)", "module": "module", "completed": "completed"}[m] for m in missing
        )
        return result

    member_ids = Membership.objects.filter(organisation_id__in=parts).values("user_id")
    people: dict[str, User] = {}
    for user in User.objects.filter(pk__in=member_ids, is_active=True):
        people[user.username.lower()] = user
        if user.email:
            people[user.email.lower()] = user
    modules: dict[str, TrainingModule] = {}
    for module in TrainingModule.objects.filter(organisation=organisation):
        modules[module.code.lower()] = module
        modules[module.title.lower()] = module
    recorded = set(
        TrainingCompletion.objects.filter(module__organisation=organisation).values_list(
            "user_id", "module_id", "completed_on"
        )
    )
    seen: dict[tuple[int, int, datetime.date], int] = {}

    def cell(row, key):
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(LineError(reader.line_num, f"Line {reader.line_num} cannot be read: {error}"))
            continue
        line = reader.line_num
        if not any(value.strip() for value in row):
            continue
        problems = []
        person_text, module_text = cell(row, "person"), cell(row, "module")
        user = people.get(person_text.lower())
        if not person_text:
            problems.append("the person is missing")
        elif user is None:
            problems.append(f"“{person_text}” is not a colleague in {organisation.name}")
        module = modules.get(module_text.lower())
        if not module_text:
            problems.append("the module is missing")
        elif module is None:
            problems.append(f"“{module_text}” is not a module in the training catalogue")
        completed_text = cell(row, "completed")
        completed_on = parse_date(completed_text)
        if not completed_text:
            problems.append("the completion date is missing")
        elif completed_on is None:
            problems.append(f"the completion date “{completed_text}” must be a real date like 31/03/2026")
        elif completed_on > today:
            problems.append(f"the completion date {completed_text} is in the future")
        expires_text = cell(row, "expires")
        expires_on = parse_date(expires_text) if expires_text else None
        if expires_text and expires_on is None:
            problems.append(f"the expiry date “{expires_text}” must be a real date like 31/03/2027")
        elif expires_on and completed_on and expires_on <= completed_on:
            problems.append("the expiry date must be after the completion date")
        if not problems:
            key = (user.pk, module.pk, completed_on)
            if key in seen:
                problems.append(f"it repeats line {seen[key]}")
            elif key in recorded:
                problems.append("this completion is already recorded")
            else:
                seen[key] = line
        if problems:
            result.errors.append(LineError(line, f"Line {line}: " + "; ".join(problems)))
        else:
            result.valid.append(
                ValidRow(
                    line=line,
                    user=user,
                    module=module,
                    completed_on=completed_on,
                    expires_on=expires_on,
                    provider=cell(row, "provider")[:200],
                    evidence=cell(row, "evidence")[:500],
                )
            )
    if not result.valid and not result.errors:
        result.file_error = "The file has no rows after the headings"
    return result
