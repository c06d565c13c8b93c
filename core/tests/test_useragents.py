import pytest

from core.useragents import user_agent_label

MAC_CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("header", "label"),
    [
        (MAC_CHROME, "Chrome on macOS"),
        (IPHONE, "Safari on iOS"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
        ("curl/8.5.0", "curl"),
        ("", ""),
        ("x" * 500, "x" * 60),
    ],
)
def test_user_agents_read_as_people_say_them(header, label):
    assert user_agent_label(header) == label
