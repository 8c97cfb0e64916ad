"""The top-level group: version, help, and the streamlit arguments `trellolens run` builds."""

from __future__ import annotations

from importlib.metadata import version

from click.testing import CliRunner

from trellolens import __version__
from trellolens.cli.errors import OneLineError
from trellolens.cli.main import cli
from trellolens.cli.run_command import DEFAULT_ADDRESS, app_script, streamlit_argv


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"trellolens, version {__version__}"
    assert __version__ == version("trellolens")


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0
    assert "run" in result.stdout
    assert "board" in result.stdout


def test_run_help_does_not_start_streamlit() -> None:
    result = CliRunner().invoke(cli, ["run", "--help"])
    assert result.exit_code == 0
    assert "Start the dashboard" in result.stdout
    assert "loopback" in result.stdout


def test_board_summary_help() -> None:
    result = CliRunner().invoke(cli, ["board", "summary", "--help"])
    assert result.exit_code == 0
    assert "--json" in result.stdout


def _option(argv: list[str], name: str) -> list[str]:
    """Every value given to ``name`` (as ``name value`` or ``name=value``)."""
    values = [argv[i + 1] for i, arg in enumerate(argv) if arg == name]
    return values + [arg.split("=", 1)[1] for arg in argv if arg.startswith(f"{name}=")]


def test_streamlit_argv_defaults_to_loopback() -> None:
    argv = streamlit_argv((), environ={})
    assert argv[:3] == ["streamlit", "run", str(app_script())]
    assert DEFAULT_ADDRESS == "127.0.0.1"
    assert _option(argv, "--server.address") == ["127.0.0.1"]
    assert _option(argv, "--server.port") == ["8501"]
    assert _option(argv, "--browser.gatherUsageStats") == ["false"]


def test_streamlit_argv_respects_user_overrides() -> None:
    argv = streamlit_argv(("--server.address", "192.0.2.10", "--server.port=8600"), environ={})
    assert _option(argv, "--server.address") == ["192.0.2.10"]
    assert _option(argv, "--server.port") == ["8600"]
    assert _option(argv, "--browser.gatherUsageStats") == ["false"]
    argv = streamlit_argv(("--browser.gatherUsageStats", "true"), environ={})
    assert _option(argv, "--browser.gatherUsageStats") == ["true"]
    assert _option(argv, "--server.address") == ["127.0.0.1"]


def test_streamlit_argv_passes_extra_arguments_through_in_order() -> None:
    extra = ("--theme.base", "dark", "--logger.level=debug")
    argv = streamlit_argv(extra, environ={})
    assert tuple(argv[-len(extra) :]) == extra
    assert _option(argv, "--server.address") == ["127.0.0.1"]


def test_streamlit_argv_respects_streamlit_environment_variables() -> None:
    argv = streamlit_argv(
        (), environ={"STREAMLIT_SERVER_ADDRESS": "192.0.2.10", "STREAMLIT_SERVER_PORT": "80"}
    )
    assert _option(argv, "--server.address") == []
    assert _option(argv, "--server.port") == []
    assert _option(argv, "--browser.gatherUsageStats") == ["false"]


def test_one_line_error_flattens_line_breaks() -> None:
    error = OneLineError("first\nsecond")
    assert error.format_message() == "first second"
    assert error.exit_code == 2
