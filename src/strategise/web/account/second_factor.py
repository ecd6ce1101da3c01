"""The second-factor pages: set one up on first sign-in, then use it every time.

Views parse the form, call one service and render. A user with no second factor yet sets
up an authenticator app (or a passkey) and is shown ten recovery codes, once; after that
they enter a code from the app, use a passkey or use a recovery code. The same page asks
again (a "step-up") before the most sensitive actions.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from strategise.organisations.models import User
from strategise.organisations.second_factor import (
    APP,
    RECOVERY_CODE,
    recovery_code_use,
    recovery_codes_issue,
    second_factor_confirm,
    second_factor_enrol_totp,
    second_factor_verify,
    second_factors_of,
)
from strategise.problems import Problem
from strategise.web.account.second_factor_forms import CodeForm
from strategise.web.account.verification import (
    safe_next,
    second_factor_not_required,
    session_mark_verified,
    verified,
)
from strategise.web.users import current_user

# The ten recovery codes just issued, kept only until the page that shows them once.
RECOVERY_CODES_KEY = "strategise_recovery_codes"


def with_next(name: str, request: HttpRequest) -> str:
    """The path of the page called ``name``, carrying on to where this request was going."""
    return f"{reverse(name)}?{urlencode({'next': safe_next(request)})}"


def passed(request: HttpRequest, user: User, method: str) -> None:
    """Record that the user has passed their second factor in this session."""
    if not verified(request):
        # Passing the second factor raises what the session may do: give it a new key.
        request.session.cycle_key()
    session_mark_verified(request.session, user=user, method=method)


def recovery_codes_keep(request: HttpRequest, user: User) -> str:
    """Issue the user's recovery codes, keep them to show once, and say where that is."""
    request.session[RECOVERY_CODES_KEY] = recovery_codes_issue(user=user)
    return with_next("web:recovery-codes", request)


def qr_code(uri: str) -> Markup:
    """The QR code of ``uri`` as inline SVG (no image request, no script, no inline style)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=14)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :].replace(
        "<svg ",
        '<svg role="img" aria-label="QR code to scan with your authenticator app" '
        'focusable="false" ',
        1,
    )
    return Markup(svg)  # noqa: S704 - made here from the device's own URI, not user input


def _form_context(form: CodeForm) -> dict[str, Any]:
    return {"form": form, "errors": form.first_errors(), "error_summary": form.error_summary()}


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator app (or use a passkey); also the step-up page."""
    user = current_user(request)
    factors = second_factors_of(user=user)
    if not factors.any:
        return HttpResponseRedirect(with_next("web:second-factor-set-up", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(user=user, code=form.cleaned_data["code"])
        except Problem as problem:
            form.add_problem(problem)
        else:
            passed(request, user, APP)
            return HttpResponseRedirect(safe_next(request))
    return render(
        request,
        "web/account/second_factor.html",
        {
            **_form_context(form),
            "factors": factors,
            "step_up": verified(request),
            "next": safe_next(request),
        },
    )


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_page(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up an authenticator app from its QR code (or a passkey)."""
    user = current_user(request)
    if second_factors_of(user=user).any:
        return HttpResponseRedirect(with_next("web:second-factor", request))
    device: TOTPDevice = second_factor_enrol_totp(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_confirm(user=user, code=form.cleaned_data["code"])
        except Problem as problem:
            form.add_problem(problem)
        else:
            passed(request, user, APP)
            return HttpResponseRedirect(recovery_codes_keep(request, user))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "web/account/set_up.html",
        {
            **_form_context(form),
            "qr_code": qr_code(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": safe_next(request),
        },
    )


@never_cache
@require_GET
def recovery_codes_page(request: HttpRequest) -> HttpResponse:
    """The ten recovery codes just issued: shown this once, then only their count is kept."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        messages.success(request, "Your recovery codes were shown once and cannot be shown again")
        return HttpResponseRedirect(safe_next(request))
    return render(
        request,
        "web/account/recovery_codes.html",
        {"codes": codes, "next": safe_next(request)},
    )


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_code_page(request: HttpRequest) -> HttpResponse:
    """Sign in with one of the recovery codes, when the app or passkey is not to hand."""
    user = current_user(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            left = recovery_code_use(user=user, code=form.cleaned_data["code"])
        except Problem as problem:
            form.add_problem(problem)
        else:
            passed(request, user, RECOVERY_CODE)
            messages.success(
                request,
                f"Recovery code accepted. You have {left} "
                f"{'recovery code' if left == 1 else 'recovery codes'} left",
            )
            return HttpResponseRedirect(safe_next(request))
    return render(
        request,
        "web/account/recovery_code.html",
        {**_form_context(form), "step_up": verified(request), "next": safe_next(request)},
    )
