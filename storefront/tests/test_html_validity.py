"""Every page a shopper sees is valid HTML, as the Nu HTML checker (vnu) reads it.

`make test` installs the checker (npm's vnu-jar, from package.json) and a Java runtime.
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from checkout.models import Order
from dashboard.demo import STAFF

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


def errors_in(pages: dict[str, str], folder: Path) -> list[str]:
    files = []
    for name, html in pages.items():
        path = folder / f"{name.replace(' ', '-')}.html"
        path.write_text(html)
        files.append(path)

    return [
        f"{Path(message['url']).name}:{message.get('lastLine')}: {message['message']}"
        for message in run_vnu(files)
    ]


def test_every_shop_page_has_no_html_errors(client, tmp_path):
    assert errors_in(render_shop_pages(client), tmp_path) == []


def test_the_staff_dashboard_and_its_reports_have_no_html_errors(client, tmp_path):
    """The admin's first page with the demo's month of trade, packing slips, and the CSV
    form showing an error."""
    call_command("seed_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username=STAFF))
    to_ship = Order.objects.filter(status=Order.Status.CONFIRMED).values_list("pk", flat=True)
    urls = {
        "dashboard": reverse("admin:index"),
        "packing slips": f"{reverse('dashboard:packing_slips')}?order={to_ship[0]}"
        f"&order={to_ship[1]}",
        "orders as csv": f"{reverse('dashboard:orders_csv')}?start=2026-11-05&end=2026-11-01",
    }
    pages = {name: client.get(url).content.decode() for name, url in urls.items()}
    assert '<svg class="chart"' in pages["dashboard"]
    assert "2 packing slips" in pages["packing slips"]
    assert "The first day comes after the last" in pages["orders as csv"]

    assert errors_in(pages, tmp_path) == []
