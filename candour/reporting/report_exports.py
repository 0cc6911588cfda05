"""The annual report's data tables as CSV (all tables in one file) and as an OpenDocument spreadsheet (one sheet
per table). Formula neutralising, number handling and the ODS writer are `candour.reporting.exports`'s, shared
with the governance dashboard; this module only adapts the report's table dicts to them.
"""

from __future__ import annotations

import csv
import io

from candour.reporting import exports
from candour.reporting.tables import Table


def _as_table(index: int, table: dict) -> Table:
    return Table(key=f"table-{index}", title=table["title"], headers=list(table["head"]), rows=list(table["rows"]))


def to_csv(tables: list[dict]) -> bytes:
    """Each table under its title, separated by a blank row (UTF-8 with a byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow([exports.neutralise(table["title"])])
        writer.writerow([exports.neutralise(h) for h in table["head"]])
        for row in table["rows"]:
            writer.writerow([exports.csv_cell(c) for c in row])
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def to_ods(tables: list[dict]) -> bytes:
    return exports.to_ods([_as_table(index, table) for index, table in enumerate(tables, start=1)])
