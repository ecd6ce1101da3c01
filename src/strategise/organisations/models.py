"""Local authorities, agencies, teams and users.

A user belongs to one agency (and usually one team) and holds one role: a social care
grade from the contract's chair grades, or a role in another agency or in support.
What a user may see follows from their agency and role (see ``access.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from strategise.policy import vocabulary

# Domains whose mail stays on secure government, health, police and criminal justice
# networks: the default list an authority may change.
SECURE_DOMAINS = "gov.uk, nhs.net, pnn.police.uk, cjsm.net"


class MinutesDelivery(models.TextChoices):
    ATTACH_TO_SECURE = (
        "attach_to_secure",
        ("The PDF attached for secure addresses; a link to sign in and read them for others"),
    )
    SIGN_IN = "sign_in", "Everyone signs in to read them: no PDF is attached"


def _domains(text: str) -> list[str]:
    return [part.strip().lower().lstrip("@.") for part in text.split(",") if part.strip()]


class LocalAuthority(models.Model):
    """A local authority (or trust) and the procedure its strategy discussions follow."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    profile = models.CharField(
        max_length=40, help_text="The policy profile (local procedure) this authority follows."
    )
    email_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text="The authority's own email domains, comma-separated (sandwell.gov.uk, ...).",
    )
    secure_domains = models.CharField(
        max_length=500,
        default=SECURE_DOMAINS,
        help_text="Other domains whose addresses count as secure, comma-separated.",
    )
    minutes_delivery = models.CharField(
        max_length=20, choices=MinutesDelivery.choices, default=MinutesDelivery.ATTACH_TO_SECURE
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secure_domain_list(self) -> list[str]:
        """Every domain whose addresses count as secure: the authority's own, then the rest."""
        return _domains(self.email_domains) + _domains(self.secure_domains)

    def is_secure_address(self, email: str) -> bool:
        """Whether ``email`` is at one of the secure domains (or a subdomain of one)."""
        domain = email.rpartition("@")[2].strip().lower()
        return bool(domain) and any(
            domain == secure or domain.endswith("." + secure) for secure in self.secure_domain_list
        )


AGENCY_KINDS = list(vocabulary.ATTENDEES.items())


class Agency(models.Model):
    """An organisation that takes part in strategy discussions with a local authority."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=AGENCY_KINDS)
    email = models.EmailField(
        blank=True, help_text="Where invitations go when no named person is known."
    )
    # Named, as a team's manager is: whom a procedure's escalation route reaches in this
    # agency (Sandwell §12.0 "senior managers in the respective agencies"; Gloucestershire's
    # strategy discussion leads, e.g. the Police MASH Manager).
    senior_manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who holds a disagreement escalated to the agency's senior managers.",
    )
    strategy_lead = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency's strategy discussion lead, for disagreements escalated to them.",
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["local_authority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    # Named, not derived from roles: a team may have two team managers or a deputy acting
    # up, and an alert about a breached clock must reach one accountable person.
    manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        help_text="Who is alerted when a clock of someone in this team is breached.",
    )

    class Meta:
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    CONSULTANT_SOCIAL_WORKER = "consultant_social_worker", "Consultant social worker"
    DEPUTY_TEAM_MANAGER = "deputy_team_manager", "Deputy team manager"
    TEAM_MANAGER = "team_manager", "Team manager"
    DEPUTY_SERVICE_MANAGER = "deputy_service_manager", "Deputy service manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    PRINCIPAL_OFFICER = "principal_officer", "Principal officer"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    DIRECTOR = "director", "Director"
    POLICE = "police", "Police officer"
    HEALTH = "health", "Health practitioner"
    EDUCATION = "education", "Education practitioner"
    PRACTITIONER = "practitioner", "Practitioner in another agency"
    BUSINESS_SUPPORT = "business_support", "Business support"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    ADMINISTRATOR = "administrator", "Administrator"


CHAIR_GRADES = frozenset(vocabulary.CHAIR_GRADES)


class User(AbstractUser):
    """Someone who signs in: a practitioner, manager, minute-taker, analyst or administrator."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=200, blank=True)
    # Changed to end every session of the user at once ("sign out of every device", a
    # second factor reset, an account deactivated): each session holds a hash of it.
    session_stamp = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """What every session of the user keeps and each request checks: a hash of the
        password and the session stamp, so a new password or a new stamp ends the other
        sessions (Django's own hash covers the password only)."""
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | bytes | None) -> str:
        return salted_hmac(
            "strategise.organisations.User.session_auth_hash",
            f"{self.password}\x00{self.session_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def grade_rank(self) -> int | None:
        """Where the user's grade sits among the chair grades; None if not a social care grade."""
        return vocabulary.CHAIR_GRADE_ORDER.get(self.role)

    @property
    def local_authority_id(self) -> int | None:
        return self.agency.local_authority_id if self.agency else None


class Passkey(models.Model):
    """A WebAuthn credential (a passkey) a user signs in with, as their second factor.

    Only the public key is kept: the private key never leaves the person's device.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    # The credential's id, base64url-encoded as browsers send it (at most 1,023 bytes).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class ApiScope(models.TextChoices):
    """What an API token may do: read case records, or read and change them."""

    READ = "read", "Read"
    WRITE = "write", "Read and change"


class ApiClient(models.Model):
    """An authority's case system (Mosaic, Liquidlogic, Eclipse) reaching the API by OAuth 2
    client credentials. It acts as ``account``: a service account of the authority, with no
    password, that the access rules treat like any other user (docs/decisions.md §33)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="api_clients"
    )
    name = models.CharField(max_length=100)
    client_id = models.CharField(max_length=40, unique=True)
    # SHA-256 of the secret: the secret itself is shown once, when the client is made.
    secret_digest = models.CharField(max_length=64)
    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_clients")
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["local_authority", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class ApiToken(models.Model):
    """A bearer token for the API: a personal access token a user made (after a fresh second
    factor), or a short-lived one issued to an ``ApiClient``. Only its public prefix and the
    SHA-256 digest of its secret are kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="tokens", null=True, blank=True
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]
        indexes = [models.Index(fields=["user", "client", "revoked_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"
