"""The one rate format and the fixed-window limiter."""

import pytest
from django.core.management import call_command

from core import ratelimit
from core.checks import rates_check
from core.ratelimit import Rate, rate_limit_hit, rate_parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/h", Rate(5, 3600)),
        ("10/15m", Rate(10, 900)),
        ("20/m", Rate(20, 60)),
        ("3/30s", Rate(3, 30)),
        ("100/d", Rate(100, 86400)),
        ("0/h", Rate(0, 3600)),
    ],
)
def test_rate_parse_reads_count_per_period(text, expected):
    assert rate_parse(text) == expected


@pytest.mark.parametrize(
    "text", ["5", "5/hour", "10/min", "5/0m", "/h", "5/h ", "-1/h", "5/2w", (5, 3600), None]
)
def test_rate_parse_refuses_anything_else(text):
    with pytest.raises(ValueError, match="count/period"):
        rate_parse(text)


def test_over_the_count_within_the_window_is_a_hit_and_keys_are_separate():
    hits = [rate_limit_hit(scope="test", key="a", rate="3/h") for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert rate_limit_hit(scope="test", key="b", rate="3/h") is False
    assert rate_limit_hit(scope="other", key="a", rate="3/h") is False


def test_the_window_ends_and_the_count_starts_again(monkeypatch):
    timeouts = []
    real_add = ratelimit.cache.add
    monkeypatch.setattr(
        ratelimit.cache,
        "add",
        lambda key, value, timeout: timeouts.append(timeout) or real_add(key, value, timeout),
    )
    assert [rate_limit_hit(scope="w", key="k", rate="1/15m") for _ in range(2)] == [False, True]
    assert timeouts[0] == 900  # the counter lives exactly one window
    ratelimit.cache.clear()  # what the cache does when the window's timeout passes
    assert rate_limit_hit(scope="w", key="k", rate="1/15m") is False


def _cache_keys() -> list[str]:
    """Every key in the cache: Django's local-memory cache or Redis (as CI runs it)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return [str(key) for key in cache._cache]
    assert isinstance(cache, RedisCache), type(cache)
    return [key.decode() for key in cache._cache.get_client(None).keys("*")]


def test_cache_keys_do_not_contain_the_counted_value():
    rate_limit_hit(scope="address", key="someone@example.com", rate="1/h")
    keys = _cache_keys()
    # The count is there, under a hashed key.
    assert any(":rl:address:" in key or key.startswith("rl:address:") for key in keys)
    assert not any("someone@example.com" in key for key in keys)


def test_every_rate_in_settings_is_in_the_one_format(settings):
    assert rates_check() == []
    call_command("check")  # the check is registered and passes on the real settings
    settings.CHAT_RATE_MESSAGES = (20, 60)  # the old tuple format
    settings.SUPPORT_VOTE_RATE_PER_IP = "60/hour"  # DRF's long units
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own setting is not ours to check
    errors = rates_check()
    assert [error.id for error in errors] == ["core.E001", "core.E001"]
    assert "CHAT_RATE_MESSAGES" in errors[0].msg and "SUPPORT_VOTE_RATE_PER_IP" in errors[1].msg
