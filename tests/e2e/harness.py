"""The browser side of the e2e tests: a journey drives one page and checks every page it shows.

`Journey.step(name)` is the one call a test makes after each page it reaches: it runs axe-core at
1280 and 375 px (no violation of any impact: minor, moderate, serious or critical), checks that
every form field has a label and that every `aria-describedby` points at something and that
nothing sticks out of a 375 px screen, and, when SCREENSHOTS=1, saves full-page screenshots at
1280 and 375 px. JavaScript errors (console errors and uncaught exceptions) are collected for the
whole journey and fail the test at the end.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOTS_DIR", REPO_ROOT / "docs" / "screenshots"))
SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in ("", "0")

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 740}

# Fields a person fills in: everything but hidden inputs and buttons.
_UNLABELLED_FIELDS_JS = """
() => {
  const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, " ").trim() : "");
  const problems = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (skip.has((el.getAttribute("type") || "").toLowerCase())) continue;
    const fromLabels = Array.from(el.labels || []).map(text).join(" ").trim();
    const fromLabelledBy = (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .filter(Boolean).map((id) => text(document.getElementById(id))).join(" ").trim();
    const fromAriaLabel = (el.getAttribute("aria-label") || "").trim();
    if (!fromLabels && !fromLabelledBy && !fromAriaLabel) {
      problems.push(el.outerHTML.slice(0, 200));
    }
  }
  return problems;
}
"""

# aria-describedby/aria-labelledby that name an id the page does not have, or an element with no
# text (a screen reader then silently drops the help text or the error message).
_DANGLING_ARIA_REFS_JS = """
() => {
  const problems = [];
  for (const attr of ["aria-describedby", "aria-labelledby"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        const target = document.getElementById(id);
        const where = `${attr}="${id}" on ${el.outerHTML.slice(0, 160)}`;
        if (!target) problems.push(`${where}: no element has this id`);
        else if (!target.textContent.trim()) problems.push(`${where}: the element is empty`);
      }
    }
  }
  return problems;
}
"""

# The focused element and whether it shows a focus indicator (outline or box-shadow ring).
_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = outline || (style.boxShadow && style.boxShadow !== "none");
  const name = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 40);
  const tag = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  return { ring: Boolean(ring), describe: `<${tag}> ${name}` };
}
"""

# At phone width: elements that stick out past the right edge (the page then scrolls sideways).
_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const culprits = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest(".table-wrap")) {
      const parent = el.parentElement;
      if (parent && parent.getBoundingClientRect().right > width + 1 && !parent.matches("body")) continue;
      culprits.push(`${el.outerHTML.slice(0, 140)} (right edge at ${Math.round(box.right)} px)`);
    }
  }
  return culprits.length ? culprits : [`the page is ${document.documentElement.scrollWidth} px wide`];
}
"""

_AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary, html: n.html })),
  }));
}
"""


def format_violations(violations: list[dict]) -> str:
    """Render axe violations for a failure message: rule, impact, help, and each offending node."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"        {summary_line}")
    return "\n".join(lines)


@dataclass
class Journey:
    """One customer (or agent) path through the portal in one browser context."""

    name: str
    page: Page
    base_url: str
    js_errors: list[str] = field(default_factory=list)
    allowed_console_errors: list[re.Pattern] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.set_viewport_size(DESKTOP)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.js_errors.append(f"uncaught: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        if not any(pattern.search(text) for pattern in self.allowed_console_errors):
            self.js_errors.append(f"console: {text}")

    def allow_console_error(self, pattern: str) -> None:
        """Accept one expected console error (e.g. Chromium's log line for a page served with 404)."""
        self.allowed_console_errors.append(re.compile(pattern))

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, status: int = 200):
        """Open a path of the live server and check the HTTP status of the page."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, (
            f"GET {path}: expected {status}, got {response and response.status}"
        )
        return response

    def step(self, step: str) -> None:
        """Check the page now shown (axe, labels, ARIA references) and screenshot it if asked."""
        self.page.wait_for_load_state("load")
        where = f"{self.name}/{step} ({self.page.url})"
        self.steps.append(step)
        self.check_accessibility(where)
        self.check_fits_a_phone(where)
        if SCREENSHOTS:
            self.screenshot(step)

    def check_fits_a_phone(self, where: str) -> None:
        """At 375 px nothing may stick out sideways (wide tables scroll inside their .table-wrap)."""
        self.page.set_viewport_size(MOBILE)
        try:
            overflow = self.page.evaluate(_OVERFLOW_JS)
            violations = self.axe()
        finally:
            self.page.set_viewport_size(DESKTOP)
        assert not overflow, f"Wider than a {MOBILE['width']} px phone on {where}:\n" + "\n".join(overflow)
        if violations:
            pytest.fail(
                f"axe-core at {MOBILE['width']} px: {len(violations)} violation(s) on {where}:\n"
                + format_violations(violations),
                pytrace=False,
            )

    def check_accessibility(self, where: str) -> None:
        unlabelled = self.page.evaluate(_UNLABELLED_FIELDS_JS)
        assert not unlabelled, f"Form fields without a label on {where}:\n" + "\n".join(unlabelled)
        dangling = self.page.evaluate(_DANGLING_ARIA_REFS_JS)
        assert not dangling, f"ARIA references to missing ids on {where}:\n" + "\n".join(dangling)
        # Every impact fails, minor and moderate included: the guide asks for pages "axe clean".
        violations = self.axe()
        if violations:
            pytest.fail(
                f"axe-core: {len(violations)} violation(s) on {where}:\n" + format_violations(violations),
                pytrace=False,
            )

    def axe(self) -> list[dict]:
        """Run axe-core on the current page and return every violation.

        axe is evaluated through the DevTools protocol rather than added as a <script> tag: the
        portal's Content-Security-Policy (script-src 'self') rightly blocks inline scripts, and we
        test the pages with that policy on.
        """
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(_axe_source() + "\n;undefined")
        return self.page.evaluate(_AXE_RUN_JS)

    def tab_to(self, selector: str, *, max_presses: int = 25) -> list[str]:
        """Press Tab until `selector` has focus; every stop on the way must show a focus ring.

        Returns a short description of each element that took focus, in order.
        """
        target = self.page.locator(selector)
        visited = []
        for _ in range(max_presses):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(_FOCUSED_JS)
            visited.append(focused["describe"])
            assert focused["ring"], f"No visible focus indicator on {focused['describe']} ({self.page.url})"
            if target.evaluate("(el) => el === document.activeElement"):
                return visited
        pytest.fail(
            f"{selector} not reached in {max_presses} Tab presses; focus went: {visited}", pytrace=False
        )

    def screenshot(self, step: str) -> None:
        """Save full-page screenshots at desktop and phone width, palette-compressed."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        for size in (DESKTOP, MOBILE):
            self.page.set_viewport_size(size)
            png = self.page.screenshot(full_page=True, animations="disabled", caret="hide")
            _save_small_png(png, SCREENSHOT_DIR / f"{self.name}-{step}-{size['width']}.png")
        self.page.set_viewport_size(DESKTOP)

    def assert_no_js_errors(self) -> None:
        assert not self.js_errors, f"JavaScript errors during journey {self.name!r}:\n" + "\n".join(
            self.js_errors
        )


_axe_cache: dict[str, str] = {}


def _axe_source() -> str:
    if "src" not in _axe_cache:
        if not AXE_PATH.exists():
            pytest.fail(f"{AXE_PATH} is missing: run `npm ci` at the repository root.", pytrace=False)
        _axe_cache["src"] = AXE_PATH.read_text(encoding="utf-8")
    return _axe_cache["src"]


def _save_small_png(png: bytes, path: Path) -> None:
    """Write a screenshot as a 256-colour PNG (a few times smaller, and still crisp for UI)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )
