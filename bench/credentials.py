"""Credentials from AWS Secrets Manager: our warm per-process cache against pydantic-settings.

On one moto ThreadedMotoServer (real HTTP on 127.0.0.1), for the same JSON secret, time:
(a) trellolens: ``Resolver([AwsSecretsManagerSource()]).resolve()`` with a warm cache;
(b) pydantic-settings: building a ``BaseSettings`` whose only source is
    ``AWSSecretsManagerSettingsSource`` (a boto3 client and a GetSecretValue call every time);
(c) pydantic-settings reusing one source instance: it reads the secret once, in its constructor,
    so this is a snapshot (no AWS call, and no rotation ever seen): validation cost only.
Prints each per-resolve time and the ratios (b)/(a) and (c)/(a). Values are canaries.
The headline is (c)/(a): a reused source is how an expert keeps pydantic-settings off the network
(it then never sees a rotated secret; trellolens re-reads its secret every refresh_seconds).
(b) is a second row: what building the settings per request costs.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from results import record

SECRET_ID = "trellolens/development/trello"
WARM_REPEATS = 20_000
PEER_REPEATS = 100


def per_call(repeats: int, work: Callable[[], object]) -> float:
    """Seconds per call: the best of three runs of ``repeats`` calls."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeats):
            work()
        best = min(best, (time.perf_counter() - started) / repeats)
    return best


def start_moto() -> Any:
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    return server


def main() -> None:
    import logging

    import boto3
    from pydantic_settings import (
        AWSSecretsManagerSettingsSource,
        BaseSettings,
        PydanticBaseSettingsSource,
    )

    from trellolens.credentials import Resolver
    from trellolens.credentials.sources import AwsSecretsManagerSource

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = start_moto()
    try:
        payload = {"api_key": "canary" + "ab" * 16, "token": "ATTACANARY" + "0" * 54}
        boto3.session.Session().client("secretsmanager").create_secret(
            Name=SECRET_ID, SecretString=json.dumps(payload)
        )

        class TrelloSettings(BaseSettings):
            api_key: str
            token: str

            @classmethod
            def settings_customise_sources(
                cls, settings_cls: type[BaseSettings], *args: Any, **kwargs: Any
            ) -> tuple[PydanticBaseSettingsSource, ...]:
                return (AWSSecretsManagerSettingsSource(settings_cls, SECRET_ID),)

        reused = AWSSecretsManagerSettingsSource(TrelloSettings, SECRET_ID)

        class ReusedSourceSettings(TrelloSettings):
            @classmethod
            def settings_customise_sources(
                cls, settings_cls: type[BaseSettings], *args: Any, **kwargs: Any
            ) -> tuple[PydanticBaseSettingsSource, ...]:
                return (reused,)

        resolver = Resolver([AwsSecretsManagerSource(refresh_seconds=300)])
        ours = resolver.resolve()
        assert ours.token.reveal() == TrelloSettings().token == ReusedSourceSettings().token

        warm = per_call(WARM_REPEATS, resolver.resolve)
        peer_built = per_call(PEER_REPEATS, TrelloSettings)
        peer_reused = per_call(PEER_REPEATS, ReusedSourceSettings)
    finally:
        server.stop()

    print(f"trellolens resolve, warm cache:                  {warm * 1e6:10.2f} us")
    print(f"pydantic-settings, settings built each time:     {peer_built * 1e6:10.2f} us")
    print(f"pydantic-settings, reused source (snapshot):     {peer_reused * 1e6:10.2f} us")
    print(f"ratio built/ours:  {peer_built / warm:8.0f}x")
    print(f"ratio reused/ours: {peer_reused / warm:8.0f}x")
    warm_figure = f"{warm * 1e6:.1f} µs per resolve (warm cache, best of 3 x {WARM_REPEATS:,})"
    record(
        "credentials",
        "credentials from AWS Secrets Manager (moto server), per resolve",
        warm_figure,
        "pydantic-settings `AWSSecretsManagerSettingsSource`, one source instance reused "
        f"(a snapshot, no AWS call): {peer_reused * 1e6:.1f} µs",
        f"{peer_reused / warm:.1f}x less time",
    )
    record(
        "credentials",
        "the same, second row: the peer building its settings per resolve",
        warm_figure,
        "pydantic-settings, `BaseSettings()` built each time (a boto3 client and a "
        f"GetSecretValue call): {peer_built * 1e3:.1f} ms",
        f"{peer_built / warm:,.0f}x less time",
    )


if __name__ == "__main__":
    main()
