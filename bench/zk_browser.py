"""Time the page's auth-key derivation (static/js/zk.js, hash-wasm Argon2id + HKDF) in headless Chromium.

Loads the same files the sign-in pages load (static/vendor/ from `make vendor`, static/js/zk.js)
into a blank page of Debian's Chromium and derives the auth key `--rounds` times at the default
costs (Argon2id 64 MiB, t=3, p=1), each with a fresh salt, as sign-up does. Prints the median,
min and max wall time per derivation, and checks one result against the Python reference.

    .venv/bin/python bench/zk_browser.py --rounds 20
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPTS = [ROOT / "static" / "vendor" / "hash-wasm.umd.min.js", ROOT / "static" / "js" / "zk.js"]
DEFAULT = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1}

_TIMED_JS = """
async ([rounds, params]) => {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const salt = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const start = performance.now();
    await window.vaultZk.deriveAuthKey("correct-horse-battery-staple", salt, params);
    times.push(performance.now() - start);
  }
  return times;
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--chromium", default=os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    for script in SCRIPTS:
        if not script.exists():
            sys.exit(f"{script} is missing: run `make vendor`.")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    from playwright.sync_api import sync_playwright

    from accounts.kdf import KdfParams
    from vaultclient.crypto import auth_key_derive

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content("<!DOCTYPE html><title>zk bench</title>")
        for script in SCRIPTS:
            page.add_script_tag(path=str(script))
        version = browser.version
        salt = "dGVzdC1zYWx0LTE2Ynl0ZQ"
        in_browser = page.evaluate(
            "([salt, params]) => window.vaultZk.deriveAuthKey('correct-horse-battery-staple', salt, params)",
            [salt, DEFAULT],
        )
        reference = auth_key_derive("correct-horse-battery-staple", KdfParams(salt=salt, **DEFAULT))
        assert in_browser == reference, (in_browser, reference)
        times = page.evaluate(_TIMED_JS, [args.rounds, DEFAULT])
        browser.close()

    print(f"Chromium {version}, {args.rounds} derivations at {DEFAULT} (auth key matches the reference)")
    print(
        f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms, "
        f"mean {statistics.fmean(times):.0f} ms"
    )


if __name__ == "__main__":
    main()
