"""Lighthouse 12 scores of the shop as it runs in production (`make lighthouse`).

Builds a throwaway copy of the production configuration in .lighthouse/ (SQLite, the demo
data, collected static files, gunicorn with DEBUG off on loopback), runs Lighthouse 12 with
Debian's Chromium on the home page, a product page and a blog post, mobile and desktop, prints
the four category scores of each, writes them to docs/lighthouse.md and exits non-zero if any
is below 100. Development tooling: nothing in the shop imports it.

Performance scores move from run to run with the machine's load (Lighthouse simulates a slow
phone by scaling the CPU time it observes), so each page is measured `--runs` times and the
run with the median performance score is the one reported, as Lighthouse's own documentation
on variability recommends.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / ".lighthouse"
LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["mobile", "desktop"]


def pages(base_url: str) -> dict[str, str]:
    """The pages to score: home, a category, a product and a blog post."""
    return {
        "home": f"{base_url}/",
        "category": f"{base_url}/c/{first_category_slug()}/",
        "product": f"{base_url}/products/chefs-knife/",
        "blog post": f"{base_url}/blog/{first_post_slug()}/",
    }


def first_category_slug() -> str:
    code = (
        "from catalog.models import Category; print(Category.objects.order_by('pk').first().slug)"
    )
    return manage("shell", "-c", code, capture=True).strip().splitlines()[-1]


def first_post_slug() -> str:
    code = "from blog.models import Post; print(Post.objects.published().first().slug)"
    return manage("shell", "-c", code, capture=True).strip().splitlines()[-1]


def environment(port: int) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "lighthouse-only-not-a-real-secret-key-0123456789abcdefghijklmnop",
        # Plain HTTP on loopback: Lighthouse treats localhost as a secure origin.
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "STATIC_ROOT": str(WORK / "static"),
        # As production on one machine: the page cache in SQLite files, shared by the workers.
        "CACHE_URL": f"diskcache://{WORK / 'cache'}",
        "LOG_LEVEL": "WARNING",
    }


ENV: dict = {}


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=ENV,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout or ""


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"The shop did not answer on {url} within {timeout:.0f} s."
                ) from None
            time.sleep(0.3)


def lighthouse(url: str, form_factor: str, report: Path) -> dict[str, int]:
    command = [
        "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={report}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless --no-sandbox",
        "--quiet",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    env = {**os.environ, "CHROME_PATH": chrome}
    # Lighthouse now and then fails to record its trace (NO_NAVSTART) and asks to be run
    # again: it gets one more try.
    if subprocess.run(command, env=env).returncode != 0:
        subprocess.run(command, check=True, env=env)
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def failed_audits(report: Path) -> list[str]:
    """The audits that cost points, to say why a score is below 100."""
    result = json.loads(report.read_text())
    lines = []
    for name in CATEGORIES:
        for ref in result["categories"][name]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{name}: {audit['id']} ({audit['title']}) score {audit['score']}")
    return lines


def write_markdown(rows: list[tuple[str, str, dict[str, int]]], load: float) -> None:
    header = "| page | form factor | " + " | ".join(CATEGORIES) + " |"
    lines = [
        "# Lighthouse scores",
        "",
        "`make lighthouse` measures the production configuration (gunicorn, DEBUG off, collected",
        f"and compressed static files) with the demo data, using {LIGHTHOUSE} and Debian's",
        "Chromium on loopback, each page measured several times: the run with the median",
        "performance score is shown. The target is 100 in every category.",
        "",
        header,
        "|" + " --- |" * (len(CATEGORIES) + 2),
        *(
            f"| {page} | {form} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |"
            for page, form, scores in rows
        ),
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, load average {load:.1f} at the start.",
        "",
    ]
    (BASE_DIR / "docs" / "lighthouse.md").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--runs", type=int, default=3, help="measurements per page (median)")
    options = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "reports").mkdir(parents=True)
    ENV.update(environment(options.port))
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("seed_demo")
    manage("collectstatic", "--noinput", "--verbosity", "0")

    load = os.getloadavg()[0]
    base_url = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "storefront.wsgi", "--bind",
         f"127.0.0.1:{options.port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=ENV,
    )  # fmt: skip
    rows, problems = [], []
    try:
        wait_until_up(f"{base_url}/healthz")
        targets = pages(base_url)
        # A shop in use serves these pages from its page cache: measure that, not the first
        # render after a restart.
        for url in targets.values():
            urllib.request.urlopen(url, timeout=30).read()
        for page, url in targets.items():
            for form_factor in FORM_FACTORS:
                runs = []
                for run in range(options.runs):
                    name = f"{page.replace(' ', '-')}-{form_factor}-{run + 1}.json"
                    report = WORK / "reports" / name
                    runs.append((lighthouse(url, form_factor, report), report))
                median = statistics.median_low(scores["performance"] for scores, _ in runs)
                scores, report = next(run for run in runs if run[0]["performance"] == median)
                rows.append((page, form_factor, scores))
                summary = "  ".join(f"{name} {scores[name]}" for name in CATEGORIES)
                print(f"{page:<10} {form_factor:<8} {summary}")
                if min(scores.values()) < 100:
                    problems += [f"{page} {form_factor}: {line}" for line in failed_audits(report)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    write_markdown(rows, load)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
