"""The period a report or return covers, typed as two GOV.UK date inputs."""

from __future__ import annotations

from typing import Any, ClassVar

from strategise.reports.period import Period
from strategise.web.govuk import GovukForm

PARTS = tuple(f"{end}_{part}" for end in ("from", "to") for part in ("day", "month", "year"))


class PeriodForm(GovukForm):
    """From and to dates (both included). Without any input, ``default`` is shown and used."""

    anchors: ClassVar[dict[str, str]] = {"from": "from-day", "to": "to-day"}

    def __init__(self, data: Any, *, default: Period) -> None:
        typed = any(str((data or {}).get(name, "")).strip() for name in PARTS)
        super().__init__(
            data if typed else None,
            initial={
                "from_day": default.first.day,
                "from_month": default.first.month,
                "from_year": default.first.year,
                "to_day": default.last.day,
                "to_month": default.last.month,
                "to_year": default.last.year,
            },
        )
        self.default = default

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first = self.date_from_parts("from", "the start date")
        last = self.date_from_parts("to", "the end date")
        if first and last and last < first:
            self._error("to", "The end date must be the same as or after the start date")
        elif first and last:
            cleaned["period"] = Period(first, last)
        return cleaned

    def period(self) -> Period | None:
        """The period asked for, the default if nothing was typed, or None if it has errors."""
        if not self.is_bound:
            return self.default
        return self.cleaned_data.get("period") if self.is_valid() else None
