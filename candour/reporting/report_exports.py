"""The report's data tables as CSV and as an OpenDocument spreadsheet (one sheet per table).

Text that a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) is prefixed with
an apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(tables: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow([neutralise(table["title"])])
        writer.writerow([neutralise(h) for h in table["head"]])
        for row in table["rows"]:
            writer.writerow([neutralise(c) for c in row])
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def to_ods(tables: list[dict]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    used = set()
    for index, table in enumerate(tables, start=1):
        name = "".join(ch for ch in table["title"] if ch not in "[]*?:/\\'")[:28] or f"Table {index}"
        if name in used:
            name = f"{name[:24]} {index}"
        used.add(name)
        sheet = Table(name=name)
        for cells in [table["head"], *table["rows"]]:
            row = TableRow()
            for value in cells:
                value = neutralise(value)
                if isinstance(value, (int, float, Decimal)):
                    cell = TableCell(valuetype="float", value=str(value))
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                row.addElement(cell)
            sheet.addElement(row)
        doc.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
