"""Bad input to the catalog (search, pages, stock poll) gets a clear answer and changes
nothing; the cases' helper is storefront/tests/badinput.py.
"""

import pytest

from storefront.tests.badinput import (
    ATTRIBUTE_BREAKOUT,
    HUGE_ID,
    LONE_SURROGATE,
    NOT_FOUND,
    RTL_AND_EMOJI,
    SCRIPT,
    SQL,
    check_answer,
    check_wrong_method,
    p,
    wrong_methods,
)

pytestmark = pytest.mark.django_db

CATALOG = [
    p("search-empty", "get", ("catalog:product_list",), query="q=", says="2 products"),
    p("search-blank", "get", ("catalog:product_list",), query="q=%20%20%20", says="2 products"),
    p(
        "search-sql",
        "get",
        ("catalog:product_list",),
        {"q": SQL},
        says="Nothing matches",
        escaped=SQL,
    ),
    p("search-like-wildcard", "get", ("catalog:product_list",), {"q": "%"}, says="Nothing matches"),
    p("search-underscore", "get", ("catalog:product_list",), {"q": "_"}, says="Nothing matches"),
    p(
        "search-script",
        "get",
        ("catalog:product_list",),
        {"q": SCRIPT},
        says="Nothing matches",
        escaped=SCRIPT,
    ),
    p(
        "search-attribute-breakout",
        "get",
        ("catalog:product_list",),
        {"q": ATTRIBUTE_BREAKOUT},
        says="Nothing matches",
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    p("search-nul", "get", ("catalog:product_list",), query="q=%00", says="2 products"),
    p(
        "search-nul-in-a-word",
        "get",
        ("catalog:product_list",),
        query="q=mu%00g",
        says="1 result for “mug”",
    ),
    p(
        "search-rtl-emoji",
        "get",
        ("catalog:product_list",),
        {"q": RTL_AND_EMOJI},
        says=f"Nothing matches “{RTL_AND_EMOJI}”",
    ),
    p(
        "search-lone-surrogate",
        "get",
        ("catalog:product_list",),
        query=f"q={LONE_SURROGATE}",
        says="Nothing matches “\ufffd",
    ),
    p(
        "search-oversized",
        "get",
        ("catalog:product_list",),
        {"q": "mug " + "x" * 20_000},
        says="Nothing matches",
    ),
    p("page-not-a-number", "get", ("catalog:product_list",), query="page=abc", says="2 products"),
    p("page-negative", "get", ("catalog:product_list",), query="page=-1", says="2 products"),
    p("page-huge", "get", ("catalog:product_list",), query=f"page={HUGE_ID}", says="2 products"),
    p(
        "product-unknown",
        "get",
        ("catalog:product_detail", "no-such-thing"),
        status=404,
        says=NOT_FOUND,
    ),
    p("product-lone-surrogate", "get", f"/products/{LONE_SURROGATE}/", status=404, says=NOT_FOUND),
    p(
        "stock-not-numbers",
        "get",
        ("catalog:stock_poll",),
        {"ids": "1,two"},
        status=400,
        says="ids must be product ids separated by commas.",
    ),
    p(
        "stock-script",
        "get",
        ("catalog:stock_poll",),
        {"ids": SCRIPT},
        status=400,
        says="ids must be product ids",
        absent="<script",
    ),
    p(
        "stock-nul",
        "get",
        ("catalog:stock_poll",),
        query="ids=1%00",
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-huge-id",
        "get",
        ("catalog:stock_poll",),
        {"ids": HUGE_ID},
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-negative-id",
        "get",
        ("catalog:stock_poll",),
        {"ids": "-1"},
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-too-many",
        "get",
        ("catalog:stock_poll",),
        {"ids": ",".join(str(n) for n in range(1, 102))},
        status=400,
        says="Ask for at most 100 products.",
    ),
]


@pytest.mark.parametrize("case", CATALOG)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, shop, case):
    check_answer(client, shop, case)


@pytest.mark.parametrize(
    ("method", "url"),
    wrong_methods(
        posts=[
            ("catalog:product_list",),
            ("catalog:product_detail", "@mug.slug"),
            ("catalog:stock_poll",),
        ]
    ),
)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    check_wrong_method(client, shop, method, url)
