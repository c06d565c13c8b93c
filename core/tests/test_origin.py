import dataclasses
import json

import pytest

from core.origin import Origin


def test_from_request_reads_ip_and_user_agent(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/128")
    assert Origin.from_request(request) == Origin(ip="203.0.113.9", user_agent="Firefox/128")


def test_from_request_trusts_only_the_configured_proxies(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert Origin.from_request(request).ip == "203.0.113.9"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert Origin.from_request(request).ip == "10.0.0.2"


def test_user_agent_is_cut_to_what_the_audit_columns_store(rf):
    request = rf.get("/", HTTP_USER_AGENT="x" * 1000)
    assert len(Origin.from_request(request).user_agent) == 300
    assert len(Origin(user_agent="y" * 400).user_agent) == 300


def test_from_scope_reads_the_same_as_a_page_request():
    scope = {"client": ["203.0.113.9", 51000], "headers": [(b"user-agent", b"Safari/17"), (b"host", b"x")]}
    assert Origin.from_scope(scope) == Origin(ip="203.0.113.9", user_agent="Safari/17")


def test_from_scope_behind_the_proxy_uses_x_forwarded_for(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    scope = {"client": ["10.0.0.2", 51000], "headers": [(b"x-forwarded-for", b"198.51.100.7")]}
    assert Origin.from_scope(scope).ip == "198.51.100.7"


def test_from_scope_without_client_or_headers_is_unknown():
    assert Origin.from_scope({"type": "websocket"}) == Origin()


def test_round_trips_through_a_plain_json_dict_for_tasks():
    origin = Origin(ip="2001:db8::1", user_agent="App/3.1")
    data = json.loads(json.dumps(origin.to_dict()))
    assert data == {"ip": "2001:db8::1", "user_agent": "App/3.1"}
    assert Origin.from_dict(data) == origin


def test_from_dict_ignores_other_keys_and_tolerates_nothing():
    context = {"requested_at": "2025-01-01T00:00:00+00:00", "ip": "203.0.113.9", "actor_id": None}
    assert Origin.from_dict(context) == Origin(ip="203.0.113.9")
    assert Origin.from_dict(None) == Origin() == Origin.from_dict({"ip": "", "user_agent": None})


def test_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Origin().ip = "203.0.113.9"
