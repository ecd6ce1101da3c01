"""The matcher: normalising, match keys and how sure they are, and the patterns across
cases (three or more children; a position of trust in more than one request)."""

from __future__ import annotations

from datetime import date

from strategise.policy import network as rules
from strategise.policy.network import Details, LinkFact


def test_names_registrations_handles_and_addresses_are_normalised() -> None:
    assert rules.name_normalised("  O'Brien-Smith, Seán ") == "o brien smith sean"
    assert rules.registration_normalised("ab12 cde") == "AB12CDE"
    assert rules.registration_normalised(" AB-12-CDE ") == "AB12CDE"
    assert rules.handle_normalised("https://www.instagram.com/@Jay.K ") == "jay.k"
    assert rules.handle_normalised("@Jay K") == "jayk"
    assert rules.handle_normalised("jay_k") == "jay_k"
    assert rules.postcode_of("12 High St, Birmingham b11aa") == "B1 1AA"
    assert rules.postcode_of("Victoria Park") == ""
    assert rules.address_normalised("12 High St., Birmingham B1 1AA") == "12 high street birmingham"


def test_a_vehicle_is_matched_by_its_registration_for_certain() -> None:
    one = rules.match_key(Details(kind="vehicle", registration="ab12 cde"))
    two = rules.match_key(Details(kind="vehicle", registration="AB12CDE", name="blue car"))
    assert one == two == rules.Key("vehicle:AB12CDE", rules.CERTAIN)


def test_a_vehicle_without_a_registration_is_only_a_possible_match() -> None:
    assert rules.match_key(Details(kind="vehicle", name="Blue Ford")) == rules.Key(
        "vehicle:blue ford", rules.POSSIBLE
    )


def test_an_account_is_matched_by_platform_and_handle() -> None:
    key = rules.match_key(Details(kind="account", platform="Snapchat", handle="@Jay.K"))
    assert key == rules.Key("account:snapchat:jay.k", rules.CERTAIN)
    other = rules.match_key(Details(kind="account", platform="instagram", handle="jay.k"))
    assert other.value != key.value
    unknown = rules.match_key(Details(kind="account", handle="jay.k"))
    assert unknown.value == "account:unknown:jay.k"


def test_an_account_without_a_handle_falls_back_to_its_name() -> None:
    assert rules.match_key(Details(kind="account", platform="x", name="Jay")).sureness == (
        rules.POSSIBLE
    )


def test_a_person_is_likely_the_same_by_name_and_date_of_birth() -> None:
    born = date(1985, 3, 2)
    one = rules.match_key(Details(kind="person", name="Dean O'Neill", date_of_birth=born))
    two = rules.match_key(Details(kind="person", name="dean  oneill", date_of_birth=born))
    three = rules.match_key(Details(kind="person", name="Dean O Neill", date_of_birth=born))
    assert one == three == rules.Key("person:dean o neill|1985-03-02", rules.LIKELY)
    assert two.value != one.value


def test_a_recorded_person_without_a_date_of_birth_is_matched_by_the_record() -> None:
    assert rules.match_key(Details(kind="person", record="adult:7", name="Dean")) == rules.Key(
        "adult:7", rules.CERTAIN
    )


def test_a_person_known_only_by_name_and_address_or_name_is_a_possible_match() -> None:
    with_address = rules.match_key(Details(kind="person", name="Dean", address="1 Oak Rd"))
    assert with_address == rules.Key("person:dean|1 oak road", rules.POSSIBLE)
    assert rules.match_key(Details(kind="person", name="Dean")) == rules.Key(
        "person:dean", rules.POSSIBLE
    )


def test_a_place_is_likely_the_same_by_postcode_and_first_word_of_its_address() -> None:
    one = rules.match_key(Details(kind="place", name="Flat", address="12 High St, B1 1AA"))
    two = rules.match_key(Details(kind="place", address="12 high street b11aa"))
    assert one == two == rules.Key("place:B1 1AA|12", rules.LIKELY)
    park = rules.match_key(Details(kind="place", name="Victoria Park"))
    assert park == rules.Key("place:victoria park", rules.POSSIBLE)
    street = rules.match_key(Details(kind="place", name="x", address="Victoria Park, Smethwick"))
    assert street == rules.Key("place:victoria park smethwick", rules.POSSIBLE)
    only_postcode = rules.match_key(Details(kind="place", name="Shop", address="B1 1AA"))
    assert only_postcode == rules.Key("place:shop", rules.POSSIBLE)


def fact(link: int, child: int, key: str = "vehicle:AB12CDE", **kw: object) -> LinkFact:
    values: dict[str, object] = {
        "link": link,
        "authority": 1,
        "child": child,
        "request": 100 + child,
        "key": key,
        "sureness": rules.CERTAIN,
        "entity": 1,
        "since": None,
    }
    values.update(kw)
    return LinkFact(**values)  # type: ignore[arg-type]


def test_three_children_linked_to_one_thing_is_a_pattern_with_its_evidence() -> None:
    facts = [
        fact(1, 10, since=date(2026, 5, 1)),
        fact(2, 11, since=date(2026, 3, 1)),
        fact(3, 12),
        fact(4, 12),
    ]
    [pattern] = rules.shared_patterns(facts)
    assert pattern.kind == rules.SHARED
    assert pattern.children == (10, 11, 12)
    assert pattern.requests == (110, 111, 112)
    assert pattern.links == (1, 2, 3, 4)
    assert pattern.since == date(2026, 3, 1)
    assert pattern.sureness == rules.CERTAIN
    assert pattern.entities == (1,)


def test_two_children_are_not_a_pattern() -> None:
    assert rules.shared_patterns([fact(1, 10), fact(2, 11), fact(3, 11)]) == []


def test_patterns_never_cross_local_authorities() -> None:
    facts = [fact(1, 10), fact(2, 11), fact(3, 12, authority=2)]
    assert rules.shared_patterns(facts) == []


def test_a_dismissed_match_is_not_raised_again() -> None:
    facts = [fact(1, 10), fact(2, 11), fact(3, 12)]
    dismissed = frozenset({(1, rules.SHARED, "vehicle:AB12CDE")})
    assert rules.shared_patterns(facts, dismissed) == []
    elsewhere = frozenset({(2, rules.SHARED, "vehicle:AB12CDE")})
    assert len(rules.shared_patterns(facts, elsewhere)) == 1


def test_records_joined_by_a_key_are_as_sure_as_the_key() -> None:
    key = "person:dean|1985-03-02"
    facts = [
        fact(1, 10, key=key, entity=1, sureness=rules.LIKELY),
        fact(2, 11, key=key, entity=2, sureness=rules.LIKELY),
        fact(3, 12, key=key, entity=2, sureness=rules.LIKELY),
    ]
    [pattern] = rules.shared_patterns(facts)
    assert pattern.sureness == rules.LIKELY
    assert pattern.entities == (1, 2)


def test_one_record_is_certain_whatever_its_key() -> None:
    key = "place:victoria park"
    facts = [fact(n, 10 + n, key=key, sureness=rules.POSSIBLE) for n in range(3)]
    assert rules.shared_patterns(facts)[0].sureness == rules.CERTAIN


def test_children_linked_to_what_a_person_uses_count_for_the_person() -> None:
    person, car = "adult:5", "vehicle:AB12CDE"
    facts = [
        fact(1, 10, key=person, entity=5),
        fact(2, 12, key=person, entity=5),
        fact(3, 10, key=car, entity=6),
        fact(4, 11, key=car, entity=6),
    ]
    assert rules.shared_patterns(facts) == []
    [pattern] = rules.shared_patterns(facts, ties={person: frozenset({car})})
    assert pattern.key == person
    assert pattern.children == (10, 11, 12)
    assert pattern.links == (1, 2, 3, 4)
    assert pattern.sureness == rules.CERTAIN
    # A tie to nothing linked adds nobody.
    assert rules.shared_patterns(facts[:2], ties={person: frozenset({"vehicle:ZZ"})}) == []


def test_a_position_of_trust_in_two_requests_is_a_pattern() -> None:
    key = "adult:9"
    facts = [
        fact(1, 10, key=key, request=200),
        fact(1, 11, key=key, request=200),
        fact(2, 12, key=key, request=201),
    ]
    [pattern] = rules.trust_patterns(facts)
    assert pattern.kind == rules.TRUST
    assert pattern.requests == (200, 201)
    assert rules.trust_patterns(facts[:2]) == []
    assert rules.trust_patterns(facts, frozenset({(1, rules.TRUST, key)})) == []
    assert rules.trust_patterns([fact(1, 10, key=key, request=None)]) == []


def test_precision_and_recall_against_the_groups_planted() -> None:
    planted = [frozenset({1, 2, 3}), frozenset({4, 5, 6, 7}), frozenset({8, 9, 10})]
    found = [frozenset({1, 2, 3}), frozenset({4, 5, 6}), frozenset({11, 12, 13})]
    result = rules.scores(found, planted)
    assert (result.true_positives, result.false_positives, result.false_negatives) == (2, 1, 1)
    assert result.precision == 2 / 3
    assert result.recall == 2 / 3
    assert rules.scores([], []) == rules.Scores(1.0, 1.0, 0, 0, 0)
    assert rules.scores([frozenset({1, 2})], planted).true_positives == 0
