"""Who may do what through the API: every operation, for each kind of user (the page
matrix's roles, tests/web/access_matrix.py).

Where an operation reads what a page shows, its row IS the page's row: the API answers as
the page does, because both ask the same selector. Out of scope is "not found" (404),
never "forbidden"; a write on a record you may see but not change is 403; a create on a
collection you may not add to is 403 too (you may list it).
"""

from __future__ import annotations

from tests.web.access_matrix import (
    DISPUTE_MATRIX,
    GONE,
    MATRIX,
    OK,
    POST_MATRIX,
    RECORDING_MATRIX,
    ROLES,
)

CREATED, INVALID, FORBIDDEN = 201, 422, 403
# The invitee's own reply, as the discussion page's reply form: only the invited police
# officer has an invitation; anyone else (who may see the discussion or not) has none.
_, REPLIERS = POST_MATRIX["/discussions/{discussion}/reply/"]
EVERYONE = dict.fromkeys(ROLES, OK)
SEES_THE_CASE = {
    **dict.fromkeys(ROLES, GONE),
    "social_care": OK,
    "chair": OK,
    "manager": OK,
    "police_invited": OK,
}

# (method, path) -> the status each role gets. {child}, {request} and {discussion} are the
# page matrix's case; {action} is its recorded discussion's action, owned by the invited
# police officer.
API_MATRIX: dict[tuple[str, str], dict[str, int]] = {
    # A list is never "not found": it lists what the user may see (perhaps nothing).
    ("GET", "/api/v1/children"): EVERYONE,
    ("GET", "/api/v1/children/{child}"): MATRIX["/children/{child}/"],
    ("GET", "/api/v1/requests"): EVERYONE,
    ("GET", "/api/v1/requests/{request}"): MATRIX["/requests/{request}/"],
    # Social care raise requests (a child of another authority is not one they may see:
    # the field is named); other agencies, analysts and administrators may not.
    ("POST", "/api/v1/requests"): {
        **dict.fromkeys(ROLES, FORBIDDEN),
        "social_care": CREATED,
        "chair": CREATED,
        "manager": CREATED,
        "other_authority_social_care": INVALID,
    },
    ("GET", "/api/v1/discussions"): EVERYONE,
    ("GET", "/api/v1/discussions/{discussion}"): MATRIX["/discussions/{discussion}/"],
    ("GET", "/api/v1/actions"): EVERYONE,
    # An action is seen by whoever sees its discussion, and by its owner.
    ("GET", "/api/v1/actions/{action}"): SEES_THE_CASE,
    # Its owner (the invited police officer) and those who record its discussion (its
    # authority's social care) record progress.
    ("PATCH", "/api/v1/actions/{action}"): SEES_THE_CASE,
    ("GET", "/api/v1/adults"): EVERYONE,
    ("GET", "/api/v1/adults/{adult}"): MATRIX["/adults/{adult}/"],
    ("GET", "/api/v1/clocks"): EVERYONE,
    # A discussion's invitations: whoever may open the discussion page, which lists them.
    ("GET", "/api/v1/discussions/{discussion}/invitations"): MATRIX["/discussions/{discussion}/"],
    ("PUT", "/api/v1/discussions/{discussion}/reply"): {
        role: OK if status != GONE else GONE for role, status in REPLIERS.items()
    },
    ("POST", "/api/v1/discussions/{discussion}/deputy"): {
        role: CREATED if status == OK else GONE
        for role, status in MATRIX["/discussions/{discussion}/deputy/"].items()
    },
    ("PUT", "/api/v1/discussions/{discussion}/written-report"): {
        role: CREATED if status == OK else GONE
        for role, status in MATRIX["/discussions/{discussion}/report/"].items()
    },
    # {held} is the page matrix's recorded discussion: its record and decisions are for
    # those who record it, as the record and decisions pages are.
    ("GET", "/api/v1/discussions/{held}/record"): RECORDING_MATRIX["/discussions/{held}/record/"],
    ("GET", "/api/v1/discussions/{held}/decisions"): RECORDING_MATRIX[
        "/discussions/{held}/decisions/"
    ],
    # Its minutes' versions: whoever may open the discussion (whose page lists the approved
    # ones); version 1 is approved, version 2 a draft (those who record it only).
    ("GET", "/api/v1/discussions/{held}/minutes"): RECORDING_MATRIX[
        "/discussions/{held}/minutes/1/"
    ],
    ("GET", "/api/v1/discussions/{held}/minutes/{approved}/pdf"): RECORDING_MATRIX[
        "/discussions/{held}/minutes/1/pdf/"
    ],
    ("GET", "/api/v1/discussions/{held}/minutes/{approved}/docx"): RECORDING_MATRIX[
        "/discussions/{held}/minutes/1/docx/"
    ],
    ("GET", "/api/v1/discussions/{held}/minutes/{draft}/pdf"): RECORDING_MATRIX[
        "/discussions/{held}/minutes/2/wording/"
    ],
    ("GET", "/api/v1/disagreements"): DISPUTE_MATRIX["/disagreements/"],
    # Raised from a discussion by whoever may open it, as the page's form.
    ("POST", "/api/v1/discussions/{held}/disagreements"): {
        role: CREATED if status == OK else GONE
        for role, status in DISPUTE_MATRIX["/discussions/{held}/disagreements/new/"].items()
    },
    # {disagreement} is the page matrix's: raised by the invited police officer.
    ("GET", "/api/v1/disagreements/{disagreement}"): DISPUTE_MATRIX[
        "/disagreements/{disagreement}/"
    ],
    # Whoever raised it (the police officer) or a social care manager escalate it; the
    # authority's social worker sees it but may not (403, as for an action).
    ("POST", "/api/v1/disagreements/{disagreement}/escalate"): {
        **DISPUTE_MATRIX["/disagreements/{disagreement}/escalate/"],
        "social_care": FORBIDDEN,
    },
    # Whoever raised it (the police officer) or a social care manager resolve it; the
    # authority's social worker sees it but may not (403, as for an action).
    ("POST", "/api/v1/disagreements/{disagreement}/resolve"): {
        **DISPUTE_MATRIX["/disagreements/{disagreement}/resolve/"],
        "social_care": FORBIDDEN,
    },
}

# Operations that take no bearer token: the client credentials grant is how one is got.
UNAUTHENTICATED = {("POST", "/api/v1/oauth/token")}
