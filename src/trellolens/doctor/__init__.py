"""The doctor: checks of the credentials, secrets files, git, Streamlit settings and the token.

Names load on first use, so the CLI's start-up stays light.
"""

from __future__ import annotations

from trellolens.doctor.check import (
    Check,
    Status,
)
from trellolens.doctor.checks_config import (
    OPTION as ERROR_DETAILS_OPTION,
)
from trellolens.doctor.checks_files import (
    SECRETS_FILE,
    fix_modes,
    mode_check,
    secrets_files,
)
from trellolens.doctor.default_board import (
    DefaultBoardError,
    DefaultBoardPlace,
    locate_default_board,
    write_default_board,
)
from trellolens.doctor.doctor import (
    DoctorReport,
    resolver_for_project,
    run_doctor,
    settings_for_project,
)

__all__ = [
    "ERROR_DETAILS_OPTION",
    "SECRETS_FILE",
    "Check",
    "DefaultBoardError",
    "DefaultBoardPlace",
    "DoctorReport",
    "Status",
    "fix_modes",
    "locate_default_board",
    "mode_check",
    "resolver_for_project",
    "run_doctor",
    "secrets_files",
    "settings_for_project",
    "write_default_board",
]
