from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _mail_test_templates(settings):
    """The outbox tests render a message of their own, `mailtest/greeting.{txt,html}`."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"],
        }
    ]
