"""Export a `Table` as CSV or ODS (OpenDocument spreadsheet, via odfpy), safe to open in a spreadsheet.

Spreadsheet programs treat a cell beginning with = + - @ (or a tab or carriage return) as a formula, so a
text value such as a service area named "=HYPERLINK(...)" could run when opened (CSV/formula injection).
Every text cell beginning with one of those characters is prefixed with an apostrophe. Numbers are written
as numbers (so a negative number stays a number and is not altered).
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from candour.reporting.tables import Table

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
ODS_CONTENT_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def neutralise(value) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value):
    if _is_number(value):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accented names (Welsh, Irish) correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_ods(tables: Table | list[Table]) -> bytes:
    """One sheet per table (sheet names are the tables' titles, trimmed to what spreadsheets accept)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    if isinstance(tables, Table):
        tables = [tables]
    document = OpenDocumentSpreadsheet()
    used = set()
    for table in tables:
        name = _sheet_name(table.title, used)
        sheet = OdsTable(name=name)
        header = TableRow()
        for heading in table.headers:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=neutralise(heading)))
            header.addElement(cell)
        sheet.addElement(header)
        for row in table.rows:
            tr = TableRow()
            for value in row:
                if _is_number(value):
                    cell = TableCell(valuetype="float", value=str(value))
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, datetime.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=neutralise(value)))
                tr.addElement(cell)
            sheet.addElement(tr)
        document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set) -> str:
    base = "".join(c for c in title if c not in "[]*?:/\\'")[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def read_ods(data: bytes) -> dict[str, list[list[str]]]:
    """Read an ODS back as {sheet name: rows of cell text} (for tests and imports)."""
    from odf.opendocument import load
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow

    document = load(io.BytesIO(data))
    sheets = {}
    for sheet in document.spreadsheet.getElementsByType(OdsTable):
        rows = []
        for tr in sheet.getElementsByType(TableRow):
            rows.append([str(cell) for cell in tr.getElementsByType(TableCell)])
        sheets[sheet.getAttribute("name")] = rows
    return sheets
