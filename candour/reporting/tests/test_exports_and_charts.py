"""Exports are read back as a spreadsheet would read them; charts are labelled SVG that CSP allows."""

import base64
import csv
import datetime
import io
import re
from decimal import Decimal

import pytest

from candour.reporting import charts, exports
from candour.reporting.tables import Table

TABLE = Table(
    "areas",
    "Complaints by service area",
    ["Service area", "Complaints", "Redress (£)", "Since"],
    [
        ['=HYPERLINK("http://evil")', 3, Decimal("150.50"), datetime.date(2025, 4, 1)],
        ["+44 phone line", -2, None, None],
        ["@SUM(A1)", 0, Decimal("0"), None],
        ["\tTabbed", 1, 1.5, None],
        ["Ceisiadau grant (Welsh)", 7, Decimal("12"), None],
        ["-minus", 1, 1, None],
    ],
)


def test_csv_reads_back_with_formulas_neutralised_and_numbers_kept():
    data = exports.to_csv(TABLE)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Service area", "Complaints", "Redress (£)", "Since"]
    assert rows[1] == ['\'=HYPERLINK("http://evil")', "3", "150.50", "2025-04-01"]
    assert rows[2][:2] == ["'+44 phone line", "-2"]  # a negative number stays a number
    assert rows[3][0] == "'@SUM(A1)" and rows[4][0] == "'\tTabbed" and rows[6][0] == "'-minus"
    assert rows[5][0] == "Ceisiadau grant (Welsh)"


def test_ods_reads_back_with_the_same_neutralisation_and_real_numbers():
    data = exports.to_ods([TABLE, Table("x", TABLE.title, ["A"], [["=1+1"]])])
    sheets = exports.read_ods(data)
    assert list(sheets) == ["Complaints by service area", "Complaints by service area (2)"]
    rows = sheets["Complaints by service area"]
    assert rows[0] == ["Service area", "Complaints", "Redress (£)", "Since"]
    assert rows[1] == ['\'=HYPERLINK("http://evil")', "3", "150.50", "2025-04-01"]
    assert rows[3][0] == "'@SUM(A1)"
    assert sheets["Complaints by service area (2)"][1] == ["'=1+1"]
    # Numbers are stored as numbers (value-type float), not text.
    from odf.opendocument import load
    from odf.table import TableCell

    cells = load(io.BytesIO(data)).spreadsheet.getElementsByType(TableCell)
    assert any(c.getAttribute("valuetype") == "float" and c.getAttribute("value") == "-2" for c in cells)


def test_a_chart_is_labelled_svg_with_no_inline_css():
    svg = charts.bar_chart(
        title="Complaints by channel",
        description="Bar chart; the table below gives the numbers.",
        labels=["Email", "Phone <script>"],
        values=[3, 1],
        horizontal=True,
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Complaints by channel"' in svg
    assert "<title>Complaints by channel</title>" in svg and "<desc>Bar chart; the table" in svg
    assert "style=" not in svg and "<style" not in svg  # CSP style-src 'self' would block these
    assert "<script>" not in svg and "Phone &lt;script&gt;" in svg
    assert ">Email<" in svg  # text kept as text


def test_a_line_chart_draws_gaps_for_missing_values():
    svg = charts.line_chart(
        title="On time", description="d", labels=["Apr", "May", "Jun"], series={"Stage 1": [80, None, 90]}
    )
    assert 'aria-label="On time"' in svg and "style=" not in svg


def _structure(svg: str) -> str:
    """The chart's markup without the words that name it: what is left is what the drawing code produced."""
    svg = re.sub(r"<title>.*?</title><desc>.*?</desc>", "", str(svg), count=1)
    return re.sub(r'aria-label="[^"]*"', "", svg, count=1)


def test_the_annual_report_and_the_governance_dashboard_draw_charts_with_the_same_function():
    from candour.governance.tables import dashboard_charts
    from candour.reporting.render import report_chart

    areas = [{"label": "Licences", "count": 4}, {"label": "Grants", "count": 1}]
    dashboard = dashboard_charts({"by_month": [], "by_channel": [], "by_service_area": areas}, {})["by-service-area"]
    table = {
        "title": "Complaints received by service area",
        "head": ["Service area", "Complaints"],
        "rows": [["Licences", 4], ["Grants", 1]],
        "chart": ("Complaints received by service area", [1]),
    }
    uri, alt = report_chart(table)
    report = base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode()
    # The same data gives the same drawing, marked up for assistive technology the same way.
    assert _structure(report) == _structure(dashboard)
    assert report.startswith('<svg role="img" aria-label="Complaints received by service area"')
    assert "<title>Complaints received by service area</title><desc>Bar chart of complaints" in report
    assert "style=" not in report and ">Licences<" in report
    assert alt == "Complaints received by service area. Licences: Complaints 4; Grants: Complaints 1"


def test_a_chart_of_this_year_and_last_draws_a_bar_for_each_with_a_legend():
    svg = charts.bar_chart(
        title="Complaints received by channel, this year and last",
        description="d",
        labels=["Email", "Phone"],
        series={"2024 to 2025": [3, 1], "2023 to 2024": [2, 0]},
        horizontal=True,
    )
    assert ">2024 to 2025<" in svg and ">2023 to 2024<" in svg  # the legend names both years
    assert charts.COLOURS[0] in svg and charts.COLOURS[1] in svg  # in different colours
    with pytest.raises(ValueError):
        charts.bar_chart(title="t", description="d", labels=["a"], values=[1], series={"x": [1]})
