"""`python -m loadtest`: the harness runs outside manage.py, and nothing of it ships."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands


def _loadtest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loadtest", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_a_command_it_lists_the_commands():
    answer = _loadtest()

    assert answer.returncode == 2
    assert all(name in answer.stderr for name in ("bench", "soak", "data"))


def test_each_command_answers_help():
    for command in ("bench", "soak", "data"):
        answer = _loadtest(command, "--help")
        assert answer.returncode == 0, answer.stderr
        assert "python -m loadtest " + command in answer.stdout


def test_manage_py_knows_no_load_test_command():
    assert not {"bench", "bench_data", "soak"} & set(get_commands())


def test_the_load_test_tooling_is_left_out_of_the_packages():
    """The wheel's packages are the `include` patterns of pyproject.toml: none names loadtest.

    (`make wheel-check`, run by CI, builds the real wheel and looks inside.)
    """
    import tomllib

    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not [pattern for pattern in include if "loadtest".startswith(pattern.rstrip("*"))]
