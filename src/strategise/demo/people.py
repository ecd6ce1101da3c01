"""The demo's authorities and people: one authority for each procedure, and a sign-in for
every role in each. Every demo account shares one published password."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.demo.second_factor import DEMO_TOTP_KEY
from strategise.organisations.models import Agency, LocalAuthority, Role, Team, User
from strategise.organisations.second_factor import demo_devices_create

DEMO_PASSWORD = "strategise-demo-2026"  # noqa: S105 (published on purpose: demo only)
EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class DemoAuthority:
    """A demo local authority: its procedure, and the names its cases use."""

    profile: str
    name: str
    place: str
    town: str
    postcode: str
    siblings: tuple[str, str, str]  # first names of the two children, family name
    unborn_family: str
    teenager: tuple[str, str]
    toddler: tuple[str, str]

    @property
    def slug(self) -> str:
        return f"demo-{self.profile}"


AUTHORITIES = (
    DemoAuthority(
        "national", "Demo Borough (national baseline)", "Demo Borough", "Ashby Vale", "AV4",
        ("Ruby", "Alfie", "Turner"), "Hughes", ("Chloe", "Marsh"), ("Oscar", "Reid"),
    ),
    DemoAuthority(
        "birmingham", "Demo Birmingham", "Demo Birmingham", "Sparkhill", "B11",
        ("Amira", "Yusuf", "Hussain"), "Begum", ("Tia", "Campbell"), ("Jayden", "Morris"),
    ),
    DemoAuthority(
        "bristol", "Demo Bristol", "Demo Bristol", "Easton", "BS5",
        ("Poppy", "Harvey", "Cole"), "Walsh", ("Keira", "Bennett"), ("Leo", "Okafor"),
    ),
    DemoAuthority(
        "sandwell", "Demo Sandwell", "Demo Sandwell", "West Bromwich", "B70",
        ("Lily", "Mason", "Price"), "Kaur", ("Demi", "Johnson"), ("Kai", "Evans"),
    ),
    DemoAuthority(
        "gloucestershire", "Demo Gloucestershire", "Demo Gloucestershire", "Gloucester", "GL1",
        ("Isla", "George", "Parsons"), "Lewis", ("Maisie", "Ward"), ("Arlo", "Fletcher"),
    ),
    DemoAuthority(
        "pcc", "Demo PCC", "Demo PCC", "Portbridge", "PB2",
        ("Evie", "Noah", "Barker"), "Nowak", ("Jade", "Foster"), ("Tommy", "Doyle"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoRole:
    """One demo sign-in in each authority: ``<prefix>.<profile>``, e.g. ``tm.sandwell``."""

    role: Role
    prefix: str
    agency: str
    job_title: str
    in_team: bool = False


CSC = "childrens_social_care"
ROLES = (
    DemoRole(Role.SOCIAL_WORKER, "sw", CSC, "Social worker", in_team=True),
    DemoRole(Role.CONSULTANT_SOCIAL_WORKER, "csw", CSC, "Consultant social worker", in_team=True),
    DemoRole(Role.DEPUTY_TEAM_MANAGER, "dtm", CSC, "Deputy team manager", in_team=True),
    DemoRole(Role.TEAM_MANAGER, "tm", CSC, "Team manager", in_team=True),
    DemoRole(Role.DEPUTY_SERVICE_MANAGER, "dsm", CSC, "Deputy service manager", in_team=True),
    DemoRole(Role.SERVICE_MANAGER, "sm", CSC, "Service manager, safeguarding"),
    DemoRole(Role.PRINCIPAL_OFFICER, "po", CSC, "Principal officer, safeguarding"),
    DemoRole(Role.HEAD_OF_SERVICE, "hos", CSC, "Head of service, child protection"),
    DemoRole(Role.DIRECTOR, "director", CSC, "Director of children's services"),
    DemoRole(Role.POLICE, "police", "police", "Detective constable, child abuse investigation"),
    DemoRole(Role.HEALTH, "health", "health", "Named nurse for safeguarding children"),
    DemoRole(Role.EDUCATION, "education", "education", "Designated safeguarding lead"),
    DemoRole(Role.PRACTITIONER, "housing", "housing", "Housing officer"),
    DemoRole(Role.BUSINESS_SUPPORT, "bs", CSC, "Business support officer", in_team=True),
    DemoRole(Role.PERFORMANCE_ANALYST, "analyst", CSC, "Performance analyst"),
    DemoRole(Role.ADMINISTRATOR, "admin", CSC, "Strategise administrator"),
)


@dataclass(frozen=True)
class AgencyLead:
    """A sign-in for someone a disagreement escalates to in a partner agency: its line
    manager (who manages the agency's team), senior manager or strategy discussion lead."""

    role: Role
    prefix: str
    agency: str
    job_title: str
    holds: str  # "team" (manages the agency's team), "senior_manager" or "strategy_lead"


#: Each partner agency's people up the escalation route (Sandwell §12.0 "senior managers in
#: the respective agencies"; Gloucestershire: line managers, then the strategy discussion
#: leads, e.g. the Police MASH Manager). Children's social care's are among ``ROLES``.
SENIOR, LEAD = "senior_manager", "strategy_lead"
LEADS = (
    AgencyLead(
        Role.POLICE, "police-ds", "police", "Detective sergeant, child abuse investigation", "team"
    ),
    AgencyLead(Role.POLICE, "police-di", "police", "Detective inspector, safeguarding", SENIOR),
    AgencyLead(Role.POLICE, "police-mash", "police", "Police MASH manager", LEAD),
    AgencyLead(Role.HEALTH, "health-sm", "health", "Head of safeguarding, NHS trust", SENIOR),
    AgencyLead(Role.HEALTH, "health-lead", "health", "Designated nurse, safeguarding", LEAD),
)
#: Who holds each of children's social care's: by role among ``ROLES``.
CSC_LEADS = {SENIOR: Role.SERVICE_MANAGER, LEAD: Role.PRINCIPAL_OFFICER}
#: The police officer's team, managed by the police's ``team`` lead (their line manager).
AGENCY_TEAMS = {"police": "Child abuse investigation team"}

AGENCY_NAMES = {
    CSC: "Children's Services",
    "police": "Police",
    "health": "NHS Trust",
    "education": "Schools",
    "housing": "Housing",
}
TEAM_NAME = "Assessment and child protection team"

FIRST_NAMES = (
    "Sarah", "James", "Priya", "Tom", "Aisha", "Daniel", "Helen", "Marcus",
    "Fiona", "Gareth", "Nadia", "Owen", "Rachel", "Samuel", "Zoe", "Kwame",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Baker", "Clarke", "Davies", "Edwards", "Fraser", "Green", "Hall",
    "Iqbal", "Jones", "Khan", "Lloyd", "Murphy", "Nolan", "O'Brien", "Patel",
)  # fmt: skip


def demo_name(authority: int, role: int) -> tuple[str, str]:
    """The name of the person in the ``role``-th role of the ``authority``-th authority: a
    different name for each of the 96 people, so no name is police in one authority and a
    team manager in another."""
    person = authority * len(ROLES) + role
    # Each authority's 16 people have the 16 first names; their family names turn by five
    # places from one authority to the next, so no first and family name meet twice.
    return (
        FIRST_NAMES[person % len(FIRST_NAMES)],
        LAST_NAMES[(person + 5 * authority) % len(LAST_NAMES)],
    )


# The leads' names: a first name each (none of ``FIRST_NAMES``), the family names turning
# by one place from one authority to the next, so no name is used twice.
LEAD_FIRST_NAMES = ("Imran", "Claire", "Victor", "Bronwen", "Desmond")
LEAD_LAST_NAMES = ("Whitfield", "Okonjo", "Hartley", "Szymanski", "Penrose", "Adeyemi")


def lead_name(authority: int, lead: int) -> tuple[str, str]:
    """The name of the ``lead``-th of ``LEADS`` in the ``authority``-th authority."""
    return (
        LEAD_FIRST_NAMES[lead],
        LEAD_LAST_NAMES[(lead + authority) % len(LEAD_LAST_NAMES)],
    )


def demo_username(role: DemoRole | AgencyLead, authority: DemoAuthority) -> str:
    return f"{role.prefix}.{authority.profile}"


def authority_create(
    spec: DemoAuthority, index: int, *, password: str
) -> tuple[LocalAuthority, dict[str, User]]:
    """The authority, its agencies, its team and a person in every role (by role)."""
    # Every made-up address is at EMAIL_DOMAIN: the demo counts it as the authority's own,
    # so its minutes go with the PDF attached and no address waits for confirmation.
    authority = LocalAuthority.objects.create(
        name=spec.name, slug=spec.slug, profile=spec.profile, email_domains=EMAIL_DOMAIN
    )
    agencies = {
        kind: Agency.objects.create(
            local_authority=authority,
            name=f"{spec.place} {label}",
            kind=kind,
            email=f"{kind.replace('_', '-')}.{spec.profile}@{EMAIL_DOMAIN}",
        )
        for kind, label in AGENCY_NAMES.items()
    }
    team = Team.objects.create(agency=agencies[CSC], name=TEAM_NAME)
    people: dict[str, User] = {}
    for number, role in enumerate(ROLES):
        people[role.role] = _person_create(
            role,
            spec,
            demo_name(index, number),
            agencies[role.agency],
            team if role.in_team else None,
            password=password,
        )
    leads = _leads_create(spec, index, agencies, people, password=password)
    demo_devices_create(users=[*people.values(), *leads], key=DEMO_TOTP_KEY)
    # The team manager is who hears when a clock of someone in the team falls overdue.
    team.manager = people[Role.TEAM_MANAGER]
    team.save(update_fields=["manager"])
    return authority, people


def _person_create(
    role: DemoRole | AgencyLead,
    spec: DemoAuthority,
    name: tuple[str, str],
    agency: Agency,
    team: Team | None,
    *,
    password: str,
) -> User:
    username = demo_username(role, spec)
    return User.objects.create(
        username=username,
        password=password,
        first_name=name[0],
        last_name=name[1],
        email=f"{username}@{EMAIL_DOMAIN}",
        agency=agency,
        team=team,
        role=role.role,
        job_title=role.job_title,
        is_staff=role.role == Role.ADMINISTRATOR,
    )


def _leads_create(
    spec: DemoAuthority,
    index: int,
    agencies: dict[str, Agency],
    people: dict[str, User],
    *,
    password: str,
) -> list[User]:
    """Each partner agency's line manager (of a team the agency's practitioner is in),
    senior manager and strategy discussion lead; children's social care's senior manager
    and strategy lead are among its people (``CSC_LEADS``)."""
    teams = {
        kind: Team.objects.create(agency=agencies[kind], name=name)
        for kind, name in AGENCY_TEAMS.items()
    }
    made: list[User] = []
    for number, lead in enumerate(LEADS):
        person = _person_create(
            lead,
            spec,
            lead_name(index, number),
            agencies[lead.agency],
            teams[lead.agency] if lead.holds == "team" else None,
            password=password,
        )
        made.append(person)
        if lead.holds == "team":
            teams[lead.agency].manager = person
            teams[lead.agency].save(update_fields=["manager"])
        else:
            setattr(agencies[lead.agency], lead.holds, person)
    police = people[Role.POLICE]
    police.team = teams["police"]
    police.save(update_fields=["team"])
    for holds, role in CSC_LEADS.items():
        setattr(agencies[CSC], holds, people[role])
    for agency in agencies.values():
        agency.save(update_fields=["senior_manager", "strategy_lead"])
    return made
