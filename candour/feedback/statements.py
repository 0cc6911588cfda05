"""What the surveys ask: statements mapped to the four sections of the Complaint Standards, answered on a
five-point agreement scale. Keys are stored with each answer; the wording can improve without losing results.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.IntegerChoices):
    WELCOMING = 1, _("Welcoming complaints in a positive way")
    THOROUGH = 2, _("Being thorough and fair")
    RESPONSES = 3, _("Giving fair and accountable responses")
    LEARNING = 4, _("Promoting a learning culture")


class Kind(models.TextChoices):
    COMPLAINANT = "complainant", _("Complainant")
    COLLEAGUE = "colleague", _("Colleague")


# 1 to 5; 4 and 5 count as agreeing.
SCALE = [
    (5, _("Strongly agree")),
    (4, _("Agree")),
    (3, _("Neither agree nor disagree")),
    (2, _("Disagree")),
    (1, _("Strongly disagree")),
]
AGREE_FROM = 4


@dataclass(frozen=True)
class Statement:
    key: str
    section: int
    text: str


COMPLAINANT_STATEMENTS = [
    Statement("easy", Section.WELCOMING, _("It was easy to make my complaint")),
    Statement("no_harm", Section.WELCOMING, _("I felt able to complain without it affecting how I am treated")),
    Statement("informed", Section.THOROUGH, _("I was kept informed about my complaint")),
    Statement("fair", Section.THOROUGH, _("I was treated fairly and with respect")),
    Statement("clear", Section.RESPONSES, _("The response explained the decision clearly")),
    Statement("difference", Section.LEARNING, _("I believe my complaint will make a difference")),
]

COLLEAGUE_STATEMENTS = [
    Statement("support", Section.LEARNING, _("I received the support I needed while this complaint was handled")),
    Statement("time", Section.THOROUGH, _("I had enough time to play my part in this complaint properly")),
    Statement("training", Section.LEARNING, _("My training prepared me for my part in this complaint")),
    Statement("process_fair", Section.THOROUGH, _("The process was fair to everyone involved")),
]

STATEMENTS = {Kind.COMPLAINANT: COMPLAINANT_STATEMENTS, Kind.COLLEAGUE: COLLEAGUE_STATEMENTS}
BY_KEY = {(kind, s.key): s for kind, statements in STATEMENTS.items() for s in statements}


def statement(kind: str, key: str) -> Statement | None:
    return BY_KEY.get((kind, key))


class ColleagueRole(models.TextChoices):
    HANDLER = "handler", _("Complaint handler")
    INVESTIGATOR = "investigator", _("Investigator")
    REVIEWER = "reviewer", _("Reviewer")
    COMPLAINED_ABOUT = "complained_about", _("Colleague complained about")
