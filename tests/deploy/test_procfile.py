"""The Procfile (Heroku and other Procfile platforms); tests/e2e/test_deploy_procfile.py runs it."""

from __future__ import annotations

from tests.helpers.paths import REPO_ROOT
from tests.helpers.platform import procfile_command


def test_the_web_process_serves_on_every_interface_at_the_platforms_port() -> None:
    command = procfile_command(REPO_ROOT / "Procfile")
    assert command.startswith("trellolens run ")
    assert "--server.address 0.0.0.0" in command
    assert "--server.port $PORT" in command
    assert "--server.headless true" in command
    assert "secret" not in command.lower()
    assert "TRELLO" not in command
