"""Every page a shopper sees is valid HTML, as the Nu HTML checker (vnu) reads it.

`make test` installs the checker (npm's vnu-jar, from package.json) and a Java runtime.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .shop_pages import render_shop_pages

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


def run_vnu(files: list[Path]) -> list[dict]:
    """The checker's errors for `files` (warnings and info left out)."""
    java = shutil.which("java")
    if not VNU_JAR.exists() or java is None:
        pytest.fail(
            "The Nu HTML checker needs node_modules/vnu-jar and Java: `make test` installs "
            "both (npm ci, and Debian's default-jre-headless)."
        )
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu prints its JSON report on stderr, exiting 1 when it found errors.
    return json.loads(result.stderr)["messages"]


def test_the_checker_finds_errors_when_there_are_some(tmp_path):
    """The check below could not pass by reading nothing: a broken page is caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title><p hx-get="/">x'
        '<time datetime="2026-11-28T10:00:00.123456+00:00">now</time></html>'
    )

    messages = run_vnu([page])

    assert {message["type"] for message in messages} == {"error"}
    assert any("hx-get" in message["message"] for message in messages)
    assert any("datetime" in message["message"] for message in messages)


def test_every_shop_page_has_no_html_errors(client, tmp_path):
    pages = render_shop_pages(client)
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_text(html)
        files.append(path)

    errors = [
        f"{Path(message['url']).name}:{message.get('lastLine')}: {message['message']}"
        for message in run_vnu(files)
    ]

    assert errors == []
