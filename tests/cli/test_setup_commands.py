"""`trellolens init` and `trellolens secrets template`: files made private, nothing overwritten."""

from __future__ import annotations

import os
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.paths import REPO_ROOT
from trellolens.cli.main import cli
from trellolens.doctor import Status
from trellolens.doctor.checks_config import error_details_check
from trellolens.templates import secrets_template


def invoke(*args: str, project: Path | None = None) -> tuple[int, str]:
    extra = ["--project-dir", str(project)] if project is not None else []
    result = CliRunner().invoke(cli, [*args, *extra])
    return result.exit_code, result.output


def test_template_has_empty_placeholders_only() -> None:
    code, output = invoke("secrets", "template")
    assert code == 0
    assert tomllib.loads(output) == {"trello": {"api_key": "", "token": "", "api_secret": ""}}
    assert output == secrets_template()


def test_template_for_a_profile_and_for_aws() -> None:
    _, production = invoke("secrets", "template", "--profile", "production")
    assert set(tomllib.loads(production)["trello"]) == {"production"}
    _, aws = invoke("secrets", "template", "--aws", "--profile", "production")
    parsed = tomllib.loads(aws)
    assert parsed["TRELLOLENS_PROFILE"] == "production"
    assert "aws-sm" in parsed["TRELLOLENS_SOURCES"]
    assert parsed["AWS_SECRET_ACCESS_KEY"] == ""
    assert "trellolens/production/trello" in aws


def test_template_refuses_a_bad_profile_in_one_line() -> None:
    code, output = invoke("secrets", "template", "--profile", "../x")
    assert code == 2
    assert output.count("\n") == 1


def test_the_template_ships_inside_the_package() -> None:
    import trellolens.templates

    assert (Path(trellolens.templates.__file__).parent / "secrets.toml.template").is_file()


def test_init_creates_a_private_secrets_file_ignores_it_and_prints_the_next_step(
    tmp_path: Path,
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    code, output = invoke("init", "--no-pre-commit", project=tmp_path)
    assert code == 0, output
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert secrets.read_text() == secrets_template()
    assert ".streamlit/secrets.toml\n.env\n" in (tmp_path / ".gitignore").read_text()
    assert "https://trello.com/1/authorize?" in output
    assert "key=YOUR_API_KEY" in output
    assert not (tmp_path / ".pre-commit-config.yaml").exists()
    for name in (".streamlit/secrets.toml", ".env"):
        ignored = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "-q", name])
        assert ignored.returncode == 0, name


def test_init_never_overwrites_and_adds_nothing_twice(tmp_path: Path) -> None:
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[trello]\napi_key = "mine"\n')
    secrets.chmod(0o600)
    (tmp_path / ".gitignore").write_text(".env\n.streamlit/secrets.toml")
    code, output = invoke("init", "--no-pre-commit", project=tmp_path)
    assert code == 0
    assert "exists: left as it is" in output
    assert secrets.read_text() == '[trello]\napi_key = "mine"\n'
    assert (tmp_path / ".gitignore").read_text() == ".env\n.streamlit/secrets.toml"


def test_init_adds_the_pre_commit_hook_when_asked(tmp_path: Path) -> None:
    code, _ = invoke("init", "--pre-commit", project=tmp_path)
    assert code == 0
    config = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert "entry: trellolens scan --staged" in config
    _, again = invoke("init", "--pre-commit", project=tmp_path)
    assert "already runs trellolens-scan" in again


def test_nothing_configured_is_three_short_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        del os.environ[name]  # tests/conftest.py restores them
    os.environ["TRELLOLENS_SOURCES"] = "env,dotenv"
    result = CliRunner().invoke(cli, ["credentials"])
    assert result.exit_code == 1
    error = result.stderr
    lines = error.strip().splitlines()
    assert len(lines) == 3
    assert all(len(line) <= 100 for line in lines)
    assert "trellolens init" in error
    assert "TRELLO_API_KEY" in error


def test_init_writes_the_safe_streamlit_config_the_doctor_checks(tmp_path: Path) -> None:
    code, output = invoke("init", "--no-pre-commit", project=tmp_path)
    assert code == 0, output
    config = tmp_path / ".streamlit" / "config.toml"
    assert "created .streamlit/config.toml" in output
    assert config.read_text() == (REPO_ROOT / ".streamlit" / "config.toml").read_text()
    settings = tomllib.loads(config.read_text())
    assert settings["client"]["showErrorDetails"] == "none"
    assert settings["browser"]["gatherUsageStats"] is False
    check = error_details_check(tmp_path, tmp_path / "home", {})
    assert check.status is Status.PASS, check


def test_init_keeps_an_existing_streamlit_config(tmp_path: Path) -> None:
    config = tmp_path / ".streamlit" / "config.toml"
    config.parent.mkdir()
    config.write_text('[theme]\nbase = "dark"\n')
    code, output = invoke("init", "--no-pre-commit", project=tmp_path)
    assert code == 0
    assert ".streamlit/config.toml exists: left as it is" in output
    assert config.read_text() == '[theme]\nbase = "dark"\n'


def test_credentials_after_init_say_which_values_are_still_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("init", "--no-pre-commit", project=tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        del os.environ[name]  # tests/conftest.py restores them
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env,dotenv"
    result = CliRunner().invoke(cli, ["credentials"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "nothing is configured" not in line
    assert "still empty: api_key in [trello] of " in line
    assert "token in [trello] of " in line
    assert "api_secret" not in line  # optional: empty is fine
