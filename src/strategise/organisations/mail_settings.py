"""Where an authority's minutes may go: its own email domains, the other domains it counts
as secure, and whether the PDF is attached for secure addresses or everyone signs in."""

from __future__ import annotations

import re

from django.db import transaction

from strategise.audit.services import audit_record
from strategise.organisations.models import LocalAuthority, MinutesDelivery
from strategise.problems import Problem

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _domains(text: str, field: str) -> str:
    domains = [part.strip().lower() for part in text.split(",") if part.strip()]
    wrong = [domain for domain in domains if not DOMAIN.match(domain)]
    if wrong:
        raise Problem(
            f"{', '.join(wrong)} {'is not a domain' if len(wrong) == 1 else 'are not domains'}: "
            "give domains like sandwell.gov.uk, separated by commas",
            field,
        )
    return ", ".join(domains)


def authority_mail_update(
    *,
    authority: LocalAuthority,
    email_domains: str | None = None,
    secure_domains: str | None = None,
    minutes_delivery: str | None = None,
) -> LocalAuthority:
    """Change what an authority counts as secure, and how its minutes go (audited)."""
    changes: dict[str, str] = {}
    if email_domains is not None:
        changes["email_domains"] = _domains(email_domains, "email_domains")
    if secure_domains is not None:
        changes["secure_domains"] = _domains(secure_domains, "secure_domains")
    if minutes_delivery is not None:
        if minutes_delivery not in MinutesDelivery.values:
            raise Problem(
                f"Minutes delivery must be one of {', '.join(MinutesDelivery.values)}",
                "minutes_delivery",
            )
        changes["minutes_delivery"] = minutes_delivery
    with transaction.atomic(durable=True):
        locked = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
        before = {field: getattr(locked, field) for field in changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes) or None)
        audit_record(
            user=None,
            action="authority-mail-settings",
            obj=locked,
            detail={"before": before, "after": changes},
        )
    return locked
