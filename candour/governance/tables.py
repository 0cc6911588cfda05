"""The dashboard's figures as tables (shown under each chart, exported as CSV and ODS) and charts."""

from __future__ import annotations

from candour.reporting import charts
from candour.reporting.tables import Table


def _of(part, whole) -> str:
    return f"{part} of {whole}" if whole else "None due yet"


def dashboard_tables(f: dict) -> dict[str, Table]:
    headline = Table(
        "headline",
        "Headline figures",
        ["Indicator", "Figure", "Detail"],
    )

    def add(label, value, detail="", filters=None):
        headline.rows.append([label, value, detail])
        headline.row_filters.append(filters)

    add("Complaints received", f["received"], "", {})
    if f["interactions"]:
        add("Interactions (recorded monthly volumes)", f["interactions"])
        add("Complaints per 1,000 interactions", f["per_thousand"], "Organisations that record volumes")
    add("Acknowledged on time (%)", f["ack_pct_on_time"], _of(f["ack_on_time"], f["ack_on_time"] + f["ack_late"]))
    for stage in (1, 2):
        s = f"stage{stage}"
        add(
            f"Stage {stage} responses on time (%)",
            f[f"{s}_pct_on_time"],
            _of(f[f"{s}_on_time"], f[f"{s}_on_time"] + f[f"{s}_late"]),
            {} if stage == 1 else {"stage": 2},
        )
        add(f"Stage {stage} average working days", f[f"{s}_avg_days"], f"{f[f'{s}_responded']} responses issued")
        add(f"Stage {stage} extended (%)", f[f"{s}_pct_extended"], _of(f[f"{s}_extended"], f[f"{s}_started"]))
        add(f"Stage {stage} overdue now", f[f"{s}_overdue"], "", {"tab": "overdue", "status": "open", "stage": stage})
    add("Escalated to stage 2", f["escalated"], f"{f['escalated_pct'] or 0}% of complaints received", {"stage": 2})
    add("Referred to the Ombudsman", f["ombudsman_referred"], f"{f['ombudsman_pct'] or 0}% of complaints received")
    add("Financial redress paid (£)", f["redress_total"])
    add("Open now", f["open"], "", {"status": "open"})
    add("Overdue now", f["overdue"], "", {"tab": "overdue", "status": "open"})
    actions = f["improvement_actions"]
    add("Improvement actions open", actions["open"], f"{actions['overdue']} overdue")
    # A subset of the line above (review actions are improvement actions), never added to it.
    add(
        "Of which agreed at governance reviews",
        f["review_actions"]["open"],
        f"{f['review_actions']['overdue']} overdue",
    )
    add(
        "Improvement actions done",
        actions["done"] + actions["verified_effective"] + actions["verified_not_effective"],
        f"{actions['verified_effective']} verified effective",
    )

    tables = {"headline": headline}
    tables["by-month"] = Table(
        "by-month",
        "Complaints received by month",
        ["Month", "Received", "Stage 1 on time (%)"],
        [[row["month"].strftime("%B %Y"), row["received"], row["stage1_pct_on_time"]] for row in f["by_month"]],
    )
    tables["by-channel"] = Table(
        "by-channel",
        "Complaints by channel",
        ["Channel", "Complaints"],
        [[row["label"], row["count"]] for row in f["by_channel"]],
        [{"channel": row["channel"]} for row in f["by_channel"]],
    )
    tables["by-service-area"] = Table(
        "by-service-area",
        "Complaints by service area",
        ["Service area", "Complaints"],
        [[row["label"], row["count"]] for row in f["by_service_area"]],
        [{"service_area": row["id"]} if row["id"] else None for row in f["by_service_area"]],
    )
    stage1 = {row["outcome"]: row["count"] for row in f["outcomes"][1]}
    stage2 = {row["outcome"]: row["count"] for row in f["outcomes"][2]}
    tables["outcomes"] = Table(
        "outcomes",
        "Outcomes of responses issued, by stage",
        ["Outcome", "Stage 1", "Stage 2"],
        [[row["label"], stage1.get(row["outcome"], 0), stage2.get(row["outcome"], 0)] for row in f["outcomes"][1]],
    )
    tables["ombudsman"] = Table(
        "ombudsman",
        "The Ombudsman's decisions",
        ["Decision", "Complaints"],
        [[row["label"], row["count"]] for row in f["ombudsman_decisions"]]
        + [[f"Recommendations: {row['label']}", row["count"]] for row in f["ombudsman_compliance"]],
    )
    tables["remedies"] = Table(
        "remedies",
        "Remedies and redress",
        ["Remedy", "Times given", "Complaints", "Amount (£)"],
        [[row["label"], row["count"], row["complaints"], row["amount"]] for row in f["remedies"]],
    )
    tables["themes"] = Table(
        "themes",
        "Complaints by theme",
        ["Theme", "Complaints"],
        [[row["theme"], row["complaints"]] for row in f["themes"]],
    )
    for key, title, value in (
        ("training", "Training compliance", f.get("training")),
        ("surveys", "Complainant survey results", f.get("surveys")),
    ):
        table = _table_from_optional(key, title, value)
        if table is not None:
            tables[key] = table
    return tables


def _table_from_optional(key: str, title: str, value) -> Table | None:
    """Other apps' summaries (a list of dicts, or one dict) as a table, until each has its own layout."""
    if not value:
        return None
    if isinstance(value, dict):
        return Table(
            key,
            title,
            ["Figure", "Value"],
            [[str(k).replace("_", " ").capitalize(), v] for k, v in value.items() if not isinstance(v, list | dict)],
        )
    if isinstance(value, list) and isinstance(value[0], dict):
        headers = list(value[0])
        return Table(
            key,
            title,
            [h.replace("_", " ").capitalize() for h in headers],
            [[row.get(h) for h in headers] for row in value],
        )
    return None


def dashboard_charts(f: dict, tables: dict[str, Table]) -> dict:
    """SVG charts for the tables that have one (each is shown above its table)."""
    result = {}
    months = f["by_month"]
    result["by-month"] = charts.bar_chart(
        title="Complaints received by month",
        description="Bar chart of complaints received each month of the period; the table below gives the numbers.",
        labels=[row["month"].strftime("%b %Y") for row in months],
        values=[row["received"] for row in months],
        value_label="Complaints",
    )
    for key, title, description in (
        ("by_channel", "Complaints by channel", "complaints received by each channel"),
        ("by_service_area", "Complaints by service area", "complaints about each service area"),
    ):
        if f[key]:
            result[key.replace("_", "-")] = charts.bar_chart(
                title=title,
                description=f"Bar chart of {description}; the table below gives the numbers.",
                labels=[row["label"] for row in f[key]],
                values=[row["count"] for row in f[key]],
                value_label="Complaints",
                horizontal=True,
            )
    return result


def trend_table_and_chart(trend: dict) -> tuple[Table, object]:
    labels = [month.strftime("%b %Y") for month in trend["months"]]
    table = Table(
        "trend",
        "Complaints received each month, by organisation",
        ["Organisation"] + labels,
        [[name] + values for name, values in trend["series"].items()],
    )
    chart = charts.line_chart(
        title="Complaints received each month, by organisation",
        description="Line chart with one line per organisation; the table below gives the numbers.",
        labels=labels,
        series=trend["series"],
        value_label="Complaints",
    )
    return table, chart


def comparison_table(rows: list[dict], thresholds=()) -> Table:
    """Related organisations side by side (aggregates only)."""
    table = Table(
        "organisations",
        "Related organisations side by side",
        [
            "Organisation",
            "Received",
            "Per 1,000 interactions",
            "Acknowledged on time (%)",
            "Stage 1 on time (%)",
            "Stage 2 on time (%)",
            "Stage 1 average working days",
            "Stage 1 extended (%)",
            "Escalated to stage 2 (%)",
            "Overdue now",
            "Governance actions overdue",
            "Governance review",
            "Self-assessment",
            "Falls short of",
        ],
    )
    for row in rows:
        rhythm = row["rhythm"]
        if rhythm is None:
            review = "No governance body named"
        elif rhythm["missed"]:
            review = "Missed"
        else:
            review = "On rhythm"
        short = [t.get_indicator_display() for t in (row.get("shortfalls") or [])]
        table.rows.append(
            [
                row["organisation"].name,
                row["received"],
                row["per_thousand"],
                row["ack_pct_on_time"],
                row["stage1_pct_on_time"],
                row["stage2_pct_on_time"],
                row["stage1_avg_days"],
                row["stage1_pct_extended"],
                row["escalated_pct"],
                row["overdue"],
                row["actions_overdue"],
                review,
                "" if row.get("self_assessment") is None else str(row["self_assessment"]),
                "; ".join(str(s) for s in short),
            ]
        )
    return table
