"""Bad input to the dashboard's actions and reports gets a clear answer and changes nothing;
the cases' helper is storefront/tests/badinput.py. The cases are sent by Ada, made staff here
(a superuser: every part of the dashboard is hers), or by a visitor."""

import pytest
from django.contrib.auth import get_user_model

from storefront.tests.badinput import (
    HUGE_ID,
    NOT_FOUND,
    SCRIPT,
    check_answer,
    check_csrf,
    check_wrong_method,
    p,
    v,
    wrong_methods,
)

pytestmark = pytest.mark.django_db

SIGN_IN = "Log in"  # the admin's sign-in page, where a visitor is sent


@pytest.fixture
def staff_shop(shop):
    get_user_model().objects.filter(pk=shop.ada.pk).update(is_staff=True, is_superuser=True)
    return shop


RESTOCK = ("dashboard:restock", "@mug.pk")

CASES = [
    p("restock-empty", "post", RESTOCK, {"quantity": ""}, status=302, says="Enter how many"),
    p("restock-none", "post", RESTOCK, {}, status=302, says="Enter how many units arrived."),
    p("restock-zero", "post", RESTOCK, {"quantity": "0"}, status=302, says="Add at least 1"),
    p("restock-huge", "post", RESTOCK, {"quantity": HUGE_ID}, status=302, says="Add at most"),
    p("restock-decimal", "post", RESTOCK, {"quantity": "2.5"}, status=302, says="whole number"),
    p(
        "restock-script",
        "post",
        RESTOCK,
        {"quantity": SCRIPT},
        status=302,
        says="Enter a whole number of units.",
        absent="<script>alert",
    ),
    p("restock-nul", "post", RESTOCK, "quantity=1%00", status=302, says="Nothing was added."),
    p(
        "restock-unknown",
        "post",
        ("dashboard:restock", 999_999),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "restock-huge-id",
        "post",
        f"/admin/dashboard/products/{HUGE_ID}/restock/",
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    p("resend-unknown", "post", ("dashboard:resend", 999_999), {}, status=404, says=NOT_FOUND),
    p(
        "resend-huge-id",
        "post",
        f"/admin/dashboard/mail/{HUGE_ID}/resend/",
        {},
        status=404,
        says=NOT_FOUND,
    ),
    p("resend-none-failed", "post", ("dashboard:resend_failed",), {}, status=302, says="Nothing"),
    p(
        "csv-script",
        "get",
        ("dashboard:orders_csv",),
        {"start": SCRIPT, "end": "2026-11-03"},
        status=400,
        says="Enter a date.",
        escaped=SCRIPT,
    ),
    p(
        "csv-nul",
        "get",
        ("dashboard:orders_csv",),
        query="start=2026-11-01%00&end=2026-11-03",
        status=400,
        says="Enter a date.",
    ),
    p(
        "csv-reversed",
        "get",
        ("dashboard:orders_csv",),
        {"start": "2026-11-05", "end": "2026-11-03"},
        status=400,
        says="The first day comes after the last",
    ),
    p(
        "slips-script",
        "get",
        ("dashboard:packing_slips",),
        {"order": SCRIPT},
        status=400,
        says="is not an order number.",
        absent="<script>alert",
    ),
    p(
        "slips-huge",
        "get",
        ("dashboard:packing_slips",),
        {"order": HUGE_ID},
        status=400,
        says="is not an order number.",
    ),
    p(
        "slips-unknown",
        "get",
        ("dashboard:packing_slips",),
        {"order": "999999"},
        status=404,
        says=NOT_FOUND,
    ),
    v("restock-as-a-visitor", "post", RESTOCK, {"quantity": "5"}, status=302, says=SIGN_IN),
    v("resend-as-a-visitor", "post", ("dashboard:resend_failed",), {}, status=302, says=SIGN_IN),
    v(
        "csv-as-a-visitor",
        "get",
        ("dashboard:orders_csv",),
        {"start": "2026-11-01", "end": "2026-11-03"},
        status=302,
        says=SIGN_IN,
    ),
    v(
        "slips-as-a-visitor",
        "get",
        ("dashboard:packing_slips",),
        {"order": "1"},
        status=302,
        says=SIGN_IN,
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, staff_shop, case):
    check_answer(client, staff_shop, case)


@pytest.mark.parametrize(
    "case",
    [
        p("shopper-restocks", "post", RESTOCK, {"quantity": "5"}, status=302, says=SIGN_IN),
        p("shopper-exports", "get", ("dashboard:orders_csv",), status=302, says=SIGN_IN),
    ],
)
def test_a_shopper_is_sent_to_the_admins_sign_in_and_changes_nothing(client, shop, case):
    check_answer(client, shop, case)


@pytest.mark.parametrize(
    ("method", "url"),
    wrong_methods(
        posts=[("dashboard:orders_csv",), ("dashboard:packing_slips",)],
        gets=[RESTOCK, ("dashboard:resend_failed",)],
    ),
)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, staff_shop, method, url):
    check_wrong_method(client, staff_shop, method, url)


@pytest.mark.parametrize(
    "case",
    [
        p("restock", "post", RESTOCK, {"quantity": "5"}),
        p("resend-failed", "post", ("dashboard:resend_failed",), {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(staff_shop, case):
    check_csrf(staff_shop, case)
