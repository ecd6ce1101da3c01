"""The passkey ceremonies' two requests each, answered in JSON for ``passkey.mjs``.

Registering: a user with no second factor yet (first sign-in) or one who has passed it
asks for options, the browser makes a passkey, and its answer is checked and kept.
Signing in: a user with a passkey asks for options, the browser signs the challenge, and
the answer is checked. Each challenge lives in the session, for its one answer only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.views.decorators.http import require_POST
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from strategise.organisations.passkeys import (
    PASSKEY,
    RelyingParty,
    passkey_authenticate,
    passkey_authentication_begin,
    passkey_register,
    passkey_registration_begin,
)
from strategise.organisations.second_factor import second_factors_of
from strategise.problems import Problem
from strategise.web.account.second_factor import passed, recovery_codes_keep
from strategise.web.account.verification import (
    safe_next,
    second_factor_not_required,
    verified,
)
from strategise.web.users import current_user

CHALLENGE_KEY = "strategise_passkey_challenge"
REGISTER, SIGN_IN = "register", "sign-in"


def _site(request: HttpRequest) -> RelyingParty:
    """This site as WebAuthn names it: the host (Django has checked it is allowed)."""
    host = request.get_host()
    domain, _ = split_domain_port(host)
    return RelyingParty(id=domain, origin=f"{request.scheme}://{host}")


def _refused(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _challenge(request: HttpRequest, purpose: str) -> bytes | None:
    """The challenge issued for ``purpose``, used up by this one answer."""
    kept = request.session.pop(CHALLENGE_KEY, None)
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        return None
    return base64url_to_bytes(kept["challenge"])


def _keep(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[CHALLENGE_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
    }


def _answer(request: HttpRequest) -> str:
    return request.body.decode("utf-8", errors="replace")


NO_CHALLENGE = "The passkey took too long or was already used. Try again"


@second_factor_not_required
@require_POST
def register_options(request: HttpRequest) -> HttpResponse:
    """Options for making a passkey: on first sign-in, or once the second factor is passed."""
    user = current_user(request)
    if second_factors_of(user=user).any and not verified(request):
        return _refused("Sign in with your second factor before adding a passkey")
    ceremony = passkey_registration_begin(user=user, site=_site(request))
    _keep(request, REGISTER, ceremony.challenge)
    return HttpResponse(ceremony.options, content_type="application/json")


@second_factor_not_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """Keep the new passkey; on first sign-in it is the second factor, so issue codes."""
    user = current_user(request)
    first = not second_factors_of(user=user).any
    if not first and not verified(request):
        return _refused("Sign in with your second factor before adding a passkey")
    challenge = _challenge(request, REGISTER)
    if challenge is None:
        return _refused(NO_CHALLENGE)
    try:
        passkey_register(
            user=user,
            credential=_answer(request),
            challenge=challenge,
            site=_site(request),
            now=timezone.now(),
        )
    except Problem as problem:
        return _refused(str(problem))
    if first:
        passed(request, user, PASSKEY)
        return JsonResponse({"redirect": recovery_codes_keep(request, user)})
    return JsonResponse({"redirect": safe_next(request)})


@second_factor_not_required
@require_POST
def sign_in_options(request: HttpRequest) -> HttpResponse:
    """Options for signing in with one of the user's passkeys."""
    user = current_user(request)
    if not second_factors_of(user=user).passkeys:
        return _refused("You have not set up a passkey: enter a code from your app instead")
    ceremony = passkey_authentication_begin(user=user, site=_site(request))
    _keep(request, SIGN_IN, ceremony.challenge)
    return HttpResponse(ceremony.options, content_type="application/json")


@second_factor_not_required
@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    """Check the passkey's signed answer; the user has passed their second factor."""
    user = current_user(request)
    challenge = _challenge(request, SIGN_IN)
    if challenge is None:
        return _refused(NO_CHALLENGE)
    try:
        passkey_authenticate(
            user=user,
            credential=_answer(request),
            challenge=challenge,
            site=_site(request),
            now=timezone.now(),
        )
    except Problem as problem:
        return _refused(str(problem))
    passed(request, user, PASSKEY)
    return JsonResponse({"redirect": safe_next(request)})
