"""`trellolens doctor` on an OAuth 2.0 grant (emulator over real HTTP): the granted scopes and the
access token's remaining lifetime are shown; a grant that may write fails (the dashboard only
reads); a refused refresh token fails with "sign in again"; never a value."""

from __future__ import annotations

import json
import re
from typing import Any

from click.testing import CliRunner

from tests.helpers.oauth2 import token_for
from tests.service.oauth2_app import OAuth2Project, oauth2_project, oauth2_served
from trellolens.cli.main import cli

__all__ = ["oauth2_project", "oauth2_served"]
READ_ONLY = "read:board:trello read:member:trello offline_access"
WRITING = "read:board:trello write:board:trello read:member:trello offline_access"


def doctor(project: OAuth2Project) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["doctor", "--json", "--project-dir", str(project.folder)])
    assert not [value for value in project.values() if value in result.output]
    return {check["id"]: check for check in json.loads(result.stdout)["checks"]}


def grant(project: OAuth2Project, scope: str) -> None:
    project.write_grant(refresh=str(token_for(project.served.auth_base, scope)["refresh_token"]))


def test_a_read_only_grant_passes_with_its_scopes_and_lifetime(
    oauth2_project: OAuth2Project,
) -> None:
    grant(oauth2_project, READ_ONLY)
    checks = doctor(oauth2_project)
    assert checks["token.valid"]["status"] == "pass"
    assert "OAuth 2.0 sign-in of member" in checks["token.valid"]["detail"]
    scopes = checks["token.scopes"]
    assert scopes["status"] == "pass"
    assert "read:board:trello, read:member:trello, offline_access" in scopes["detail"]
    lifetime = checks["token.expiry"]
    assert lifetime["status"] == "pass"
    assert re.search(r"the access token has (59|60) min \d+ s left", lifetime["detail"])
    assert "token.age" not in checks  # an access token is new by design


def test_a_grant_that_may_write_fails(oauth2_project: OAuth2Project) -> None:
    grant(oauth2_project, WRITING)
    scopes = doctor(oauth2_project)["token.scopes"]
    assert scopes["status"] == "fail"
    assert "write:board:trello would let a leaked token change your boards" in scopes["detail"]
    assert "trellolens login" in scopes["fix"]


def test_a_revoked_grant_fails_with_sign_in_again(oauth2_project: OAuth2Project) -> None:
    grant(oauth2_project, READ_ONLY)
    oauth2_project.emulator.oauth2.revoke_all()
    valid = doctor(oauth2_project)["token.valid"]
    assert valid["status"] == "fail"
    assert "sign in again: `trellolens login`" in valid["detail"]
    assert "trellolens login" in valid["fix"]
