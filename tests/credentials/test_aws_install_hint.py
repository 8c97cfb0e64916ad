"""Without boto3, the AWS sources say how to get it where the app runs: one line, no pip on
Community Cloud (nobody runs it there; requirements.txt is what the platform installs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from trellolens.credentials.sources.aws_client import (
    COMMUNITY_CLOUD_HINT,
    INSTALL_HINT,
    SourceUnavailable,
    install_hint,
    make_client,
    on_community_cloud,
)


@pytest.mark.parametrize(
    ("cwd", "expected"),
    [
        (Path("/mount/src/my-dashboard"), True),
        (Path("/mount/src"), True),
        (Path("/home/me/mount/src/app"), False),
        (Path("/app"), False),
    ],
)
def test_community_cloud_is_recognised_by_its_clone_folder(cwd: Path, expected: bool) -> None:
    assert on_community_cloud(cwd) is expected


def test_the_hint_names_requirements_txt_on_community_cloud_only() -> None:
    cloud = install_hint(Path("/mount/src/my-dashboard"))
    assert cloud == COMMUNITY_CLOUD_HINT
    assert "requirements.txt" in cloud
    assert "pip install" not in cloud
    assert install_hint(Path("/home/me/project")) == INSTALL_HINT
    assert "\n" not in cloud


def test_a_missing_boto3_is_one_line_with_the_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 raises ImportError
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceUnavailable) as raised:
        make_client("secretsmanager")
    assert str(raised.value) == INSTALL_HINT
