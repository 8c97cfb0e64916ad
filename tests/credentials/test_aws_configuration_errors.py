"""A broken AWS configuration is one line naming the setting: in the CLI, doctor and the pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS, page_text, shown
from trellolens.cli.main import cli

CASES = {
    "invalid-region": ({"AWS_DEFAULT_REGION": "us east 1"}, "AWS_DEFAULT_REGION"),
    "empty-region": ({"AWS_DEFAULT_REGION": ""}, "AWS_DEFAULT_REGION"),
    "no-region": ({}, "AWS_DEFAULT_REGION"),
    "unknown-profile": ({"AWS_PROFILE": "no-such-profile"}, "AWS_PROFILE"),
    "bad-endpoint": ({"AWS_ENDPOINT_URL": "not a url"}, "AWS_ENDPOINT_URL"),
    "unreadable-config": ({"AWS_CONFIG_FILE": "{bad}"}, "AWS_CONFIG_FILE"),
}
PAGES = Path("src/trellolens/ui/pages")


def configure(tmp_path: Path, settings: dict[str, str]) -> None:
    """Only these AWS settings (a fake key pair, no region unless given); HOME has no ~/.aws."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    bad_config = tmp_path / "aws-config"
    bad_config.write_text("[default\nregion = \n")
    os.environ.update(
        {
            "HOME": str(tmp_path),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
            "TRELLOLENS_SOURCES": "env,aws-sm,ssm",
            "TRELLOLENS_ACCESS": "open",
        }
    )
    if "AWS_DEFAULT_REGION" not in settings and settings:
        os.environ["AWS_DEFAULT_REGION"] = "eu-west-1"
    os.environ.update({k: str(bad_config) if v == "{bad}" else v for k, v in settings.items()})


def lines_naming(output: str, setting: str) -> list[str]:
    return [line for line in output.splitlines() if setting in line]


@pytest.mark.parametrize("command", ["credentials", "doctor"])
@pytest.mark.parametrize(("settings", "setting"), CASES.values(), ids=CASES.keys())
def test_the_cli_names_the_setting_in_one_line(
    tmp_path: Path, command: str, settings: dict[str, str], setting: str
) -> None:
    configure(tmp_path, settings)
    args = [command] if command == "credentials" else [command, "--project-dir", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert lines_naming(result.output, setting), result.output


@pytest.mark.parametrize("page", ["connect.py", "security.py"])
def test_the_setup_pages_name_the_setting(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(tmp_path, {"AWS_DEFAULT_REGION": "us east 1"})
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.switch_page(str(PAGES / page)).run()
    assert not at.exception
    text = shown(page_text(at) + "\n".join(str(w.value) for w in at.warning))
    assert "Something went wrong" not in text
    assert "AWS_DEFAULT_REGION" in text
