"""`python -m stripe_sandbox`: its options, the endpoint it can be given, and that it ships in
no wheel."""

import subprocess
import sys
import tomllib
from pathlib import Path

import stripe

from stripe_sandbox.testing import SandboxProcess

PROJECT = Path(__file__).resolve().parents[2]


def sandbox(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stripe_sandbox", *options],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_help_names_the_options():
    answer = sandbox("--help")

    assert answer.returncode == 0
    for option in ("--port", "--webhook", "--webhook-secret", "--api-key", "--retry-delays"):
        assert option in answer.stdout


def test_a_live_key_or_a_stray_secret_is_refused_before_starting():
    assert sandbox("--api-key", "sk_live_123").returncode == 2
    assert sandbox("--webhook-secret", "whsec_123").returncode == 2
    assert sandbox("--retry-delays", "1,soon").returncode == 2


def test_an_endpoint_given_on_the_command_line_gets_every_event_signed_with_its_secret(
    order_42, webhook_receiver, tmp_path
):
    options = ("--webhook", webhook_receiver.url, "--webhook-secret", "whsec_dev")
    process = SandboxProcess(*options, log_path=tmp_path / "log")
    client = process.start()
    try:
        session = client.stripe_client().v1.checkout.sessions.create(params=order_42)
        client.pay(session.url)
        webhook_receiver.wait_for(2)
    finally:
        process.stop()

    assert [event.type for event in webhook_receiver.events("whsec_dev")] == [
        "payment_intent.amount_capturable_updated",
        "checkout.session.completed",
    ]
    assert "Every event goes to" in (tmp_path / "log").read_text()


def test_a_port_in_use_is_said_plainly(tmp_path):
    process = SandboxProcess(log_path=tmp_path / "log")
    process.start()
    try:
        answer = sandbox("--port", str(process.port))
    finally:
        process.stop()

    assert answer.returncode == 1
    assert "cannot listen" in answer.stderr


def test_the_sdk_reaches_it_through_the_module_settings_too(stripe_sandbox, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", stripe_sandbox.api_key)
    monkeypatch.setattr(stripe, "api_base", stripe_sandbox.url)

    assert stripe.Event.list().data == []


def test_the_sandbox_is_left_out_of_the_wheel():
    """The wheel's packages are pyproject.toml's `include` patterns: none takes stripe_sandbox.
    (`make wheel-check`, run by CI, builds the real wheel and looks inside.)"""
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]

    assert not [pattern for pattern in include if "stripe_sandbox".startswith(pattern.rstrip("*"))]
