"""The checks of every journey step must fail when a page is broken (else they prove nothing)."""

import pytest

from tests.e2e.harness import Journey

pytestmark = pytest.mark.e2e

GOOD_HEAD = "<!doctype html><html lang='en'><head><title>Page</title></head>"


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    journey = Journey(name="harness", page=context.new_page(), base_url="about:blank")
    yield journey
    context.close()


def test_a_clean_page_passes(blank):
    blank.page.set_content(GOOD_HEAD + "<body><main><h1>Hi</h1><label for=a>Name</label><input id=a></main>")
    blank.check_accessibility("clean page")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<main><h1>Hi</h1><img src='x.png'></main>", "image-alt"),
        ("<main><h1>Hi</h1><input id=a placeholder='Name'></main>", "Form fields without a label"),
        (
            "<main><h1>Hi</h1><label for=a>Name</label><input id=a aria-describedby=a_error></main>",
            "no element has this id",
        ),
        (
            "<main><h1>Hi</h1><label for=a>Name</label><input id=a aria-describedby=h><p id=h></p></main>",
            "the element is empty",
        ),
    ],
)
def test_a_broken_page_fails_with_a_readable_message(blank, body, expected):
    blank.page.set_content(GOOD_HEAD + "<body>" + body)
    with pytest.raises((AssertionError, pytest.fail.Exception), match=expected):
        blank.check_accessibility("broken page")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # moderate: text outside every landmark
        ("<main><h1>Hi</h1></main><p>Stray text</p>", r"\[moderate\] region"),
        # moderate: two main landmarks, one inside the other (what Swagger UI's own layout does)
        (
            "<main><h1>Hi</h1><main><p>Operations</p></main></main>",
            r"\[moderate\] landmark-no-duplicate-main",
        ),
        # moderate: two navigation landmarks nobody can tell apart
        (
            "<nav><a href='#a'>A</a></nav><nav><a href='#b'>B</a></nav><main><h1>Hi</h1></main>",
            "landmark-unique",
        ),
    ],
)
def test_moderate_and_minor_violations_fail_too(blank, body, expected):
    blank.page.set_content(GOOD_HEAD + "<body>" + body)
    with pytest.raises(pytest.fail.Exception, match=expected):
        blank.check_accessibility("page with a moderate violation")
    with pytest.raises(pytest.fail.Exception, match=expected):
        blank.check_fits_a_phone("page with a moderate violation")


def test_javascript_errors_are_collected(blank):
    blank.page.set_content(GOOD_HEAD + "<body><script>console.error('boom'); undefinedThing();</script>")
    with pytest.raises(AssertionError, match="boom") as failure:
        blank.assert_no_js_errors()
    assert "undefinedThing" in str(failure.value)


def test_focus_without_a_visible_ring_fails(blank):
    no_ring = "<style>a:focus { outline: none }</style>"
    blank.page.set_content(GOOD_HEAD + f"<body>{no_ring}<main><h1>Hi</h1><a href='#x' id=x>x</a></main>")
    with pytest.raises(AssertionError, match="No visible focus indicator"):
        blank.tab_to("#x")
