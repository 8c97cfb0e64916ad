"""Every Kubernetes manifest in deploy/, validated offline against the Kubernetes API schemas.

kubernetes-validate ships the schemas of each Kubernetes release, so no cluster and no network is
needed; strict mode also rejects a misspelt field (which a cluster would silently drop).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.helpers.paths import REPO_ROOT

MANIFESTS = sorted((REPO_ROOT / "deploy" / "kubernetes").rglob("*.yaml"))
OLDEST_SUPPORTED = "1.29.0"
"""The oldest release still in the schemas that a managed cluster may still run."""
VERSIONS = [OLDEST_SUPPORTED, kubernetes_validate.latest_version()]


def resources(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("schema validation must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_manifests_are_there() -> None:
    names = {path.relative_to(REPO_ROOT).as_posix() for path in MANIFESTS}
    assert "deploy/kubernetes/deployment.yaml" in names
    assert "deploy/kubernetes/scale-out/trellolens.yaml" in names


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "path", MANIFESTS, ids=[p.relative_to(REPO_ROOT).as_posix() for p in MANIFESTS]
)
def test_every_resource_is_valid_for_the_kubernetes_api(path: Path, version: str) -> None:
    found = resources(path)
    assert found, f"{path} has no resource"
    for resource in found:
        kubernetes_validate.validate(resource, version, strict=True)


def test_a_misspelt_field_is_caught() -> None:
    """The check can fail: the deployment with one security field misspelt is refused."""
    path = REPO_ROOT / "deploy" / "kubernetes" / "deployment.yaml"
    deployment = next(r for r in resources(path) if r["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    context = container["securityContext"]
    context["runAsNonRot"] = context.pop("runAsNonRoot", True)
    with pytest.raises(kubernetes_validate.ValidationError, match="runAsNonRot"):
        kubernetes_validate.validate(deployment, VERSIONS[-1], strict=True)
