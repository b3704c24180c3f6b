"""How alerts is wired to checkout: a mail for every move of an order's life it has a mail
for."""

from django.apps import apps


def test_the_customer_is_mailed_about_every_move_that_leads_to_a_state_with_a_mail():
    mailed = apps.get_app_config("alerts").mailed_moves()

    assert [move.name for move in mailed] == ["confirm", "ship", "deliver", "cancel"]
