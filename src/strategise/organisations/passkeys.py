"""Passkeys (WebAuthn) as a second factor: registering one, and signing in with it.

Each ceremony has two halves. ``*_begin`` gives the options the browser needs, with a
fresh challenge the caller keeps (in the session) until the browser answers; the second
half checks the answer against that challenge, the site's name (relying party id) and
its origin. Errors from the WebAuthn library become a ``Problem`` a person can act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from strategise.organisations.models import Passkey, User
from strategise.organisations.security_events import (
    SECOND_FACTOR_ENROLLED,
    SECOND_FACTOR_FAILED,
    SECOND_FACTOR_USED,
    security_event_record,
)
from strategise.problems import Problem

PASSKEY = "passkey"
RP_NAME = "Strategise"


@dataclass(frozen=True)
class Ceremony:
    """What the browser needs (JSON), and the challenge to keep until it answers."""

    options: str
    challenge: bytes


@dataclass(frozen=True)
class RelyingParty:
    """The site the passkey belongs to: its host name (the id) and its origin."""

    id: str
    origin: str


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(passkey.credential_id),
            transports=[AuthenticatorTransport(t) for t in passkey.transports],
        )
        for passkey in Passkey.objects.filter(user=user)
    ]


def passkey_registration_begin(*, user: User, site: RelyingParty) -> Ceremony:
    """The options for the browser to make a new passkey for ``user`` on this site."""
    options = generate_registration_options(
        rp_id=site.id,
        rp_name=RP_NAME,
        user_id=f"strategise-user-{user.pk}".encode(),
        user_name=user.get_username(),
        user_display_name=str(user),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return Ceremony(options=options_to_json(options), challenge=options.challenge)


def _transports(credential: str) -> list[str]:
    """The transports the browser says the new passkey uses (USB, NFC, internal...)."""
    try:
        found = json.loads(credential).get("response", {}).get("transports", [])
    except (ValueError, AttributeError):
        return []
    known = {t.value for t in AuthenticatorTransport}
    return [t for t in found if t in known] if isinstance(found, list) else []


def passkey_register(
    *, user: User, credential: str, challenge: bytes, site: RelyingParty, now: datetime
) -> Passkey:
    """Keep the passkey the browser made, once its answer is checked against the challenge."""
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=site.id,
            expected_origin=site.origin,
        )
    except WebAuthnException as error:
        raise Problem(
            "Your passkey could not be set up. Try again, or set up an authenticator app instead"
        ) from error
    with transaction.atomic():
        passkey = Passkey.objects.create(
            user=user,
            credential_id=bytes_to_base64url(verified.credential_id),
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=_transports(credential),
            name=f"Passkey added on {now:%-d %B %Y}",
            created_at=now,
        )
        security_event_record(user=user, action=SECOND_FACTOR_ENROLLED, detail={"method": PASSKEY})
    return passkey


def passkey_authentication_begin(*, user: User, site: RelyingParty) -> Ceremony:
    """The options for the browser to sign ``user`` in with one of their passkeys."""
    options = generate_authentication_options(
        rp_id=site.id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return Ceremony(options=options_to_json(options), challenge=options.challenge)


def passkey_authenticate(
    *, user: User, credential: str, challenge: bytes, site: RelyingParty, now: datetime
) -> Passkey:
    """Check the browser's signed answer with one of the user's passkeys."""
    with transaction.atomic():
        problem = Problem(
            "Your passkey was not accepted. Try again, or use your authenticator app or a "
            "recovery code"
        )
        try:
            parsed = parse_authentication_credential_json(credential)
            passkey = (
                Passkey.objects.select_for_update()
                .filter(user=user, credential_id=bytes_to_base64url(parsed.raw_id))
                .first()
            )
            if passkey is None:
                problem = Problem(
                    "That passkey is not one set up for your account. Choose another, or use "
                    "your authenticator app or a recovery code"
                )
            else:
                verified = verify_authentication_response(
                    credential=parsed,
                    expected_challenge=challenge,
                    expected_rp_id=site.id,
                    expected_origin=site.origin,
                    credential_public_key=bytes(passkey.public_key),
                    credential_current_sign_count=passkey.sign_count,
                )
                passkey.sign_count = verified.new_sign_count
                passkey.last_used_at = now
                passkey.save(update_fields=["sign_count", "last_used_at"])
                security_event_record(
                    user=user, action=SECOND_FACTOR_USED, detail={"method": PASSKEY}
                )
                return passkey
        except WebAuthnException:
            pass
        security_event_record(user=user, action=SECOND_FACTOR_FAILED, detail={"method": PASSKEY})
    raise problem
