"""One demo authority's children and requests, each in a different state, made through the
services by its social worker (so each has its triage, invitations and audit events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import slugify

from strategise.cases.models import Child
from strategise.cases.services import child_create
from strategise.demo.people import CSC, EMAIL_DOMAIN, DemoAuthority
from strategise.discussions.models import Attendance, Discussion, Format, Invitation, Response
from strategise.discussions.services import (
    InvitationSpec,
    discussion_convene,
    discussion_start,
    invitation_respond,
)
from strategise.organisations.models import Agency, LocalAuthority, Role, User
from strategise.policy import vocabulary
from strategise.requests.models import StrategyRequest
from strategise.requests.services import Perpetrator, request_create


@dataclass
class DemoCases:
    """One authority's children and requests, made by its social worker."""

    spec: DemoAuthority
    authority: LocalAuthority
    people: dict[str, User]
    now: datetime
    # Where the services send email: the invitees are made up, so nowhere.
    mailer: BaseEmailBackend

    def load(self) -> None:
        """A request in every state: overdue, new, convened and started."""
        self.awaiting_overdue()
        self.awaiting_new()
        self.convened()
        self.started()

    @property
    def social_worker(self) -> User:
        return self.people[Role.SOCIAL_WORKER]

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def address(self, number: int, street: str) -> str:
        return f"{number} {street}\n{self.spec.town}\n{self.spec.postcode} {number % 9 + 1}QX"

    def born(self, years: int, months: int = 0) -> date:
        return self.today - timedelta(days=round(years * 365.25 + months * 30.4))

    def child(self, values: dict[str, Any], same_household_as: Child | None = None) -> Child:
        return child_create(
            user=self.social_worker,
            values=values,
            same_household_as=same_household_as,
            today=self.today,
        )

    def request(
        self,
        *,
        identified_at: datetime,
        children: list[Child],
        concerns: list[str],
        flags: list[str],
        referrer: str,
        narrative: str,
        perpetrators: list[Perpetrator],
    ) -> StrategyRequest:
        return request_create(
            user=self.social_worker,
            identified_at=identified_at,
            children=children,
            concerns=concerns,
            flags=flags,
            referrer=referrer,
            narrative=narrative,
            perpetrators=perpetrators,
            now=self.now,
        )

    def awaiting_overdue(self) -> None:
        """Two siblings, neglect: raised nine days ago and not yet convened."""
        first, second, family = self.spec.siblings
        address = self.address(14, "Brook Street")
        elder = self.child(
            {
                "first_name": first,
                "last_name": family,
                "date_of_birth": self.born(8, 3),
                "sex": "F",
                "address": address,
                "education": "school",
                "education_setting": f"{self.spec.town} Primary School",
                "local_reference": f"{self.spec.postcode}1001",
            }
        )
        younger = self.child(
            {
                "first_name": second,
                "last_name": family,
                "date_of_birth": self.born(5, 7),
                "sex": "M",
                "address": address,
                "education": "school",
                "education_setting": f"{self.spec.town} Primary School",
                "local_reference": f"{self.spec.postcode}1002",
            },
            same_household_as=elder,
        )
        self.request(
            identified_at=self.now - timedelta(days=9),
            children=[elder, younger],
            concerns=["neglect"],
            flags=["parental_substance_misuse"],
            referrer=f"Designated safeguarding lead, {self.spec.town} Primary School",
            narrative=(
                f"{first} and {second} have come to school hungry and in unwashed clothes most "
                f"days this term; {second} has an untreated dental abscess. At a home visit "
                "there was little food in the house, their mother appeared to be under the "
                "influence, and drug paraphernalia was within the children's reach."
            ),
            perpetrators=[Perpetrator(name=f"Kelly {family}", position_of_trust=False)],
        )

    def awaiting_new(self) -> None:
        """An unborn baby, domestic abuse disclosed to the midwife two hours ago."""
        family = self.spec.unborn_family
        baby = self.child(
            {
                "first_name": "Unborn baby",
                "last_name": family,
                "unborn": True,
                "expected_date": self.today + timedelta(weeks=10),
                "address": self.address(3, "Canal View"),
                "education": "none",
                "local_reference": f"{self.spec.postcode}1003",
            }
        )
        self.request(
            identified_at=self.now - timedelta(hours=2),
            children=[baby],
            concerns=["emotional_abuse", "physical_abuse"],
            flags=["parental_domestic_abuse"],
            referrer="Community midwife",
            narrative=(
                "At her 30-week appointment the mother told the midwife that her partner pushed "
                "her down the stairs last weekend and checks her phone. Police attended a "
                "domestic incident at the address two days ago. This is her first pregnancy."
            ),
            perpetrators=[Perpetrator(name=f"Dean {family}", position_of_trust=False)],
        )

    def convened(self) -> None:
        """A looked-after teenager missing and at risk of sexual exploitation: convened for
        later today, her residential key worker (not a Strategise user) invited by email."""
        first, family = self.spec.teenager
        teenager = self.child(
            {
                "first_name": first,
                "last_name": family,
                "date_of_birth": self.born(15, 2),
                "sex": "F",
                "address": self.address(27, "Oakfield Road (children's home)"),
                "education": "school",
                "education_setting": f"{self.spec.town} Academy",
                "looked_after": True,
                "local_reference": f"{self.spec.postcode}1004",
            }
        )
        identified_at = self.now - timedelta(hours=3)
        request = self.request(
            identified_at=identified_at,
            children=[teenager],
            concerns=["child_sexual_exploitation", "missing"],
            flags=["open_to_childrens_social_care"],
            referrer="Registered manager, Oakfield Road children's home",
            narrative=(
                f"{first} has been reported missing four times in three weeks, returning with "
                "new clothes and a second phone. Staff saw her get into a car driven by an "
                "older man known only as 'Jay'. She says he is her boyfriend."
            ),
            perpetrators=[
                Perpetrator(name="Unknown adult known as 'Jay'", position_of_trust=False)
            ],
        )
        key_worker = InvitationSpec(
            agency_code="carer",
            required=False,
            reason=f"{first}'s key worker at the children's home knows her best.",
            name="Joanne Price (residential key worker)",
            email=f"joanne.price.{self.spec.profile}@{EMAIL_DOMAIN}",
        )
        scheduled_for = _on_the_hour(self.now + timedelta(hours=3))
        discussion = self.convene(
            request,
            extra=[key_worker],
            format=Format.VIRTUAL,
            scheduled_for=scheduled_for,
            now=self.now - timedelta(minutes=30),
        )
        for invitation in discussion.invitations.all():
            if invitation.user_id == self.people[Role.POLICE].pk:
                invitation_respond(
                    invitation=invitation, response=Response.ACCEPTED, user=invitation.user
                )
            elif invitation.agency_code == "carer":
                # Through the private link in the email: no user.
                invitation_respond(invitation=invitation, response=Response.ACCEPTED, user=None)

    def started(self) -> None:
        """A toddler with bruising seen at nursery: the discussion started 40 minutes ago,
        health sending apologies and a chronology."""
        first, family = self.spec.toddler
        toddler = self.child(
            {
                "first_name": first,
                "last_name": family,
                "date_of_birth": self.born(1, 10),
                "sex": "M",
                "address": self.address(52, "Victoria Terrace"),
                "education": "pre_school",
                "education_setting": "Little Acorns Nursery",
                "local_reference": f"{self.spec.postcode}1005",
            }
        )
        identified_at = self.now - timedelta(hours=20)
        request = self.request(
            identified_at=identified_at,
            children=[toddler],
            concerns=["physical_abuse"],
            flags=["medical_implications"],
            referrer="Manager, Little Acorns Nursery",
            narrative=(
                f"Nursery staff saw finger-tip bruising on both of {first}'s upper arms and a "
                "bruise behind his left ear. His mother said he fell from the sofa. He was "
                "withdrawn and flinched when a member of staff raised her arm."
            ),
            perpetrators=[Perpetrator(name=f"Ryan {family}", position_of_trust=False)],
        )
        scheduled_for = self.now - timedelta(minutes=40)
        discussion = self.convene(
            request,
            extra=[],
            format=Format.IN_PERSON,
            scheduled_for=scheduled_for,
            now=identified_at + timedelta(hours=1),
            location=f"Meeting room 2, {self.spec.place} Council House",
        )
        invitations = list(discussion.invitations.all())
        health = [i for i in invitations if i.agency_code == "health"]
        discussion_start(
            user=discussion.chair,
            discussion=discussion,
            attendance={
                i.pk: Attendance.APOLOGIES if i in health else Attendance.ATTENDED
                for i in invitations
            },
            absence_reasons={
                i.pk: "The named nurse is at a child death review meeting; the health "
                "visitor's chronology was shared before the discussion."
                for i in health
            },
            now=scheduled_for + timedelta(minutes=2),
            mailer=self.mailer,
        )

    def convene(
        self,
        request: StrategyRequest,
        *,
        extra: list[InvitationSpec],
        format: str,
        scheduled_for: datetime,
        now: datetime,
        location: str = "",
    ) -> Discussion:
        """Convene as the triage asks: an allowed chair, every required agency invited."""
        allowed = request.triage["chair"]["allowed_grades"]
        chair = self.people[Role.TEAM_MANAGER if Role.TEAM_MANAGER in allowed else allowed[0]]
        late = request.hold_by is not None and scheduled_for > request.hold_by
        return discussion_convene(
            user=self.social_worker,
            request=request,
            format=format,
            scheduled_for=scheduled_for,
            chair=chair,
            invitations=self.invitations(request, extra),
            respond_url=_no_link,
            location=location,
            minute_taker=self.people[Role.BUSINESS_SUPPORT],
            delay_rationale=(
                "The earliest time police and health could both attend; a safety plan keeps "
                "the child safe until then."
                if late
                else ""
            ),
            now=now,
            mailer=self.mailer,
        )

    def invitations(
        self, request: StrategyRequest, extra: list[InvitationSpec]
    ) -> list[InvitationSpec]:
        """Every required attendee (a demo user if there is one, otherwise the referrer or
        the agency's inbox by email), recommended ones who are demo users, then ``extra``."""
        users = {
            CSC: self.social_worker,
            "police": self.people[Role.POLICE],
            "health": self.people[Role.HEALTH],
            "education": self.people[Role.EDUCATION],
            "housing": self.people[Role.PRACTITIONER],
        }
        extra_by_code = {spec.agency_code: spec for spec in extra}
        specs: list[InvitationSpec] = []
        for level in ("required", "recommended"):
            for attendee in request.triage["attendees"][level]:
                code = attendee["code"]
                if any(spec.agency_code == code for spec in specs):
                    continue
                user = users.get(code)
                common = {
                    "agency_code": code,
                    "required": level == "required",
                    "reason": attendee["reason"],
                    "source": attendee["source"],
                }
                if user is not None:
                    specs.append(InvitationSpec(user=user, **common))
                elif code in extra_by_code:
                    named = extra_by_code.pop(code)
                    specs.append(InvitationSpec(name=named.name, email=named.email, **common))
                elif level == "required" and code == "referrer":
                    email = f"{slugify(request.referrer)}.{self.spec.profile}@{EMAIL_DOMAIN}"
                    specs.append(InvitationSpec(name=request.referrer, email=email, **common))
                elif level == "required":
                    agency = self.inbox(code)
                    specs.append(
                        InvitationSpec(
                            agency=agency, name=agency.name, email=agency.email, **common
                        )
                    )
        return specs + list(extra_by_code.values())

    def inbox(self, code: str) -> Agency:
        """An agency with no demo user, invited through its shared inbox."""
        agency, _ = Agency.objects.get_or_create(
            local_authority=self.authority,
            kind=code,
            defaults={
                "name": f"{self.spec.place} {vocabulary.ATTENDEES[code].split(' (')[0]}",
                "email": f"{code.replace('_', '-')}.{self.spec.profile}@{EMAIL_DOMAIN}",
            },
        )
        return agency


def _on_the_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _no_link(invitation: Invitation) -> str:
    """Demo invitations go to a mailer that sends nothing, so they need no reply link."""
    return ""
