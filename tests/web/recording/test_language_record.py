"""The language of the record on every free-text form, and the chair's review of the whole
record's flags when concluding: keeping words with a reason, and the minutes' annex."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion, DiscussionRecord, LanguageAcceptance
from strategise.discussions.recording import contribution_save, record_save
from strategise.minutes.content import minutes_document, read_record
from strategise.organisations.models import User
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import LATER, complete, draft_post, started

pytestmark = pytest.mark.django_db

CHECK = "/language/check/"
FLAGGED = "Mum says Amara is putting herself at risk."


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(social_worker, team_manager, police_officer)


def _police(discussion: Discussion) -> int:
    return discussion.invitations.get(agency_code="police").pk


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/discussions/{d}/contributions/{police}/", "text"),
        ("/discussions/{d}/decisions/", "family_not_informed_reason"),
        ("/discussions/{d}/decisions/{child}/", "rationale"),
        ("/discussions/{d}/decisions/{child}/", "medical_reasoning"),
        ("/discussions/{d}/actions/", "description"),
        ("/discussions/{d}/dissent/", "reasons"),
        ("/requests/new/", "narrative"),
    ],
)
def test_each_free_text_field_is_checked_as_the_user_types(
    client: Client, team_manager: User, recording: Discussion, path: str, field: str
) -> None:
    child = recording.request.children.get()
    where = path.format(d=recording.pk, police=_police(recording), child=child.pk)
    html = page(client, where, team_manager)
    textarea = html.split(f'id="{field}"')[1].split(">")[0]
    assert f'data-language-url="{CHECK}"' in textarea
    assert f'data-language-profile="{recording.request.profile}"' in textarea
    assert f'id="{field}-language"' in html


def test_saving_a_contribution_shows_its_flags_on_the_next_page_and_keeps_the_words(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    where = f"/discussions/{recording.pk}/contributions/{_police(recording)}/"
    response = client.post(where, draft_post(client, where, text=FLAGGED), follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/discussions/{recording.pk}/record/")
    words = text(
        response.content.decode()
        .split('class="govuk-notification-banner app-language-saved"')[1]
        .split("</main>")[0]
    )
    assert "Words to think about" in words
    assert "What did the agency share?" in words
    assert "Think about the words “putting herself at risk”" in words
    assert "The child is being exploited / groomed / coerced by (name the adults)" in words
    assert recording.invitations.get(agency_code="police").contribution.text == FLAGGED
    # Shown once: the next page has no notice.
    assert "Words to think about" not in page(client, f"/discussions/{recording.pk}/record/")


def test_saving_neutral_words_shows_no_notice(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    where = f"/discussions/{recording.pk}/contributions/{_police(recording)}/"
    typed = "Police attended the address twice; the risk of harm is high."
    response = client.post(where, draft_post(client, where, text=typed), follow=True)
    assert "Words to think about" not in response.content.decode()


def _flagged(discussion: Discussion, chair: User) -> Discussion:
    complete(discussion, chair)
    record_save(
        user=chair,
        discussion=discussion,
        values={"background": FLAGGED},
        expected_version=discussion.record.version,
        now=LATER,
    )
    return discussion


def _key(client: Client, discussion: Discussion) -> str:
    html = page(client, f"/discussions/{discussion.pk}/conclude/")
    prefix = f"/discussions/{discussion.pk}/conclude/language/"
    return html.split(prefix)[1].split("/")[0]


def test_the_chair_sees_the_records_unresolved_flags_when_concluding(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    _flagged(recording, team_manager)
    contribution_save(
        user=team_manager,
        invitation=recording.invitations.get(agency_code="police"),
        text="Police describe it as a relationship with an older boyfriend.",
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    html = page(client, f"/discussions/{recording.pk}/conclude/", team_manager)
    review = text(html.split('id="language"')[1])
    assert "Not looked at yet (2)" in review
    assert "Relevant background" in review and "“putting herself at risk”" in review
    assert "Contribution of Police" in review
    # Each links to where the words are changed.
    assert f'href="/discussions/{recording.pk}/record/#background"' in html
    # Nothing is blocked: everything concluding needs is recorded.
    assert "Everything the procedure needs is recorded." in text(html)


def test_the_chair_keeps_flagged_words_with_a_reason_audited(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    _flagged(recording, team_manager)
    client.force_login(team_manager)
    accept = f"/discussions/{recording.pk}/conclude/language/{_key(client, recording)}/"
    assert "Why keep these words?" in page(client, accept)

    refused = client.post(accept, {"reason": "  "})
    assert error_summary(refused.content.decode()) == [
        ("Give the reason for keeping these words", "reason")
    ]
    assert not LanguageAcceptance.objects.exists()

    response = client.post(accept, {"reason": "The mother's words, reported."})
    assert response.status_code == 302
    kept = LanguageAcceptance.objects.get()
    assert (kept.field, kept.phrase, kept.words) == (
        "record:background",
        kept.phrase,
        "putting herself at risk",
    )
    assert kept.reason == "The mother's words, reported."
    assert kept.accepted_by == team_manager
    event = AuditEvent.objects.filter(action="accept-language").get()
    assert event.detail == {"field": "record:background", "phrase": kept.phrase}
    review = text(page(client, f"/discussions/{recording.pk}/conclude/").split('id="language"')[1])
    assert "Not looked at yet" not in review
    assert "Kept, with your reason (1)" in review
    # Once kept, the page says so and takes no second reason.
    assert client.get(accept).status_code == 200
    client.post(accept, {"reason": "again"})
    assert LanguageAcceptance.objects.count() == 1


def test_only_the_chair_keeps_flagged_words(
    client: Client, team_manager: User, social_worker: User, recording: Discussion
) -> None:
    _flagged(recording, team_manager)
    client.force_login(team_manager)
    accept = f"/discussions/{recording.pk}/conclude/language/{_key(client, recording)}/"
    client.force_login(social_worker)
    assert client.post(accept, {"reason": "mine"}).status_code == 404
    assert not LanguageAcceptance.objects.exists()


def _annex(discussion: Discussion) -> str:
    document = minutes_document(read_record(discussion), status="Draft", draft=True)
    annex = [s for s in document["sections"] if s["heading"].startswith("Annex: the language")]
    return repr(annex)


def test_the_minutes_carry_only_the_flags_the_chair_kept_with_the_reason(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    _flagged(recording, team_manager)
    assert _annex(recording) == "[]"
    client.force_login(team_manager)
    accept = f"/discussions/{recording.pk}/conclude/language/{_key(client, recording)}/"
    client.post(accept, {"reason": "The mother's words, reported."})
    annex = _annex(recording)
    assert "“putting herself at risk” in Relevant background" in annex
    assert "because: The mother's words, reported." in annex
    # Words changed after they were kept: the acceptance matches no flag, and is not printed.
    record_save(
        user=team_manager,
        discussion=recording,
        values={"background": "Mum says Amara is being exploited by adults at the flat."},
        expected_version=DiscussionRecord.objects.get(discussion=recording).version,
        now=LATER,
    )
    recording.refresh_from_db()
    assert _annex(recording) == "[]"
