"""Accounts: what an administrator does to the accounts of their authority, and what each
person does to their own (a new password). Signing out of every device is in
``sessions.py``, with the rest of the session code.

Each service runs in one durable transaction with its audit event (its object is the
account). Ending someone's sessions is ``sessions.sessions_end``: a new session stamp.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.access import may_administer
from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_record
from strategise.organisations.lockout import failures_forget
from strategise.organisations.models import Agency, Passkey, Role, Team, User
from strategise.organisations.sessions import sessions_end
from strategise.problems import Problem

NAME_LIMIT = 150


@dataclass(frozen=True)
class AccountDetails:
    """What an administrator sets on an account (the username only when creating it)."""

    first_name: str
    last_name: str
    email: str
    agency: Agency | None
    team: Team | None
    role: str
    job_title: str = ""


def _refuse_unless_administrator(user: User, account: User | None = None) -> None:
    if not may_administer(user, account):
        raise Problem("Only an administrator of this authority can manage its accounts")


def _checked(user: User, details: AccountDetails, account: User | None) -> AccountDetails:
    """The details tidied, or a problem naming each field that is wrong."""
    errors: list[tuple[str | None, str]] = []
    first_name, last_name = details.first_name.strip(), details.last_name.strip()
    email = details.email.strip()
    if not first_name:
        errors.append(("first_name", "Enter their first name"))
    if not last_name:
        errors.append(("last_name", "Enter their last name"))
    if len(first_name) > NAME_LIMIT or len(last_name) > NAME_LIMIT:
        errors.append(("last_name", f"Keep each name to {NAME_LIMIT} characters or fewer"))
    if not email:
        errors.append(("email", "Enter their email address: a forgotten password is reset by it"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", "Enter an email address like name@example.gov.uk"))
        else:
            others = User.objects.filter(email__iexact=email)
            if account is not None:
                others = others.exclude(pk=account.pk)
            if others.exists():
                errors.append(("email", "Another account already has this email address"))
    if details.agency is None:
        errors.append(("agency", "Choose their agency"))
    elif details.agency.local_authority_id != user.local_authority_id:
        errors.append(("agency", "Choose an agency of your authority"))
    elif details.team is not None and details.team.agency_id != details.agency.pk:
        errors.append(("team", f"Choose a team of {details.agency.name}, or no team"))
    if details.role not in Role.values:
        errors.append(("role", "Choose their role"))
    elif account is not None and account.pk == user.pk and details.role != Role.ADMINISTRATOR:
        errors.append(("role", "You cannot take away your own administrator role"))
    if errors:
        raise Problem.many(errors)
    return AccountDetails(
        first_name=first_name,
        last_name=last_name,
        email=email,
        agency=details.agency,
        team=details.team,
        role=details.role,
        job_title=details.job_title.strip(),
    )


def _username(text: str) -> str:
    username = text.strip()
    if not username:
        raise Problem("Enter a username", "username")
    if len(username) > NAME_LIMIT:
        raise Problem(f"Keep the username to {NAME_LIMIT} characters or fewer", "username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise Problem(
            "A username may have only letters, numbers and the characters . @ + - _",
            "username",
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise Problem("Another account already has this username", "username")
    return username


def account_create(*, user: User, username: str, details: AccountDetails) -> User:
    """A new account in the administrator's authority. Its password is random and never
    shown: the person sets their own with "Forgotten your password?" (an email to them),
    then sets up a second factor when they first sign in."""
    _refuse_unless_administrator(user)
    with transaction.atomic(durable=True):
        problems: list[tuple[str | None, str]] = []
        try:
            name = _username(username)
        except Problem as problem:
            problems += problem.errors
        try:
            checked = _checked(user, details, None)
        except Problem as problem:
            problems += problem.errors
        if problems:
            raise Problem.many(problems)
        account = User(
            username=name,
            first_name=checked.first_name,
            last_name=checked.last_name,
            email=checked.email,
            agency=checked.agency,
            team=checked.team,
            role=checked.role,
            job_title=checked.job_title,
        )
        account.set_password(secrets.token_urlsafe(32))
        account.save(force_insert=True)
        audit_record(
            user=user,
            action=SecurityAction.ACCOUNT_CREATED,
            obj=account,
            detail={"role": account.role, "agency": account.agency_id, "team": account.team_id},
        )
    return account


def _locked(account: User) -> User:
    return User.objects.select_for_update().get(pk=account.pk)


def account_change(*, user: User, account: User, details: AccountDetails) -> User:
    """Change an account's names, email, agency, team, role and job title."""
    _refuse_unless_administrator(user, account)
    with transaction.atomic(durable=True):
        current = _locked(account)
        checked = _checked(user, details, current)
        changed: dict[str, Any] = {}
        for field in ("first_name", "last_name", "email", "agency", "team", "role", "job_title"):
            value = getattr(checked, field)
            if getattr(current, field) != value:
                setattr(current, field, value)
                changed[field] = getattr(value, "pk", value)
        if not changed:
            return current
        if "agency" in changed:
            # Someone who leaves an agency no longer manages its teams.
            Team.objects.filter(manager=current).exclude(agency=current.agency).update(manager=None)
        current.save(update_fields=list(changed))
        # Names and emails are the person's own: the log says which changed, not to what.
        audit_record(
            user=user,
            action=SecurityAction.ACCOUNT_CHANGED,
            obj=current,
            detail={
                "changed": sorted(changed),
                **{key: changed[key] for key in ("agency", "team", "role") if key in changed},
            },
        )
    return current


def account_deactivate(*, user: User, account: User) -> None:
    """Close an account: it can no longer sign in, and its sessions end at once."""
    _refuse_unless_administrator(user, account)
    if account.pk == user.pk:
        raise Problem("You cannot deactivate your own account: ask another administrator")
    with transaction.atomic(durable=True):
        current = _locked(account)
        if not current.is_active:
            raise Problem(f"{current} has already been deactivated")
        current.is_active = False
        sessions_end(current)
        current.save(update_fields=["is_active", "session_stamp"])
        audit_record(user=user, action=SecurityAction.ACCOUNT_DEACTIVATED, obj=current)


def account_reactivate(*, user: User, account: User) -> None:
    """Open a deactivated account again (its old sessions stay ended)."""
    _refuse_unless_administrator(user, account)
    with transaction.atomic(durable=True):
        current = _locked(account)
        if current.is_active:
            raise Problem(f"{current}'s account is already active")
        current.is_active = True
        current.save(update_fields=["is_active"])
        audit_record(user=user, action=SecurityAction.ACCOUNT_REACTIVATED, obj=current)


def second_factor_reset(*, user: User, account: User) -> int:
    """Remove the account's authenticator app, recovery codes and passkeys, and end its
    sessions: at their next sign-in the person sets up a second factor again. How many
    devices went."""
    _refuse_unless_administrator(user, account)
    with transaction.atomic(durable=True):
        current = _locked(account)
        devices = (
            TOTPDevice.objects.filter(user=current),
            StaticDevice.objects.filter(user=current),
            Passkey.objects.filter(user=current),
        )
        removed = sum(found.count() for found in devices)
        for found in devices:
            found.delete()
        sessions_end(current)
        current.save(update_fields=["session_stamp"])
        audit_record(
            user=user,
            action=SecurityAction.SECOND_FACTOR_RESET,
            obj=current,
            detail={"devices_removed": removed},
        )
    return removed


def account_unlock(*, user: User, account: User) -> None:
    """End a lockout after wrong passwords: the account's failed sign-ins are forgotten."""
    _refuse_unless_administrator(user, account)
    with transaction.atomic(durable=True):
        forgotten = failures_forget(username=account.username)
        audit_record(
            user=user,
            action=SecurityAction.UNLOCKED,
            obj=account,
            detail={"failure_records": forgotten},
        )


def team_manager_set(*, user: User, team: Team, manager: User | None) -> Team:
    """Name who manages a team (alerted when a team member's clock is breached), or no one."""
    if not may_administer(user) or team.agency.local_authority_id != user.local_authority_id:
        raise Problem("Only an administrator of this authority can manage its teams")
    if manager is not None and (not manager.is_active or manager.agency_id != team.agency_id):
        raise Problem(f"Choose an active member of {team.agency.name}", "manager")
    with transaction.atomic(durable=True):
        current = Team.objects.select_for_update().get(pk=team.pk)
        current.manager = manager
        current.save(update_fields=["manager"])
        audit_record(
            user=user,
            action=SecurityAction.TEAM_MANAGER_SET,
            obj=current,
            detail={"manager": manager.pk if manager is not None else None},
        )
    return current


def password_set(*, user: User, password: str, reset: bool) -> None:
    """Save the user's new password (already checked against the password policy); their
    other sessions end. ``reset``: through a forgotten-password link, not signed in."""
    with transaction.atomic(durable=True):
        current = _locked(user)
        current.set_password(password)
        current.save(update_fields=["password"])
        audit_record(
            user=current,
            action=SecurityAction.PASSWORD_RESET if reset else SecurityAction.PASSWORD_CHANGED,
            obj=current,
        )
    user.password = current.password


def password_reset_asked(*, accounts: Iterable[User]) -> None:
    """Record that a reset link was sent to each of these accounts' email address."""
    with transaction.atomic(durable=True):
        for account in accounts:
            audit_record(user=account, action=SecurityAction.PASSWORD_RESET_ASKED, obj=account)
