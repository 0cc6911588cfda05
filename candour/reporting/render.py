"""The annual report as an accessible HTML document, a tagged PDF of it, and its data tables (CSV, ODS)."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from candour.organisations.models import Organisation
from candour.reporting import charts, report_exports, selectors


def _n(value):
    return "" if value is None else value


def _pct(value):
    return "" if value is None else f"{value}%"


def summary_rows(f: dict) -> list[list]:
    p = f["previous"]
    rows = [
        ["Complaints received", f["received"], p["received"]],
        ["Complaints per 1,000 interactions", _n(f["per_thousand_interactions"]), ""],
        ["Acknowledged on time", _pct(f["acknowledgement"]["percent_on_time"]),
         _pct(p["acknowledgement"]["percent_on_time"])],
    ]  # fmt: skip
    for n in (1, 2):
        s, ps = f[f"stage{n}"], p[f"stage{n}"]
        rows += [
            [f"Stage {n} responses", s["responded"], ps["responded"]],
            [f"Stage {n} responded on time", _pct(s["percent_on_time"]), _pct(ps["percent_on_time"])],
            [f"Stage {n} average working days", _n(s["average_days"]), _n(ps["average_days"])],
            [f"Stage {n} extended", _pct(s["percent_extended"]), _pct(ps["percent_extended"])],
        ]
    rows += [
        ["Escalated to stage 2", _pct(f["percent_escalated_to_stage2"]), _pct(p["percent_escalated_to_stage2"])],
        ["Referred to the Ombudsman", f["ombudsman"]["referred"], p["ombudsman"]["referred"]],
        ["Financial redress paid (£)", f["redress_paid"], p["redress_paid"]],
        ["Learning records", f["learning_records"], p["learning_records"]],
        ["Improvements completed", f["actions_completed"], p["actions_completed"]],
        ["Improvements verified effective", f["actions_verified_effective"], p["actions_verified_effective"]],
    ]
    return rows


def report_tables(f: dict, consolidated: bool = False) -> list[dict]:
    """Every data table in the report, in order; those with a chart say how to draw it."""
    p = f["previous"]
    this, last = f["label"], p["label"]
    prev_channels = {c["key"]: c["count"] for c in p["by_channel"]}
    tables = [
        {"id": "summary", "title": "Summary", "head": ["Measure", this, last], "rows": summary_rows(f)},
        {
            "id": "channel",
            "title": "Complaints received by channel",
            "head": ["Channel", this, "Per cent", last],
            "rows": [
                [c["label"], c["count"], _pct(c["percent"]), prev_channels.get(c["key"], 0)] for c in f["by_channel"]
            ],
            "chart": ("Complaints received by channel, this year and last", [1, 3]),
        },
        {
            "id": "service_area",
            "title": "Complaints received by service area",
            "head": ["Service area", "Complaints"],
            "rows": [[r["name"], r["count"]] for r in f["by_service_area"]],
            "chart": ("Complaints received by service area", [1]),
        },
        {
            "id": "theme",
            "title": "Complaints received by theme",
            "head": ["Theme", "Complaints"],
            "rows": [[r["name"], r["count"]] for r in f["by_theme"]],
            "chart": ("Complaints received by theme (from learning records)", [1]),
        },
        {
            "id": "timeliness",
            "title": "Timeliness",
            "head": [
                "Step",
                "Number",
                "On time",
                "Per cent on time",
                "Average working days",
                "Extended",
                "Per cent extended",
            ],
            "rows": [
                [
                    "Acknowledgement",
                    f["acknowledgement"]["acknowledged"],
                    f["acknowledgement"]["on_time"],
                    _pct(f["acknowledgement"]["percent_on_time"]),
                    "",
                    "",
                    "",
                ]
            ]
            + [
                [
                    f"Stage {n} response",
                    f[f"stage{n}"]["responded"],
                    f[f"stage{n}"]["on_time"],
                    _pct(f[f"stage{n}"]["percent_on_time"]),
                    _n(f[f"stage{n}"]["average_days"]),
                    f[f"stage{n}"]["extended"],
                    _pct(f[f"stage{n}"]["percent_extended"]),
                ]
                for n in (1, 2)
            ],
        },  # fmt: skip
        {
            "id": "outcomes",
            "title": "Outcomes of responses issued",
            "head": ["Stage", "Outcome", "Responses"],
            "rows": [[o["stage"], o["label"], o["count"]] for o in f["outcomes"]],
        },
        {
            "id": "remedies",
            "title": "Remedies and redress",
            "head": ["Remedy", "Number", "Amount (£)"],
            "rows": [[r["label"], r["count"], r["amount"]] for r in f["remedies"]],
        },
        {
            "id": "ombudsman",
            "title": "Ombudsman referrals and findings",
            "head": ["Ombudsman's decision", "Referrals"],
            "rows": [[d["label"], d["count"]] for d in f["ombudsman"]["decisions"]],
        },
        {
            "id": "improvements",
            "title": "Improvements made",
            "head": ["Organisation", "What we did", "Evidence", "Expected impact", "Completed", "Status"],
            "rows": [
                [
                    i["organisation"],
                    i["description"],
                    i["evidence"],
                    i["expected_impact"],
                    i["done_on"].isoformat() if i["done_on"] else "",
                    i["status"],
                ]
                for i in f["improvements"]
            ],
        },  # fmt: skip
    ]
    if consolidated:
        tables.append({
            "id": "by_organisation",
            "title": "By organisation",
            "head": ["Organisation", "Complaints received", "Stage 1 on time", "Escalated to stage 2"],
            "rows": [[r["organisation"], r["received"], _pct(r["stage1_percent_on_time"]),
                      _pct(r["percent_escalated_to_stage2"])] for r in f["by_organisation"]],
        })  # fmt: skip
    for table in tables:
        if "chart" in table and table["rows"]:
            table["chart_uri"], table["chart_alt"] = report_chart(table)
    return tables


def report_chart(table: dict) -> tuple[str, str]:
    """A table's chart, drawn by the same `charts.bar_chart` as the governance dashboard, as an image source and its
    alt text (the figures in words, so the PDF's tagged figure says what the bars show)."""
    title, columns = table["chart"]
    svg = charts.bar_chart(
        title=title,
        description=f"Bar chart of {title[0].lower()}{title[1:]}; the table beside it gives the numbers.",
        labels=[str(row[0]) for row in table["rows"]],
        series={table["head"][c]: [row[c] for row in table["rows"]] for c in columns},
        value_label="Complaints",
        horizontal=True,
    )
    alt = f"{title}. " + "; ".join(
        f"{row[0]}: " + ", ".join(f"{table['head'][c]} {row[c]}" for c in columns) for row in table["rows"]
    )
    return charts.data_uri(svg), alt


@dataclass
class Report:
    organisation: Organisation
    year: int
    consolidated: bool
    figures: dict
    sections: dict
    tables: list[dict]
    governing_body_response: str
    generated_on: datetime.date

    @property
    def title(self) -> str:
        scope = " and the bodies it sponsors" if self.consolidated else ""
        return f"{self.organisation.name}{scope}: complaints performance and service improvement report, " \
               f"{selectors.year_label(self.year)}"  # fmt: skip


def build_report(organisation: Organisation, ids, year: int, consolidated: bool, response: str = "",
                 today: datetime.date | None = None) -> Report:  # fmt: skip
    figures = selectors.annual_report_figures(ids, year)
    return Report(
        organisation=organisation,
        year=year,
        consolidated=consolidated,
        figures=figures,
        sections=selectors.other_sections(ids, year),
        tables=report_tables(figures, consolidated),
        governing_body_response=response,
        generated_on=today or datetime.date.today(),
    )


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def render_html(report: Report, draft: bool = True) -> str:
    return render_to_string(
        "reporting/report_document.html",
        {"report": report, "tables": {t["id"]: t for t in report.tables}, "paragraphs": paragraphs, "draft": draft},
    )


def render_pdf(html: str) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 where WeasyPrint supports it) keeping headings, language, alt text."""
    from weasyprint import HTML
    from weasyprint.pdf import VARIANTS

    options = {"pdf_tags": True}
    if "pdf/ua-1" in VARIANTS:
        options["pdf_variant"] = "pdf/ua-1"
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)


def render_csv(report: Report) -> bytes:
    return report_exports.to_csv(_export_tables(report))


def render_ods(report: Report) -> bytes:
    return report_exports.to_ods(_export_tables(report))


def _export_tables(report: Report) -> list[dict]:
    extra = [
        {"title": title, "head": section["head"], "rows": section["rows"]}
        for key, title in SECTION_TITLES.items()
        if (section := report.sections.get(key))
    ]
    return report.tables + extra


SECTION_TITLES = {
    "surveys": "Complainant satisfaction survey results",
    "training": "Training and role acknowledgement",
    "governance": "Governance reviews and decisions",
    "self_assessment": "Self-assessment against the Complaint Standards",
}


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
