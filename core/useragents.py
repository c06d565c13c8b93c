"""Read a User-Agent header as people say it: "Chrome on macOS" (ua-parser's maintained rules)."""

from functools import lru_cache

from ua_parser import parse

# ua-parser's family names, as the product writes them.
_OS_NAMES = {"Mac OS X": "macOS", "Windows": "Windows", "Linux": "Linux", "Chrome OS": "ChromeOS"}
_BROWSER_NAMES = {"Mobile Safari": "Safari", "Chrome Mobile": "Chrome", "Chrome Mobile iOS": "Chrome"}


@lru_cache(maxsize=1024)
def user_agent_label(user_agent: str) -> str:
    """Return "Browser on OS" (or what is known of it); the raw header trimmed when nothing is."""
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return ""
    result = parse(user_agent[:1000])
    browser = result.user_agent.family if result.user_agent and result.user_agent.family != "Other" else ""
    system = result.os.family if result.os and result.os.family != "Other" else ""
    browser = _BROWSER_NAMES.get(browser, browser)
    system = _OS_NAMES.get(system, system)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    return user_agent[:60]
