"""Bad input to the site-wide endpoints (health checks); each app tests its own in
`<app>/tests/test_bad_input.py`, with the cases' helper in storefront/tests/badinput.py."""

import pytest

from storefront.tests.badinput import check_wrong_method, wrong_methods

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("method", "url"), wrong_methods(posts=[("healthz",), ("readyz",)]))
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    check_wrong_method(client, shop, method, url)
