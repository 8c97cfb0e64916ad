"""moto's server over real HTTP, and boto3 clients of it (the ``aws`` fixture points AWS at it)."""

from __future__ import annotations

import json
import os
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.helpers.servers import free_port

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's ThreadedMotoServer on 127.0.0.1 and a free port; yields its URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def use_fresh_moto(endpoint: str) -> None:
    """Reset the moto server at ``endpoint`` and point this process's AWS at it."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    os.environ.update({"AWS_ENDPOINT_URL": endpoint, **FAKE_AWS})


def aws_environment() -> dict[str, str]:
    """The ``AWS_*`` variables set now (to keep them across a reset of the environment)."""
    return {name: value for name, value in os.environ.items() if name.startswith("AWS_")}


def boto_client(service: str) -> Any:
    import boto3

    # boto3-stubs types client() per service literal; ``service`` is any name here.
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


def current_json_secret(secret_id: str) -> dict[str, str]:
    """The AWSCURRENT version of a JSON secret."""
    client = boto_client("secretsmanager")
    text = client.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")["SecretString"]
    data: dict[str, str] = json.loads(text)
    return data


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
