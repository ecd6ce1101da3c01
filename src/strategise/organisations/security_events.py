"""The audit events of signing in with a second factor, written in one place.

Every second-factor service records through ``security_event_record``, so a change to the
audit log's API is a change here only.
"""

from __future__ import annotations

from typing import Any

from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_record
from strategise.organisations.models import User

# The names the audit log knows these events by (audit.models.SecurityAction).
SECOND_FACTOR_SET_UP_STARTED = SecurityAction.SECOND_FACTOR_SET_UP_STARTED.value
SECOND_FACTOR_ENROLLED = SecurityAction.SECOND_FACTOR_ENROLLED.value
SECOND_FACTOR_USED = SecurityAction.SECOND_FACTOR_USED.value
SECOND_FACTOR_FAILED = SecurityAction.SECOND_FACTOR_FAILED.value
RECOVERY_CODES_ISSUED = SecurityAction.RECOVERY_CODES_ISSUED.value
RECOVERY_CODE_USED = SecurityAction.RECOVERY_CODE_USED.value


def security_event_record(*, user: User, action: str, detail: dict[str, Any]) -> None:
    """Append a second-factor event about ``user`` to the audit log (inside a transaction)."""
    audit_record(user=user, action=action, obj=user, detail=detail)
