"""The Dockerfile's rules (slim base, non-root, health check, no secret in a layer or build
argument), the .dockerignore, and the container's own commands run here as a platform would.

When a container runtime answers (``docker info``), the image is also built and run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.deploy.dockerfile import (
    Instruction,
    copy_sources,
    final_stage,
    ignore_rules,
    ignored,
    instructions,
)
from tests.helpers.paths import REPO_ROOT
from tests.helpers.servers import clean_env, free_port, serving
from trellolens.scan.patterns import find_credentials

DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
SECRET_NAME = re.compile(r"TRELLO|TOKEN|SECRET|PASSW|API_?KEY|CREDENTIAL|AWS_", re.IGNORECASE)
HEALTHY_WITHIN_SECONDS = 150
MUST_STAY_OUT = [
    ".streamlit/secrets.toml",
    "sub/project/.streamlit/secrets.toml",
    ".env",
    ".env.production",
    ".git",
    ".git/config",
    ".venv/bin/python",
]

found = instructions(DOCKERFILE)
final = final_stage(found)


def only(keyword: str, stage: list[str] | None = None) -> list[str]:
    return [i.arguments for i in (found if stage is None else final) if i.keyword == keyword]


def test_every_stage_starts_from_one_slim_python_image_pinned_by_digest() -> None:
    bases = [i.arguments.split()[0] for i in found if i.keyword == "FROM"]
    assert bases
    for base in bases:
        assert re.fullmatch(r"python:3\.1[1-9]-slim(-[a-z]+)?@sha256:[0-9a-f]{64}", base), base
    assert len(set(bases)) == 1, "the build and the final stage must use the same image"


def test_every_package_is_installed_hash_checked_from_the_lock_exports() -> None:
    installs = [run for run in only("RUN") if "pip install" in run]
    assert installs
    for run in installs:
        for command in run.split("&&"):
            if "pip install" not in command:
                continue
            if "--require-hashes" in command:
                assert re.search(r"-r requirements/(build|container)\.txt", command), command
            else:  # only the wheel built here from the copied source, without its dependencies
                assert "--no-deps /wheels/*.whl" in command, command
    assert any("--no-build-isolation" in run for run in only("RUN")), "build with locked hatchling"


def test_the_app_runs_as_a_non_root_user() -> None:
    users = [i.arguments for i in final if i.keyword == "USER"]
    assert users, "the final stage needs a USER"
    user, _, group = users[-1].partition(":")
    assert user not in {"root", "0"}
    assert group not in {"root", "0"}
    last_user = max(index for index, i in enumerate(final) if i.keyword == "USER")
    assert all(i.keyword != "RUN" for i in final[last_user:]), (
        "no RUN after USER: nothing to do as app"
    )


def test_the_health_check_asks_streamlits_health_endpoint() -> None:
    (check,) = [i for i in final if i.keyword == "HEALTHCHECK"]
    assert "/_stcore/health" in check.arguments
    assert re.search(r"--interval=\d+s", check.arguments)


def test_no_secret_is_a_build_argument_or_baked_into_a_layer() -> None:
    for instruction in found:
        if instruction.keyword in {"ARG", "ENV", "LABEL"}:
            names = re.findall(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*=", instruction.arguments)
            names = names or [instruction.arguments.split()[0]]
            for name in names:
                assert not SECRET_NAME.search(name), f"{instruction.keyword} {name}"
        if instruction.keyword == "RUN":
            assert not SECRET_NAME.search(instruction.arguments), instruction.arguments
        for source in copy_sources(instruction) if instruction.keyword in {"COPY", "ADD"} else []:
            assert source not in {".", "./"}, "copy named paths, never the whole context"
            assert "secrets.toml" not in source
            assert ".env" not in source
    lines = DOCKERFILE.read_text(encoding="utf-8").splitlines()
    assert list(find_credentials(lines)) == []


def test_the_ignore_file_keeps_secrets_git_and_environments_out() -> None:
    rules = ignore_rules(DOCKERIGNORE)
    for path in MUST_STAY_OUT:
        assert ignored(path, rules), f".dockerignore lets {path} into the build context"


def test_everything_the_dockerfile_copies_is_in_the_build_context() -> None:
    rules = ignore_rules(DOCKERIGNORE)
    for instruction in found:
        if instruction.keyword in {"COPY", "ADD"}:
            for source in copy_sources(instruction):
                assert (REPO_ROOT / source).exists(), source
                assert not ignored(source.rstrip("/"), rules), f"{source} is docker-ignored"


# --- The container's own commands, run here the way the image runs them -------------------


def exec_form(keyword: str) -> list[str]:
    (instruction,) = [i for i in final if i.keyword == keyword]
    arguments = instruction.arguments
    if keyword == "HEALTHCHECK":
        arguments = arguments[arguments.index("CMD") + len("CMD") :]
    command = Instruction(keyword, arguments).exec_form()
    assert command is not None, f"{keyword} should use the exec form (a JSON array)"
    return command


def test_the_images_command_serves_and_its_health_check_sees_it(tmp_path: Path) -> None:
    command = exec_form("CMD")
    health = exec_form("HEALTHCHECK")
    assert command[:2] == ["sh", "-c"]
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = clean_env() | {
        "PORT": str(port),
        "HOME": str(tmp_path),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    shutil.copytree(REPO_ROOT / ".streamlit", tmp_path / ".streamlit")
    (tmp_path / ".streamlit" / "secrets.toml").unlink(missing_ok=True)
    health[0] = sys.executable  # the image's `python`
    shell = ["/bin/sh", "-c", command[2]]
    with serving(shell, cwd=tmp_path, env=env, port=port, log_name="cmd.log") as url:
        assert httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok"
        checked = subprocess.run(health, env=env, capture_output=True, timeout=30, check=False)
        assert checked.returncode == 0, checked.stderr
    stopped = subprocess.run(health, env=env, capture_output=True, timeout=30, check=False)
    assert stopped.returncode != 0, "the health check must fail when nothing answers"


# --- Build and run the image, when a container runtime is here -------------------------------


def container_runtime() -> str | None:
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path is None:
            continue
        try:
            answered = subprocess.run([path, "info"], capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if answered.returncode == 0:
            return path
    return None


@pytest.mark.slow
def test_the_image_builds_runs_as_non_root_and_turns_healthy() -> None:
    runtime = container_runtime()
    if runtime is None:
        pytest.skip(
            "no container runtime answers here (`docker info` / `podman info` failed or neither "
            "is installed): the image is not built; the Dockerfile rules above still ran"
        )
    tag = f"trellolens-test:{uuid.uuid4().hex[:12]}"
    subprocess.run([runtime, "build", "-t", tag, str(REPO_ROOT)], check=True, timeout=1800)
    try:
        user = subprocess.run(
            [runtime, "run", "--rm", "--entrypoint", "id", tag, "-u"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert user != "0"
        history = subprocess.run(
            [runtime, "history", "--no-trunc", tag], capture_output=True, text=True, check=True
        ).stdout
        assert not SECRET_NAME.search(history), "a secret name in a layer"
        listing = subprocess.run(
            [runtime, "run", "--rm", "--entrypoint", "sh", tag, "-c", "ls -a /app /app/.streamlit"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "secrets.toml" not in listing
        assert ".git" not in listing
        assert_serves_and_turns_healthy(runtime, tag)
    finally:
        subprocess.run([runtime, "rmi", "-f", tag], capture_output=True, check=False)


def assert_serves_and_turns_healthy(runtime: str, tag: str) -> None:
    """Run the image detached, as a platform would; its HEALTHCHECK must report it healthy."""
    port = free_port()
    started = subprocess.run(
        [runtime, "run", "-d", "--rm", "-p", f"127.0.0.1:{port}:8501", tag],
        capture_output=True,
        text=True,
        check=True,
    )
    container = started.stdout.strip()
    try:
        deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
        status = ""
        while time.monotonic() < deadline and status != "healthy":
            time.sleep(2)
            status = subprocess.run(
                [runtime, "inspect", "--format", "{{.State.Health.Status}}", container],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        assert status == "healthy", f"the container's health check says {status!r}"
        assert httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).text == "ok"
    finally:
        subprocess.run([runtime, "stop", container], capture_output=True, check=False)
