"""Canary values, a clean environment, private secrets files and a real moto server over HTTP."""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CANARY_KEY = "canary" + "0a1b2c3d" * 3 + "KEY1"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "TOK1"
CANARY_SECRET = "canary" + "f00d" * 14 + "SEC1"
CANARIES = (CANARY_KEY, CANARY_TOKEN, CANARY_SECRET)
"""Obvious fakes; each test that could leak checks that none of them reached its output."""


def canary(label: str) -> str:
    """A distinct canary for one place, such as ``canary("sm-token")``."""
    return "canary" + label.encode().hex() + "CANARY"


def assert_no_canary(text: str, *extra: str) -> None:
    for value in (*CANARIES, *extra):
        assert value not in text, "a secret value leaked"
        assert "CANARY" not in text, "a secret value leaked"


@pytest.fixture(autouse=True)
def _no_ambient_credentials() -> None:
    """No TRELLO*/TRELLOLENS*/AWS* variable from the machine; tests/conftest.py restores them."""
    for name in list(os.environ):
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]


def write_secrets(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's ThreadedMotoServer on 127.0.0.1 and a random free port, for the whole session."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_endpoint: str) -> str:
    """Fake AWS credentials and ``AWS_ENDPOINT_URL`` pointing at a freshly reset moto server."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": moto_endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    return moto_endpoint


def boto_client(service: str) -> Any:
    import boto3

    return boto3.session.Session().client(service)  # type: ignore[call-overload]


def put_json_secret(secret_id: str, payload: dict[str, str] | str) -> str:
    """Create or update the secret; returns the new AWSCURRENT version id."""
    client = boto_client("secretsmanager")
    text = payload if isinstance(payload, str) else json.dumps(payload)
    try:
        response = client.create_secret(Name=secret_id, SecretString=text)
    except client.exceptions.ResourceExistsException:
        response = client.put_secret_value(SecretId=secret_id, SecretString=text)
    return str(response["VersionId"])


def put_parameters(path: str, values: dict[str, str]) -> None:
    client = boto_client("ssm")
    for name, value in values.items():
        client.put_parameter(Name=f"{path}{name}", Value=value, Type="SecureString", Overwrite=True)


def count_calls(client: Any) -> Counter[str]:
    """Count API calls made by ``client``, per operation, with botocore's before-call event."""
    calls: Counter[str] = Counter()

    def on_call(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.*.*", on_call)
    return calls
