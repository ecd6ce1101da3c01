"""The audit events of signing in with a second factor, written in one place.

Every second-factor service records through ``security_event_record``, so a change to the
audit log's API is a change here only.
"""

from __future__ import annotations

from typing import Any

from strategise.audit.services import audit_record
from strategise.organisations.models import User

SECOND_FACTOR_SET_UP_STARTED = "second-factor-set-up-started"
SECOND_FACTOR_ENROLLED = "second-factor-enrolled"
SECOND_FACTOR_USED = "second-factor-used"
SECOND_FACTOR_FAILED = "second-factor-failed"
RECOVERY_CODES_ISSUED = "recovery-codes-issued"
RECOVERY_CODE_USED = "recovery-code-used"


def security_event_record(*, user: User, action: str, detail: dict[str, Any]) -> None:
    """Append a second-factor event about ``user`` to the audit log (inside a transaction)."""
    audit_record(user=user, action=action, obj=user, detail=detail)
