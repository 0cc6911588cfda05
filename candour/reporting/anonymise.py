"""Anonymise free text for a case study: pure Python, no Django.

`anonymise(text, known_names=(), references=())` removes or generalises what could identify a person:

- e-mail addresses, complaint references (``VLA-2026-000123`` and any given), National Insurance numbers,
  UK phone numbers (07..., +44..., 01/02/03..., with spaces, dashes or brackets), postcodes and street
  addresses are replaced by a bracketed label;
- names: the complaint's own known names (whole and each part), anyone after a title (Mr, Mrs, Ms, Miss,
  Mx, Dr, Prof) or after "my name is", and every later mention of a name found that way;
- dates of birth (a date or year after "born", "DOB", "date of birth") become ``[date of birth]``; every
  other specific date is generalised to its month and year ("12 March 2024" -> "March 2024").

It errs on the side of removing too much: a case study is read and approved by a second person anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME = "[name]"
EMAIL = "[email address]"
PHONE = "[phone number]"
NI_NUMBER = "[National Insurance number]"
POSTCODE = "[postcode]"
ADDRESS = "[address]"
REFERENCE = "[reference]"
DATE_OF_BIRTH = "[date of birth]"

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
_MONTH_BY_PREFIX = {m[:3].lower(): m for m in MONTHS}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # fmt: skip
_ORD = r"(?:st|nd|rd|th)?"

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
REFERENCE_RE = re.compile(r"\b[A-Z]{2,6}-\d{4}-\d{3,}\b")
NI_RE = re.compile(r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", re.IGNORECASE)
PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    r"\+44\s?(?:\(0\)\s?)?\d(?:[\s-]?\d){8,9}"  # +44 7700 900123, +44 (0)20 7946 0000
    r"|\(0\d{2,4}\)\s?\d(?:[\s-]?\d){5,7}"  # (01632) 960123
    r"|0[1237]\d(?:[\s-]?\d){7,8}"  # 07700 900123, 020 7946 0000, 0300 123 4567
    r")(?!\d)"
)
POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Place|Court|Gardens|Terrace|" \
          r"Grove|Hill|Park|Square|Row|Mews|Walk|View|Rise|Parade)"  # fmt: skip
ADDRESS_RE = re.compile(
    rf"(?:\b(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}{_STREET}\b\.?"
    rf"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=\s*,?\s*\[postcode\]))?"
)

_DMY_WORDS = rf"(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
_MDY_WORDS = rf"(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})"
_NUMERIC = r"(?P<d3>\d{1,2})[/.-](?P<m3>\d{1,2})[/.-](?P<y3>\d{4}|\d{2})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
_DM_WORDS = rf"(?P<d5>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m5>{_MONTH})\b"
_MD_WORDS = rf"(?P<m6>{_MONTH})\s+(?P<d6>\d{{1,2}}){_ORD}(?!\d)"
_DATES = rf"{_ISO}|{_NUMERIC}|{_DMY_WORDS}|{_MDY_WORDS}|{_DM_WORDS}|{_MD_WORDS}"
DATE_RE = re.compile(rf"(?P<on>\b[Oo]n\s+(?:the\s+)?)?\b(?:{_DATES})\b")
_ANY_DATE = (rf"(?:{_ISO}|{_NUMERIC}|{_DMY_WORDS}|{_MDY_WORDS}|{_MONTH}\s+\d{{4}}|\d{{4}})").replace("?P<", "?P<b")
DOB_RE = re.compile(
    rf"(?P<cue>\b(?:born(?:\s+on|\s+in)?|DOB|D\.O\.B\.?|date\s+of\s+birth)(?:\s*(?:is|was|:|-|of))?\s*)"
    rf"(?P<date>{_ANY_DATE})\b",
    re.IGNORECASE,
)

_NAME_WORD = r"[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’-]*\b"
TITLE_RE = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)")
MY_NAME_RE = re.compile(rf"\b(?P<cue>[Mm]y name is|I am called|[Nn]ame:)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})*)")
# Capitalised words that follow a title but are not names (e.g. "Dr Who" is a name; "Mr Speaker" is not).
NOT_NAMES = {"Speaker", "President", "Chairman", "Chair", "Justice", "Deputy", "Secretary", "Minister", "The"}


def _month_name(value: str) -> str | None:
    if value.isdigit():
        number = int(value)
        return MONTHS[number - 1] if 1 <= number <= 12 else None
    return _MONTH_BY_PREFIX.get(value[:3].lower())


def _year(value: str) -> str:
    return value if len(value) == 4 else ("20" + value if int(value) < 50 else "19" + value)


def _generalise(match: re.Match) -> str:
    on = match.group("on")
    prefix = ("In " if on[0] == "O" else "in ") if on else ""
    return prefix + _generalised(match.groupdict())


def _generalised(g: dict) -> str:
    for n in ("1", "2", "3", "4"):
        if g.get("m" + n):
            month = _month_name(g["m" + n])
            return f"{month} {_year(g['y' + n])}" if month else "[date]"
    for n in ("5", "6"):
        if g.get("m" + n):
            return _month_name(g["m" + n]) or "[date]"
    return "[date]"  # pragma: no cover


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    words = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        words.add(name)
        words.update(part for part in re.split(r"\s+", name) if len(part) >= 2 and part[0].isupper()
                     and part.rstrip(".") not in {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof"})  # fmt: skip
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?:['’]s)?(?![\w@])")


def anonymise(text: str, known_names: Iterable[str] = (), references: Iterable[str] = ()) -> str:
    """`text` with personal data removed or generalised (see the module docstring)."""
    if not text:
        return ""
    out = EMAIL_RE.sub(EMAIL, text)
    for reference in sorted({r for r in references if r}, key=len, reverse=True):
        out = re.sub(re.escape(reference), REFERENCE, out, flags=re.IGNORECASE)
    out = REFERENCE_RE.sub(REFERENCE, out)
    out = NI_RE.sub(NI_NUMBER, out)
    out = DOB_RE.sub(lambda m: m.group("cue") + DATE_OF_BIRTH, out)
    out = DATE_RE.sub(_generalise, out)
    out = PHONE_RE.sub(PHONE, out)
    out = POSTCODE_RE.sub(POSTCODE, out)
    out = ADDRESS_RE.sub(ADDRESS, out)
    found = [m.group("name") for m in TITLE_RE.finditer(out) if m.group("name").split()[0] not in NOT_NAMES]
    found += [m.group("name") for m in MY_NAME_RE.finditer(out)]
    out = TITLE_RE.sub(lambda m: m.group(0) if m.group("name").split()[0] in NOT_NAMES else NAME, out)
    out = MY_NAME_RE.sub(lambda m: f"{m.group('cue')} {NAME}", out)
    pattern = _name_pattern([*known_names, *found])
    if pattern is not None:
        out = pattern.sub(NAME, out)
    return re.sub(r"(?:\[name\]\s+){1,}\[name\]", NAME, out)
