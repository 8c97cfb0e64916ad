"""Where the deploy guides write or mount files, the image has a folder the app may use.

The final stage is modelled from the Dockerfile (tests/deploy/image_layout.py); the image's
command runs here as the container runs it; and, marked slow, the image's Python layer is built in
a temporary root by the Dockerfile's own RUN steps, from the hash-checked requirements/*.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path, PurePosixPath

import httpx
import pytest
import yaml

from tests.deploy.dockerfile import Instruction, final_stage, instructions
from tests.deploy.image_layout import Layout, final_layout
from tests.helpers.paths import REPO_ROOT
from tests.helpers.servers import clean_env, free_port, serving

DOCKERFILE = REPO_ROOT / "Dockerfile"
APP_USER = "app"
AUTH_TOML = '[auth]\nredirect_uri = "http://localhost/oauth2callback"\ncookie_secret = "canary"\n'

found = instructions(DOCKERFILE)
final = final_stage(found)
build = found[: len(found) - len(final)]


def layout() -> Layout:
    return final_layout(final)


def written_by_the_guides() -> set[str]:
    """Absolute paths in the image that a deploy guide or manifest writes a file to."""
    paths: set[str] = set()
    for guide in sorted((REPO_ROOT / "docs").glob("deploy-*.md")):
        text = guide.read_text(encoding="utf-8")
        paths.update(re.findall(r">\s*(/home/app/[\w./-]+)", text))
    return paths


def mounted_by_the_manifests() -> set[str]:
    paths: set[str] = set()
    for manifest in (REPO_ROOT / "deploy" / "kubernetes").rglob("*.yaml"):
        text = manifest.read_text(encoding="utf-8")
        paths.update(re.findall(r"mountPath:\s*(\S+)", text))
    return paths


def image_command() -> str:
    (cmd,) = [i for i in final if i.keyword == "CMD"]
    command = cmd.exec_form()
    assert command is not None
    assert command[:2] == ["sh", "-c"]
    return command[2]


def test_the_guides_write_secrets_toml_into_a_folder_the_app_owns() -> None:
    image = layout()
    written = written_by_the_guides()
    assert "/home/app/.streamlit/secrets.toml" in written  # docs/deploy-aws.md
    for path in written:
        folder = str(Path(path).parent)
        assert image.has(folder), f"the guides write {path}, but the image has no {folder}"
        assert image.owner(folder) == APP_USER, f"{folder} must be the app user's"
    entry = image.entries[PurePosixPath("/home/app/.streamlit")]
    assert entry.mode == 0o700


def test_the_app_runs_as_the_user_that_owns_its_home() -> None:
    image = layout()
    assert image.env["HOME"] == "/home/app"
    assert image.owner("/home/app") == APP_USER
    assert image.user.split(":")[0] in {APP_USER, "10001"}


def test_mounts_land_beside_the_images_own_config() -> None:
    image = layout()
    mounts = mounted_by_the_manifests()
    assert "/home/app/.streamlit" in mounts
    for mount in mounts:
        assert image.has(str(Path(mount).parent)), mount
    assert image.has("/app/.streamlit/config.toml")  # not hidden by the secrets mount
    assert image.owner("/app/.streamlit/config.toml") == "root"
    assert image.has("/app/streamlit_app.py")


def test_the_layout_model_refuses_a_step_it_does_not_know() -> None:
    with pytest.raises(AssertionError, match="curl"):
        final_layout([Instruction("RUN", "curl -o /x https://example.invalid")])


def test_the_command_writes_the_login_table_privately_then_serves(tmp_path: Path) -> None:
    """The login routes (docker run, ECS, App Runner, Heroku's container): [auth] arrives as
    STREAMLIT_AUTH_TOML and the image's command makes it ~/.streamlit/secrets.toml, mode 0600."""
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True, mode=0o700)
    app = tmp_path / "app"
    shutil.copytree(REPO_ROOT / ".streamlit", app / ".streamlit")
    (app / ".streamlit" / "secrets.toml").unlink(missing_ok=True)
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = clean_env() | {
        "PORT": str(port),
        "HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "STREAMLIT_AUTH_TOML": AUTH_TOML,
        "TRELLOLENS_ACCESS": "login",
        "TRELLOLENS_ALLOWED_EMAILS": "you@example.com",
    }
    shell = ["/bin/sh", "-c", image_command()]
    with serving(shell, cwd=app, env=env, port=port, log_name="cmd.log") as url:
        assert httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok"
    written = home / ".streamlit" / "secrets.toml"
    assert written.read_text(encoding="utf-8").strip() == AUTH_TOML.strip()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    log = (app / "cmd.log").read_text(encoding="utf-8")
    assert "canary" not in log


def test_the_command_stops_when_it_cannot_write_the_login_table(tmp_path: Path) -> None:
    env = clean_env() | {"HOME": str(tmp_path / "missing"), "STREAMLIT_AUTH_TOML": AUTH_TOML}
    ran = subprocess.run(
        ["/bin/sh", "-c", image_command()], env=env, capture_output=True, timeout=60, check=False
    )
    assert ran.returncode != 0


def in_root(command: str, root: Path) -> str:
    """A RUN command with the image's absolute build paths moved under ``root``."""
    return re.sub(r"(?<![\w./-])/(opt|wheels|src)(?=[/\s]|$)", f"{root}/\\1", command)


@pytest.mark.slow
@pytest.mark.timeout(1800)  # pip installs every runtime package
def test_the_images_python_layer_builds_from_the_locked_requirements(tmp_path: Path) -> None:
    """The build stage's RUN steps, in order, under a temporary root; then the final command."""
    root = tmp_path / "image"
    workdir = root
    for instruction in build:
        if instruction.keyword == "WORKDIR":
            workdir = root / instruction.arguments.strip().lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif instruction.keyword == "COPY":
            *sources, destination = instruction.arguments.split()
            target = workdir / destination
            for source in sources:
                copied = target / Path(source).name if destination.endswith("/") else target
                copied.parent.mkdir(parents=True, exist_ok=True)
                if (REPO_ROOT / source).is_dir():
                    shutil.copytree(REPO_ROOT / source, copied, dirs_exist_ok=True)
                else:
                    shutil.copy2(REPO_ROOT / source, copied)
        elif instruction.keyword == "RUN":
            command = in_root(instruction.arguments, root)
            subprocess.run(["/bin/sh", "-c", command], cwd=workdir, check=True, timeout=1500)
    venv_bin = root / "opt" / "venv" / "bin"
    version = subprocess.run(
        [str(venv_bin / "trellolens"), "--version"], capture_output=True, text=True, check=True
    )
    assert "trellolens" in version.stdout
    probe = "import boto3, trellolens.ui.app as a; print(a.PAGE_ICON.is_file())"
    shown = subprocess.run(
        [str(venv_bin / "python"), "-c", probe], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "True"
    home = root / "home" / "app"
    (home / ".streamlit").mkdir(parents=True, mode=0o700)
    app = root / "app"
    (app / ".streamlit").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "streamlit_app.py", app)
    shutil.copy2(REPO_ROOT / ".streamlit" / "config.toml", app / ".streamlit")
    port = free_port()
    env = clean_env() | {
        "PORT": str(port),
        "HOME": str(home),
        "PATH": f"{venv_bin}{os.pathsep}/usr/bin:/bin",
        "STREAMLIT_AUTH_TOML": AUTH_TOML,
    }
    with serving(["/bin/sh", "-c", image_command()], cwd=app, env=env, port=port) as url:
        assert httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok"
    assert (home / ".streamlit" / "secrets.toml").read_text(
        encoding="utf-8"
    ).strip() == AUTH_TOML.strip()


def test_the_manifests_parse() -> None:
    for manifest in (REPO_ROOT / "deploy" / "kubernetes").rglob("*.yaml"):
        assert list(yaml.safe_load_all(manifest.read_text(encoding="utf-8")))


def test_heroku_builds_this_image_and_runs_its_own_command() -> None:
    """docs/deploy-heroku.md: the container stack, so the image's command (which serves at $PORT
    and writes STREAMLIT_AUTH_TOML) is what runs; a `run:` section would replace it."""
    config = yaml.safe_load((REPO_ROOT / "heroku.yml").read_text(encoding="utf-8"))
    assert config["build"]["docker"]["web"] == "Dockerfile"
    assert "run" not in config
    assert '"$PORT"' in image_command()
