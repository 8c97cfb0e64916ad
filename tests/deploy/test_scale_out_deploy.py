"""deploy/haproxy and deploy/kubernetes/scale-out: HAProxy accepts the example configuration, with
cookie affinity and websocket timeouts; the manifests run N replicas on a password-protected Redis
and take every credential from a Secret."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from tests.helpers.paths import REPO_ROOT
from trellolens.shared.settings import check_redis_url

HAPROXY_CFG = REPO_ROOT / "deploy" / "haproxy" / "haproxy.cfg"
SCALE_OUT = REPO_ROOT / "deploy" / "kubernetes" / "scale-out"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def test_haproxy_validates_the_example_configuration() -> None:
    if not shutil.which(HAPROXY):
        pytest.fail("haproxy is not installed: `make test` installs Debian's haproxy")
    checked = subprocess.run(
        [HAPROXY, "-c", "-f", str(HAPROXY_CFG)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Configuration file is valid" in checked.stdout + checked.stderr


def test_haproxy_pins_each_visitor_to_a_replica_and_keeps_websockets_open() -> None:
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    assert "cookie TRELLOLENS_REPLICA insert indirect nocache httponly" in text
    assert text.count(" cookie app") == 3
    assert "timeout tunnel 1h" in text
    assert "option httpchk GET /_stcore/health" in text
    assert "use_backend webhooks if is_webhook" in text


def test_haproxy_caps_webhook_bodies_in_size_and_time() -> None:
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    assert (
        "http-request deny deny_status 413 if is_webhook { req.hdr_val(content-length) gt 1000000 }"
        in text
    )
    assert "http-request wait-for-body time 5s" in text
    webhooks = text.split("backend webhooks", 1)[1]
    assert "timeout server 10s" in webhooks


def documents(name: str) -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")
    loaded = list(yaml.safe_load_all((SCALE_OUT / name).read_text(encoding="utf-8")))
    assert all(isinstance(d, dict) for d in loaded)
    return loaded


def test_replicas_share_redis_from_a_secret_behind_a_sticky_ingress() -> None:
    docs = {(d["kind"], d["metadata"]["name"]): d for d in documents("trellolens.yaml")}
    app = docs[("Deployment", "trellolens")]
    assert app["spec"]["replicas"] >= 2
    (container,) = app["spec"]["template"]["spec"]["containers"]
    assert container["envFrom"] == [{"secretRef": {"name": "trellolens-scale-out"}}]
    assert not [e for e in container["env"] if "REDIS" in e["name"] or "TRELLO_" in e["name"]]
    assert docs[("Service", "trellolens")]["spec"]["sessionAffinity"] == "ClientIP"
    notes = docs[("Ingress", "trellolens")]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-secure"] == "true"
    receiver = docs[("Deployment", "trellolens-webhooks")]["spec"]["template"]["spec"]
    assert receiver["containers"][0]["command"][:3] == ["trellolens", "webhooks", "serve"]


def test_redis_requires_a_password_and_keeps_nothing_on_disk() -> None:
    docs = {(d["kind"], d["metadata"]["name"]): d for d in documents("redis.yaml")}
    (container,) = docs[("Deployment", "trellolens-redis")]["spec"]["template"]["spec"][
        "containers"
    ]
    (command,) = container["args"]
    assert '--requirepass "$REDIS_PASSWORD"' in command
    assert '--save ""' in command
    assert "--appendonly no" in command
    (password,) = container["env"]
    assert password["valueFrom"]["secretKeyRef"]["name"] == "trellolens-scale-out"
    assert ("NetworkPolicy", "trellolens-redis") in docs


def test_the_example_secrets_hold_an_acceptable_redis_url() -> None:
    for secret in documents("secret.example.yaml"):
        url = secret["stringData"]["TRELLOLENS_REDIS_URL"]
        assert check_redis_url(url) == url


def test_the_webhook_receiver_is_capped_and_holds_only_the_api_secret() -> None:
    docs = {(d["kind"], d["metadata"]["name"]): d for d in documents("trellolens.yaml")}
    secrets = {d["metadata"]["name"]: d for d in documents("secret.example.yaml")}
    (receiver,) = docs[("Deployment", "trellolens-webhooks")]["spec"]["template"]["spec"][
        "containers"
    ]
    assert receiver["resources"]["limits"]["memory"]
    ((source,),) = [[ref["secretRef"]["name"] for ref in receiver["envFrom"]]]
    assert set(secrets[source]["stringData"]) == {"TRELLO_API_SECRET", "TRELLOLENS_REDIS_URL"}
    assert not [e for e in receiver.get("env", []) if e.get("valueFrom")]
    webhook_paths = {
        (ingress["metadata"]["name"], path["backend"]["service"]["name"])
        for (kind, _), ingress in docs.items()
        if kind == "Ingress"
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
        if path["backend"]["service"]["name"] == "trellolens-webhooks"
    }
    assert webhook_paths == {("trellolens-webhooks", "trellolens-webhooks")}
    notes = docs[("Ingress", "trellolens-webhooks")]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == "1m"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) <= 10
