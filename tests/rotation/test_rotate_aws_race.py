"""Two rotations of one Secrets Manager secret at once, against moto's server: only one wins."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.helpers.aws import boto_client, current_json_secret, put_json_secret
from tests.helpers.canaries import CANARY_KEY
from tests.rotation.rotate_support import DEV, NEW, OLD, isolate_on_moto, serving_emulator
from trellolens.credentials import Resolver, Secret
from trellolens.credentials.model import TOKEN
from trellolens.errors import RotationError
from trellolens.rotation.rotation import RotationOptions, Step, fresh_resolver, rotate_token
from trellolens.rotation.store import (
    locate,
    promote_aws_secret,
    stage_aws_secret,
)

pytestmark = pytest.mark.aws
SECRET_ID = "trellolens/development/trello"
STAGED = "put the new token as the AWSPENDING version"


@pytest.fixture
def project(tmp_path: Path, aws: str) -> Path:
    project = isolate_on_moto(tmp_path)
    os.environ["TRELLOLENS_SOURCES"] = "aws-sm"
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": OLD, "note": "kept"})
    return project


def current_token() -> str:
    return current_json_secret(SECRET_ID)["token"]


def stages() -> list[list[str]]:
    versions = boto_client("secretsmanager").list_secret_version_ids(SecretId=SECRET_ID)
    return sorted(sorted(v["VersionStages"]) for v in versions["Versions"])


def test_two_rotations_racing_through_the_whole_flow_have_one_winner(project: Path) -> None:
    both_staged = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def report(step: Step) -> None:
        if STAGED in step.text:
            both_staged.wait()  # neither checks its staged value before both have staged one

    def rotation(token: str) -> None:
        options = RotationOptions(project_dir=project, write_aws=True)
        try:
            rotate_token(Secret(token), options, report)
        except RotationError as exc:
            outcomes[token] = f"lost: {exc}"
        else:
            outcomes[token] = "won"

    with serving_emulator():
        threads = [threading.Thread(target=rotation, args=(t,)) for t in (NEW, DEV)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(outcomes.values())[-1] == "won", outcomes
    winners = [token for token, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    (loser,) = set(outcomes) - set(winners)
    assert "another rotation at the same time" in outcomes[loser]
    assert current_token() == winners[0]
    assert ["AWSPENDING"] not in stages()


def test_a_stale_promotion_is_refused_after_another_one_moved_awscurrent(project: Path) -> None:
    resolver: Resolver = fresh_resolver(project)
    resolution = resolver.check()
    place = locate(resolution, resolver)
    old = resolution.values[TOKEN]
    first = stage_aws_secret(place, old, Secret(NEW))
    second = stage_aws_secret(place, old, Secret(DEV))  # both made from the same AWSCURRENT
    assert first.replaces == second.replaces
    promote_aws_secret(second)
    with pytest.raises(RotationError, match="AWSCURRENT moved while rotating"):
        promote_aws_secret(first)
    assert current_token() == DEV
    assert stages() == [[], ["AWSCURRENT"], ["AWSPREVIOUS"]]
