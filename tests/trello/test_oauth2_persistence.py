"""Each rotated refresh token is saved where it came from, and a crash at any step loses nothing
that could have been kept: the next start works, or says "sign in again" in one line."""

from __future__ import annotations

import json
import signal
import stat
from pathlib import Path

import pytest

from tests.helpers.aws import boto_client, current_json_secret, put_json_secret
from tests.helpers.canaries import assert_no_canary, write_secrets
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served, run_worker
from trellolens.credentials import OAuth2Credentials, Secret
from trellolens.errors import ConfigError
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_store import (
    NEXT,
    DotenvStore,
    SecretsFileStore,
    SecretsManagerStore,
    SsmStore,
    store_for,
)

__all__ = ["oauth2_served"]
SECRET_ID = "trellolens/development/trello"
PARAMETER = "/trellolens/development/trello/refresh_token"
SIGN_IN_AGAIN = "sign in again: `trellolens login`"


def refresh_once(served: OAuth2Served, store: object) -> TokenManager:
    manager = TokenManager(
        Secret(CLIENT_ID),
        Secret(CLIENT_SECRET),
        store,  # type: ignore[arg-type]
        auth_base_url=served.auth_base,
        shared=False,
    )
    manager.access_token()
    return manager


def newest_issued(served: OAuth2Served) -> str:
    oauth2 = served.emulator.oauth2
    with oauth2.lock:
        return next(token for token, grant in oauth2.refresh.items() if not grant.used)


def test_secrets_manager_gets_a_new_current_version_with_other_keys_kept(
    oauth2_served: OAuth2Served, aws: str
) -> None:
    served = oauth2_served
    original = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    put_json_secret(SECRET_ID, {**original, "refresh_token": served.refresh_token()})
    refresh_once(served, SecretsManagerStore(SECRET_ID))
    assert current_json_secret(SECRET_ID) == {**original, "refresh_token": newest_issued(served)}
    versions = boto_client("secretsmanager").list_secret_version_ids(SecretId=SECRET_ID)
    labels = [label for v in versions["Versions"] for label in v.get("VersionStages", [])]
    assert "AWSPENDING" not in labels
    assert NEXT not in labels
    assert labels.count("AWSCURRENT") == 1


def test_ssm_gets_a_new_parameter_version(oauth2_served: OAuth2Served, aws: str) -> None:
    served = oauth2_served
    ssm = boto_client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value=served.refresh_token(), Type="SecureString")
    refresh_once(served, SsmStore(PARAMETER))
    found = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]
    assert (found["Value"], found["Version"], found["Type"]) == (
        newest_issued(served),
        2,
        "SecureString",
    )


def test_dotenv_keeps_every_other_line(oauth2_served: OAuth2Served, tmp_path: Path) -> None:
    served = oauth2_served
    text = f"# local\nTRELLO_CLIENT_ID={CLIENT_ID}\nTRELLO_REFRESH_TOKEN={served.refresh_token()}\nOTHER=1\n"
    path = write_secrets(tmp_path / ".env", text)
    refresh_once(served, DotenvStore(path))
    assert path.read_text() == (
        f"# local\nTRELLO_CLIENT_ID={CLIENT_ID}\nTRELLO_REFRESH_TOKEN={newest_issued(served)}\nOTHER=1\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_store_follows_the_provenance_and_refuses_the_environment(tmp_path: Path) -> None:
    def credentials(source: str, origin: str) -> OAuth2Credentials:
        return OAuth2Credentials(Secret("a"), Secret("b"), Secret("c"), source, origin)

    path = tmp_path / "secrets.toml"
    found = store_for(credentials("streamlit", f"refresh_token in [connections.trello] of {path}"))
    assert isinstance(found, SecretsFileStore)
    assert found.table == ("connections", "trello")
    assert isinstance(
        store_for(credentials("aws-sm", f"refresh_token in secret {SECRET_ID}")),
        SecretsManagerStore,
    )
    assert isinstance(store_for(credentials("ssm", f"parameter {PARAMETER}")), SsmStore)
    assert isinstance(
        store_for(credentials("dotenv", f"TRELLO_REFRESH_TOKEN in {path}")), DotenvStore
    )
    with pytest.raises(ConfigError, match="cannot be saved") as raised:
        store_for(credentials("env", "TRELLO_REFRESH_TOKEN"))
    assert "\n" not in str(raised.value)
    with pytest.raises(ConfigError):
        store_for(credentials("streamlit", "refresh_token in [trello] of st.secrets"))


# -- SIGKILL at each step of a refresh ---------------------------------------------------------

FILE_STEPS = [
    ("locked", True),  # before the refresh token was spent: nothing lost
    ("refreshed", False),  # spent, the new one only in the dead process's memory
    ("written", True),  # the new file written beside, not renamed: the next start adopts it
    ("persisted", True),  # saved: the next start uses it
]


@pytest.mark.parametrize(("step", "works"), FILE_STEPS)
def test_sigkill_during_a_refresh_of_a_secrets_file(
    oauth2_served: OAuth2Served, tmp_path: Path, step: str, works: bool
) -> None:
    served = oauth2_served
    path = served.secrets_file(tmp_path)
    before = path.read_text()
    killed = served.worker(f"file:{path}", TEST_CRASH_AT=step)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    after_crash = path.read_text()
    assert after_crash in (before, before.replace(served_refresh(before), newest_issued(served)))
    code, out, err = run_worker(served, f"file:{path}")
    if works:
        assert (code, out.split()[0]) == (0, "ok"), out + err
    else:
        assert code == 1
        assert out.startswith("error: ")
        assert out.endswith(SIGN_IN_AGAIN)
        assert "Traceback" not in err
    assert_no_canary(out + err)
    assert served.emulator.oauth2.reuse_detections == (0 if works else 1)
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.toml"]


def served_refresh(text: str) -> str:
    return text.split('refresh_token = "')[1].split('"')[0]


SM_STEPS = [("refreshed", False), ("staged", True), ("promoted", True), ("persisted", True)]


@pytest.mark.parametrize(("step", "works"), SM_STEPS)
def test_sigkill_during_a_refresh_into_secrets_manager(
    oauth2_served: OAuth2Served, aws: str, step: str, works: bool
) -> None:
    served = oauth2_served
    put_json_secret(SECRET_ID, {"client_id": CLIENT_ID, "refresh_token": served.refresh_token()})
    killed = served.worker(f"sm:{SECRET_ID}", TEST_CRASH_AT=step)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    code, out, err = run_worker(served, f"sm:{SECRET_ID}")
    if works:
        assert (code, out.split()[0]) == (0, "ok"), out + err
        assert json.loads(json.dumps(current_json_secret(SECRET_ID)))["refresh_token"] == (
            newest_issued(served)
        )
    else:
        assert code == 1
        assert out.endswith(SIGN_IN_AGAIN)
    assert served.emulator.oauth2.reuse_detections == (0 if works else 1)


@pytest.mark.parametrize(("step", "works"), [("refreshed", False), ("persisted", True)])
def test_sigkill_during_a_refresh_into_ssm(
    oauth2_served: OAuth2Served, aws: str, step: str, works: bool
) -> None:
    served = oauth2_served
    ssm = boto_client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value=served.refresh_token(), Type="SecureString")
    killed = served.worker(f"ssm:{PARAMETER}", TEST_CRASH_AT=step)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    code, out, _ = run_worker(served, f"ssm:{PARAMETER}")
    assert code == (0 if works else 1)
    assert out.startswith("ok") if works else out.endswith(SIGN_IN_AGAIN)
    assert served.emulator.oauth2.reuse_detections == (0 if works else 1)
