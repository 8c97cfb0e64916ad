"""Who may own, read and write a secrets file: the mode rules, one real file per case.

CI runs these tests as root, where "owned by root" and "owned by us" are the same uid. So:
- "owned by us" is a file this process owns on a writable filesystem (root's own, in CI);
- "owned by another user" is a file ``os.chown``-ed to another uid (needs root);
- "owned by root, read-only" is the deployed case: root provides the file (a mounted Secret) and
  the app runs as a non-root user (the Dockerfile's ``USER``), so the reading is done by a real
  child process running as ``nobody``. A root app on a read-only filesystem is the other way a
  file is read-only; no test can mount one unprivileged, so that branch is checked through
  ``assess_file``'s ``read_only`` argument only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets
from trellolens.credentials.sources import StreamlitSecretsSource
from trellolens.credentials.sources.secrets_file import assess_file, check_file_mode
from trellolens.doctor.check import Status
from trellolens.doctor.checks_files import fix_modes, mode_check
from trellolens.errors import CredentialsError

SECRETS = f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n'
NOBODY = 65534
ANOTHER_USER = 1000
needs_root = pytest.mark.skipif(
    os.name == "nt" or os.geteuid() != 0,
    reason="making a file another user's (or reading as another user) needs root, as in CI",
)


def load(path: Path) -> dict[str, str]:
    result = StreamlitSecretsSource([path], use_runtime=False, allow_open=False).load("development")
    return {key: value.reveal() for key, value in result.values.items()}


def test_0600_is_read_and_passes(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / "secrets.toml", SECRETS, 0o600)
    assert load(path) == {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
    assert check_file_mode(path, False) is None
    check = mode_check([path], False)
    assert check.status is Status.PASS
    assert check.detail == f"only the owner may read {path}"
    assert fix_modes([path]) == []


def test_0644_owned_by_us_is_read_flagged_and_fixed(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / "secrets.toml", SECRETS, 0o644)
    assert path.stat().st_uid == os.geteuid()
    assert load(path) == {"api_key": CANARY_KEY, "token": CANARY_TOKEN}  # keeps working
    warning = check_file_mode(path, False)
    assert warning == (
        f"{path} may be read by other users of this machine (mode 0644); "
        f"run `chmod 600 {path}` or `trellolens doctor --fix`"
    )
    check = mode_check([path], False)
    assert check.status is Status.FAIL
    assert "trellolens doctor --fix" in check.fix
    assert fix_modes([path]) == [f"{path}: mode 0644 -> 0600"]
    assert path.stat().st_mode & 0o777 == 0o600
    assert mode_check([path], False).status is Status.PASS
    assert_no_canary(warning + check.detail + check.fix)


@pytest.mark.parametrize("mode", [0o664, 0o646, 0o620, 0o666])
def test_0664_others_may_change_it_so_it_is_refused(tmp_path: Path, mode: int) -> None:
    path = write_secrets(tmp_path / "secrets.toml", SECRETS, mode)
    with pytest.raises(CredentialsError) as raised:
        load(path)
    message = str(raised.value)
    assert message.startswith(f"{path} may be changed by other users (mode {mode:04o})")
    assert f"chmod 600 {path}" in message
    assert_no_canary(message)
    check = mode_check([path], False)
    assert check.status is Status.FAIL
    assert fix_modes([path]) == []  # a file others could have changed needs a person's look
    assert path.stat().st_mode & 0o777 == mode


@needs_root
def test_a_file_owned_by_another_non_root_user_is_refused(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / "secrets.toml", SECRETS, 0o600)
    os.chown(path, ANOTHER_USER, ANOTHER_USER)
    with pytest.raises(CredentialsError) as raised:
        load(path)
    assert f"belongs to another user (uid {ANOTHER_USER})" in str(raised.value)
    assert f"chown {os.geteuid()} {path}" in str(raised.value)
    assert mode_check([path], False).status is Status.FAIL
    assert fix_modes([path]) == []


# --- Owned by root, read by a non-root app ---------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder under /tmp that ``nobody`` may enter (pytest's tmp_path is root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="trellolens-mounted-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


READ_AS_APP = """
import json, os, sys
from pathlib import Path
from trellolens.credentials.sources import StreamlitSecretsSource
from trellolens.credentials.sources.secrets_file import assess_file, check_file_mode
from trellolens.doctor.checks_files import fix_modes, mode_check
# Imports done as root (the interpreter may live under /root); the rest runs as nobody.
os.setgroups([])
os.setgid(int(sys.argv[2]))
os.setuid(int(sys.argv[2]))
assert os.geteuid() == int(sys.argv[2])
path = Path(sys.argv[1])
result = StreamlitSecretsSource([path], use_runtime=False, allow_open=False).load("development")
access = assess_file(path)
check = mode_check([path], False)
print(json.dumps({
    "keys": sorted(result.values),
    "token_is_canary": result.values["token"].reveal().startswith("ATTACANARY"),
    "origin": result.origins["token"],
    "provided": access.provided,
    "warning": check_file_mode(path, False),
    "check": [check.status.value, check.detail],
    "fixed": fix_modes([path]),
}))
"""


def read_as_nobody(path: Path) -> dict[str, object]:
    """Resolve ``path`` in a child process that drops to ``nobody``, as the deployed app runs."""
    done = subprocess.run(
        [sys.executable, "-c", READ_AS_APP, str(path), str(NOBODY)],
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(path.parent)},
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert_no_canary(done.stdout + done.stderr)
    return dict(json.loads(done.stdout))


@needs_root
def test_0644_owned_by_root_is_fine_for_a_non_root_app(shared_dir: Path) -> None:
    path = write_secrets(shared_dir / "secrets.toml", SECRETS, 0o644)
    assert path.stat().st_uid == 0
    seen = read_as_nobody(path)
    assert seen["keys"] == ["api_key", "token"]
    assert seen["token_is_canary"] is True
    assert seen["provided"] is True
    assert seen["warning"] is None
    assert seen["check"] == [
        "pass",
        f"{path} is read-only here and owned by root (a mounted secret)",
    ]
    assert seen["fixed"] == []
    assert path.stat().st_mode & 0o777 == 0o644


def mounted_secret(volume: Path) -> Path:
    """The layout kubelet writes for a Secret volume: files behind ``..data`` symlinks, root 0644."""
    payload = volume / "..2026_12_01_05_00_00.000000001"
    payload.mkdir(mode=0o755)
    write_secrets(payload / "secrets.toml", SECRETS, 0o644)
    (volume / "..data").symlink_to(payload.name)
    (volume / "secrets.toml").symlink_to("..data/secrets.toml")
    payload.chmod(0o555)
    return volume / "secrets.toml"


@needs_root
def test_a_symlinked_mounted_secret_layout_is_fine(shared_dir: Path) -> None:
    volume = shared_dir / ".streamlit"
    volume.mkdir(mode=0o755)
    path = mounted_secret(volume)
    assert path.is_symlink()
    seen = read_as_nobody(path)
    assert seen["keys"] == ["api_key", "token"]
    assert seen["origin"] == f"token in [trello] of {path}"
    assert seen["provided"] is True
    check = seen["check"]
    assert isinstance(check, list)
    assert check[0] == "pass"
    assert seen["fixed"] == []


@needs_root
def test_a_root_app_tells_a_mounted_secret_by_its_read_only_filesystem(tmp_path: Path) -> None:
    """As root, a root-owned file is root's own (tighten it) unless its filesystem is read-only."""
    volume = tmp_path / ".streamlit"
    volume.mkdir()
    path = mounted_secret(volume)
    mounted = assess_file(path, euid=0, read_only=True)
    assert (mounted.provided, mounted.readable_by_others, mounted.refusal) == (True, False, None)
    own = assess_file(path, euid=0, read_only=False)
    assert (own.provided, own.readable_by_others, own.fixable) == (False, True, True)
