"""deploy/: the IAM policy grants reading one secret and nothing else; the ECS task definition and
the Kubernetes manifests inject credentials from a secret store, never as plain values."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.helpers.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
SECRET_ARN = re.compile(
    r"arn:aws:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}"
)
CREDENTIAL_VARIABLE = re.compile(r"TRELLO_.*(KEY|TOKEN|SECRET)")


def load_json(name: str) -> dict[str, Any]:
    data = json.loads((DEPLOY / "aws" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_iam_policy_allows_reading_one_secret_only() -> None:
    policy = load_json("iam-policy.json")
    assert policy["Version"] == "2012-10-17"
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert set(statement) <= {"Sid", "Effect", "Action", "Resource"}, "no Not*, no Condition"
    actions = statement["Action"]
    assert sorted(actions) == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    resource = statement["Resource"]
    assert isinstance(resource, str), "one resource, not a list"
    assert SECRET_ARN.fullmatch(resource), resource
    assert "*" not in resource
    assert "?" not in resource


def test_the_ecs_task_injects_the_credentials_from_that_secret() -> None:
    policy_arn = load_json("iam-policy.json")["Statement"][0]["Resource"]
    task = load_json("ecs-task-definition.json")
    (container,) = task["containerDefinitions"]
    injected = {item["name"]: item["valueFrom"] for item in container["secrets"]}
    assert set(injected) == {"TRELLO_API_KEY", "TRELLO_OAUTH_TOKEN", "STREAMLIT_AUTH_TOML"}
    for value_from in injected.values():
        assert value_from.startswith(policy_arn + ":"), "every value from the one allowed secret"
    for variable in container["environment"]:
        assert not CREDENTIAL_VARIABLE.fullmatch(variable["name"]), variable["name"]
    assert container["user"] != "0"
    assert not container["user"].startswith(("0:", "root"))
    assert any("/_stcore/health" in part for part in container["healthCheck"]["command"])
    assert task["executionRoleArn"].startswith("arn:aws:iam::")


def test_the_ecs_login_route_can_let_someone_in() -> None:
    """access = login needs an allowlist and st.login's [auth] table, which the image's command
    writes to ~/.streamlit/secrets.toml from STREAMLIT_AUTH_TOML (tests/deploy/test_image_layout.py)."""
    (container,) = load_json("ecs-task-definition.json")["containerDefinitions"]
    environment = {item["name"]: item["value"] for item in container["environment"]}
    injected = {item["name"] for item in container["secrets"]}
    assert environment["TRELLOLENS_ACCESS"] == "login"
    assert environment["TRELLOLENS_ALLOWED_EMAILS"]
    assert "STREAMLIT_AUTH_TOML" in injected
    assert "command" not in container, "the image's own command writes the [auth] table"


def test_every_documented_login_route_brings_the_auth_table() -> None:
    """A route that sets TRELLOLENS_ACCESS=login also hands over [auth]: nobody is locked out."""
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    routes = {"Dockerfile": dockerfile}
    for guide in sorted((REPO_ROOT / "docs").glob("deploy-*.md")):
        routes[guide.name] = guide.read_text(encoding="utf-8")
    for name, text in routes.items():
        for block in re.split(r"\n\s*\n", text):
            if re.search(r"(-e |config:set |^)TRELLOLENS_ACCESS=login", block, re.MULTILINE):
                assert "STREAMLIT_AUTH_TOML" in block, (
                    f"{name}: a login route without [auth]:\n{block}"
                )


def kubernetes_documents() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")
    text = (DEPLOY / "kubernetes" / "deployment.yaml").read_text(encoding="utf-8")
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_kubernetes_mounts_secrets_toml_from_a_secret_volume_read_only() -> None:
    (deployment,) = [d for d in kubernetes_documents() if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    (container,) = pod["containers"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    (mount,) = [m for m in container["volumeMounts"] if "secret" in volumes[m["name"]]]
    assert mount["readOnly"] is True
    assert mount["mountPath"].endswith("/.streamlit")
    assert "subPath" not in mount, "subPath mounts miss Secret updates"
    secret = volumes[mount["name"]]["secret"]
    assert [item["path"] for item in secret["items"]] == ["secrets.toml"]
    for variable in container.get("env", []):
        assert not CREDENTIAL_VARIABLE.fullmatch(variable["name"]), variable["name"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
