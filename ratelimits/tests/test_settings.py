"""A shop tunes its limits from the environment (RATE_LIMITS), read when the settings load."""

import json
import os
import subprocess
import sys

from django.conf import settings


def _limits_at_start(**env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with `env`; it prints {name: [limit, seconds]}."""
    show = "json.dumps({n: [r['limit'], r['window'].seconds] for n, r in s.RATE_LIMITS.items()})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RATE_LIMITS")}
    return subprocess.run(
        [sys.executable, "-c", f"import json, storefront.settings as s; print({show})"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_the_environment_changes_how_many_a_limit_allows_and_keeps_its_window():
    started = _limits_at_start(RATE_LIMITS="sign-up=50,sign-up-check=200")

    limits = json.loads(started.stdout)
    assert limits["sign-up"] == [50, 3600]
    assert limits["sign-up-check"] == [200, 600]
    assert limits["sign-in"] == [5, 900]  # not named: as shipped


def test_a_limit_the_shop_does_not_have_or_a_count_that_is_no_count_stops_the_start():
    for value in ("signup=50", "sign-up", "sign-up=0", "sign-up=lots"):
        started = _limits_at_start(RATE_LIMITS=value)

        assert started.returncode != 0
        assert "RATE_LIMITS takes name=number pairs, each name one of sign-in, sign-up," in (
            started.stderr
        )
        assert repr(value) in started.stderr
