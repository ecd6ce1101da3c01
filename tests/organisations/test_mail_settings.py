"""An authority's secure domains and how its minutes go, set from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from strategise.audit.models import AuditEvent
from strategise.organisations.models import LocalAuthority, MinutesDelivery

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("authority_mail", *args, stdout=out)
    return out.getvalue()


def test_it_shows_the_settings(authority: LocalAuthority) -> None:
    assert _run("sandwell").splitlines() == [
        "Sandwell Metropolitan Borough Council (sandwell)",
        "  own domains:      example.org",
        "  secure domains:   gov.uk, nhs.net, pnn.police.uk, cjsm.net",
        "  minutes delivery: The PDF attached for secure addresses; a link to sign in and read "
        "them for others",
    ]


def test_it_changes_them_audited(authority: LocalAuthority) -> None:
    out = _run(
        "sandwell",
        "--own-domains",
        "Sandwell.gov.uk, sandwellchildrenstrust.org",
        "--minutes-delivery",
        "sign_in",
    )
    assert "own domains:      sandwell.gov.uk, sandwellchildrenstrust.org" in out
    authority.refresh_from_db()
    assert authority.minutes_delivery == MinutesDelivery.SIGN_IN
    assert authority.is_secure_address("nurse@sandwellchildrenstrust.org")
    event = AuditEvent.objects.get(action="authority-mail-settings")
    assert event.detail == {
        "before": {"email_domains": "example.org", "minutes_delivery": "attach_to_secure"},
        "after": {
            "email_domains": "sandwell.gov.uk, sandwellchildrenstrust.org",
            "minutes_delivery": "sign_in",
        },
    }


def test_bad_input_is_named(authority: LocalAuthority) -> None:
    with pytest.raises(
        CommandError, match=r"No local authority has the slug 'nowhere' \(there are: sandwell\)"
    ):
        _run("nowhere")
    with pytest.raises(CommandError, match="someone@gmail.com is not a domain: give domains like"):
        _run("sandwell", "--secure-domains", "gov.uk, someone@gmail.com")
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        _run("sandwell", "--minutes-delivery", "pdf")
    assert not AuditEvent.objects.filter(action="authority-mail-settings").exists()
