import pytest


@pytest.fixture(autouse=True)
def _mail_test_templates(mail_test_templates):
    """Every outbox test may send `mailtest/greeting` (outbox/tests/fixtures.py)."""
