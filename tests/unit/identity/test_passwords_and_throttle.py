"""The password policy and the login lock at their boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.identity.passwords import check_password_policy
from domain.identity.throttle import LoginThrottle, SourcePolicy, SourceThrottle, ThrottlePolicy
from domain.shared.errors import InvalidValue
from domain.shared.networks import parse_networks


@pytest.mark.parametrize("password", ["Kwdmex1!", "kwdmex1!", "KWDMEX1!", "Kwdmexq1", "Kwdmexq!"])
def test_eight_characters_of_three_classes_pass(password):
    check_password_policy(password)


@pytest.mark.parametrize("password", ["Abcde1!", "abcdefgh", "ABCDEFG1", "12345678!", "abcdefg!"])
def test_seven_characters_or_two_classes_fail(password):
    with pytest.raises(InvalidValue):
        check_password_policy(password)


def test_the_username_may_not_be_inside():
    with pytest.raises(InvalidValue, match="username"):
        check_password_policy("Xzhang-2025", username="ZHANG")


T0 = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


def test_nine_failures_do_not_lock_the_tenth_does():
    throttle, policy = LoginThrottle("u"), ThrottlePolicy()
    for _ in range(9):
        throttle.fail(T0, policy)
    assert throttle.locked_for(T0) == 0
    throttle.fail(T0, policy)
    assert throttle.locked_for(T0) == 15 * 60


def test_the_lock_lasts_fifteen_minutes_exactly():
    throttle, policy = LoginThrottle("u"), ThrottlePolicy()
    for _ in range(10):
        throttle.fail(T0, policy)
    assert throttle.locked_for(T0 + timedelta(minutes=15) - timedelta(seconds=1)) == 1
    assert throttle.locked_for(T0 + timedelta(minutes=15)) == 0


def test_after_the_lock_the_count_starts_again():
    throttle, policy = LoginThrottle("u"), ThrottlePolicy(max_failures=2, lock_minutes=1)
    throttle.fail(T0, policy)
    throttle.fail(T0, policy)
    later = T0 + timedelta(minutes=2)
    throttle.fail(later, policy)
    assert throttle.locked_for(later) == 0 and throttle.failures == 1


def test_success_resets():
    throttle, policy = LoginThrottle("u"), ThrottlePolicy()
    for _ in range(9):
        throttle.fail(T0, policy)
    throttle.succeed()
    throttle.fail(T0, policy)
    assert throttle.failures == 1 and throttle.locked_for(T0) == 0


@pytest.mark.parametrize(
    "password", ["Abcdef1!", "Password1", "P@$$w0rd!", "Welcome2025!", "Qaz123456", "Admin888!", "1q2w3e4R"]
)
def test_common_passwords_and_their_decorations_are_refused(password):
    with pytest.raises(InvalidValue, match="common"):
        check_password_policy(password)


@pytest.mark.parametrize("password", ["Sun-Shine-2025", "Tiexi@1937", "Admins-of-Anshan-7", "Xpassword9!"])
def test_a_common_word_inside_a_longer_password_is_left_to_length_and_classes(password):
    check_password_policy(password)


def test_an_address_is_shut_at_its_limit_for_the_rest_of_the_window():
    throttle, policy = SourceThrottle("198.51.100.1"), SourcePolicy(max_failures=3, window_minutes=15)
    throttle.fail(T0, policy)
    throttle.fail(T0 + timedelta(minutes=1), policy)
    assert throttle.locked_for(T0 + timedelta(minutes=1)) == 0  # just under
    throttle.fail(T0 + timedelta(minutes=2), policy)  # at the limit
    assert throttle.locked_for(T0 + timedelta(minutes=2)) == 15 * 60
    assert throttle.locked_for(T0 + timedelta(minutes=17)) == 0


def test_an_address_count_starts_again_when_its_window_ends_not_on_a_success():
    throttle, policy = SourceThrottle("198.51.100.1"), SourcePolicy(max_failures=3, window_minutes=15)
    throttle.fail(T0, policy)
    throttle.fail(T0 + timedelta(minutes=15) - timedelta(seconds=1), policy)
    assert throttle.failures == 2  # still the same window
    throttle.fail(T0 + timedelta(minutes=15), policy)
    assert throttle.failures == 1 and throttle.locked_for(T0 + timedelta(minutes=15)) == 0


def test_trusted_networks_and_unknown_sources_are_not_limited_by_address():
    policy = SourcePolicy(trusted=parse_networks("10.8.0.0/16, 2001:db8::/32"))
    assert not policy.limits("10.8.255.1") and not policy.limits("2001:db8::7")
    assert not policy.limits("::ffff:10.8.0.9")  # an IPv4 address seen through IPv6
    assert policy.limits("10.9.0.1") and policy.limits("203.0.113.5")
    assert not policy.limits(None)
    with pytest.raises(ValueError, match=r"10\.8\.0\.0/33"):
        parse_networks("10.8.0.0/33")
