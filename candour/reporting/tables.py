"""A table of figures as plain data: rendered on a page under its chart, and exported as CSV or ODS."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str  # used in export URLs and file names: letters, digits and hyphens
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # Optional, per row: the staff work-queue filters for the cases behind that row (None where there are none).
    row_filters: list[dict | None] = field(default_factory=list)

    def filters_for(self, index: int) -> dict | None:
        return self.row_filters[index] if index < len(self.row_filters) else None
