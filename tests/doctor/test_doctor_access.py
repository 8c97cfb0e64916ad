"""`trellolens doctor` fails when live boards are open to anyone on a reachable server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.doctor.test_doctor_cli import (
    HEALTHY,
    SAFE_CONFIG,
    SECRETS,
    doctor,
    expect,
    make_project,
    serving,
)
from trellolens.testing import TrelloEmulator

REACHABLE = '[server]\naddress = "0.0.0.0"\n'


@pytest.fixture(autouse=True)
def emulator() -> Iterator[TrelloEmulator]:
    with serving(HEALTHY) as emu:
        yield emu


def test_open_on_every_interface_without_public_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, config=SAFE_CONFIG + REACHABLE)
    os.environ["TRELLOLENS_ACCESS"] = "open"
    outcome = doctor(project, caplog)
    expect(outcome, access__open="fail")
    check = outcome.check("access.open")
    assert "server.address = 0.0.0.0" in check["detail"]
    assert "public = true" in check["fix"]


def test_an_unset_address_counts_as_reachable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = SECRETS + '[trellolens]\naccess = "open"\n'
    outcome = doctor(make_project(tmp_path, secrets=secrets), caplog)
    expect(outcome, access__open="fail")
    assert "every interface" in outcome.check("access.open")["detail"]


@pytest.mark.parametrize(
    ("extra_secrets", "config", "env"),
    [
        ('[trellolens]\naccess = "open"\npublic = true\n', REACHABLE, {}),
        ("", REACHABLE, {"TRELLOLENS_ACCESS": "login"}),
        ("", '[server]\naddress = "127.0.0.1"\n', {"TRELLOLENS_ACCESS": "open"}),
        ("", "", {"TRELLOLENS_ACCESS": "open", "STREAMLIT_SERVER_ADDRESS": "::1"}),
    ],
)
def test_open_passes_when_spelled_out_or_on_loopback(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    extra_secrets: str,
    config: str,
    env: dict[str, str],
) -> None:
    project = make_project(tmp_path, secrets=SECRETS + extra_secrets, config=SAFE_CONFIG + config)
    os.environ.update(env)
    expect(doctor(project, caplog))


def test_public_must_be_a_boolean(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secrets = SECRETS + '[trellolens]\naccess = "open"\npublic = "true"\n'
    project = make_project(tmp_path, secrets=secrets, config=SAFE_CONFIG + REACHABLE)
    outcome = doctor(project, caplog)
    expect(outcome, access__open="fail", settings__valid="fail")
    assert "public in [trellolens]" in outcome.check("settings.valid")["detail"]


VISITOR = '[trellolens]\naccess = "visitor"\n'


def test_visitor_mode_off_loopback_without_public_url_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, secrets=SECRETS + VISITOR, config=SAFE_CONFIG + REACHABLE)
    outcome = doctor(project, caplog)
    expect(outcome, access__public_url="fail")
    check = outcome.check("access.public_url")
    assert "public_url" in check["fix"]
    assert "may be reached from other computers" in check["detail"]


@pytest.mark.parametrize(
    ("extra", "config", "env", "status"),
    [
        ('public_url = "https://dash.example.com"\n', REACHABLE, {}, "pass"),
        ("", REACHABLE, {"TRELLOLENS_PUBLIC_URL": "https://dash.example.com"}, "pass"),
        ("", '[server]\naddress = "127.0.0.1"\n', {}, "pass"),
        ('public_url = "http://dash.example.com"\n', REACHABLE, {}, "fail"),
        ('public_url = "https://dash.example.com/?x=1"\n', REACHABLE, {}, "fail"),
        ('public_url = "http://localhost:8501"\n', REACHABLE, {}, "pass"),
    ],
)
def test_visitor_mode_public_url(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    extra: str,
    config: str,
    env: dict[str, str],
    status: str,
) -> None:
    os.environ.update(env)
    project = make_project(tmp_path, secrets=SECRETS + VISITOR + extra, config=SAFE_CONFIG + config)
    outcome = doctor(project, caplog)
    assert outcome.check("access.public_url")["status"] == status


def test_no_return_address_check_outside_visitor_mode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = doctor(make_project(tmp_path, config=SAFE_CONFIG + REACHABLE), caplog)
    assert "access.public_url" not in [check["id"] for check in outcome.report["checks"]]


def test_an_environment_only_open_route_passes_with_trellolens_public(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Heroku: credentials and settings are config vars, the app listens on every interface."""
    project = make_project(tmp_path, config=SAFE_CONFIG + REACHABLE)
    os.environ.update({"TRELLOLENS_ACCESS": "open", "TRELLOLENS_PUBLIC": "True"})
    outcome = doctor(project, caplog)
    expect(outcome)
    assert "public = true says so" in outcome.check("access.open")["detail"]


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_trellolens_public_off_does_not_count(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    project = make_project(tmp_path, config=SAFE_CONFIG + REACHABLE)
    os.environ.update({"TRELLOLENS_ACCESS": "open", "TRELLOLENS_PUBLIC": value})
    outcome = doctor(project, caplog)
    expect(outcome, access__open="fail")
    assert "TRELLOLENS_PUBLIC=true" in outcome.check("access.open")["fix"]


def test_trellolens_public_neither_true_nor_false_is_a_bad_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, config=SAFE_CONFIG + REACHABLE)
    os.environ.update({"TRELLOLENS_ACCESS": "open", "TRELLOLENS_PUBLIC": "yes"})
    outcome = doctor(project, caplog)
    expect(outcome, access__open="fail", settings__valid="fail")
    assert "TRELLOLENS_PUBLIC" in outcome.check("settings.valid")["detail"]
    assert "yes" not in outcome.check("settings.valid")["detail"]


def test_public_false_in_the_secrets_file_wins_over_the_variable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = SECRETS + '[trellolens]\naccess = "open"\npublic = false\n'
    project = make_project(tmp_path, secrets=secrets, config=SAFE_CONFIG + REACHABLE)
    os.environ["TRELLOLENS_PUBLIC"] = "true"
    expect(doctor(project, caplog), access__open="fail")
