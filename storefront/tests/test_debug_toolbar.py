"""The debug toolbar: a contributor's view of a page's queries in development, and nowhere
else. The `dev` dependency group installs it, so these tests see it installed."""

import json

import pytest
from django.conf import settings

from .processes import PRODUCTION, database_url, run_shop


def test_the_tests_pages_never_carry_the_toolbar(client):
    assert "debug_toolbar" not in settings.INSTALLED_APPS

    assert "djDebug" not in client.get("/healthz").content.decode()


def test_production_never_turns_the_toolbar_on():
    shown = run_shop(
        "import storefront.settings as s\n"
        "print(s.DEBUG_TOOLBAR, 'debug_toolbar' in s.INSTALLED_APPS)",
        **PRODUCTION,
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["False", "False"]


@pytest.mark.django_db(transaction=True)
def test_in_development_the_toolbar_shows_without_weakening_the_csp_or_the_page_cache():
    shown = run_shop(
        """
        import json
        import django
        django.setup()
        from django.test import Client
        answers = []
        for address in ("127.0.0.1", "127.0.0.1", "203.0.113.9"):
            response = Client(REMOTE_ADDR=address).get("/")
            page = response.content.decode()
            toolbar = page[page.find('id="djDebug"'):] if 'id="djDebug"' in page else ""
            answers.append({
                "toolbar": bool(toolbar),
                "inline": "style=" in toolbar or "<script>" in toolbar,
                "csp": response["Content-Security-Policy"],
                "cache": response["X-Page-Cache"],
            })
        print(json.dumps(answers))
        """,
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url(),
    )

    assert shown.returncode == 0, shown.stderr
    first, again, stranger = json.loads(shown.stdout.splitlines()[-1])
    assert first["toolbar"] and again["toolbar"]
    assert not first["inline"]  # the CSP allows no inline script or style, and needs none
    assert first["csp"] == again["csp"] == stranger["csp"]
    assert "'unsafe-inline'" not in first["csp"]
    assert (first["cache"], again["cache"]) == ("miss", "hit")
    # The stored copy is the view's answer: someone the toolbar is not for gets it without.
    assert (stranger["cache"], stranger["toolbar"]) == ("hit", False)
