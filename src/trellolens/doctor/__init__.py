"""The doctor: checks of the credentials, secrets files, git, Streamlit settings and the token.

Names load on first use, so the CLI's start-up stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "Check": ("trellolens.doctor.check", "Check"),
    "DoctorReport": ("trellolens.doctor.doctor", "DoctorReport"),
    "ERROR_DETAILS_OPTION": ("trellolens.doctor.checks_config", "OPTION"),
    "SECRETS_FILE": ("trellolens.doctor.checks_files", "SECRETS_FILE"),
    "Status": ("trellolens.doctor.check", "Status"),
    "fix_modes": ("trellolens.doctor.checks_files", "fix_modes"),
    "mode_check": ("trellolens.doctor.checks_files", "mode_check"),
    "resolver_for_project": ("trellolens.doctor.doctor", "resolver_for_project"),
    "run_doctor": ("trellolens.doctor.doctor", "run_doctor"),
    "secrets_files": ("trellolens.doctor.checks_files", "secrets_files"),
}
"""Each public name: the module it lives in and its name there."""

__all__ = [
    "ERROR_DETAILS_OPTION",
    "SECRETS_FILE",
    "Check",
    "DoctorReport",
    "Status",
    "fix_modes",
    "mode_check",
    "resolver_for_project",
    "run_doctor",
    "secrets_files",
]

if TYPE_CHECKING:
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
    from trellolens.doctor.doctor import (
        DoctorReport,
        resolver_for_project,
        run_doctor,
    )


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
