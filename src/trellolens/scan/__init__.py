"""Find Trello credentials in files, staged changes and git history (``trellolens scan``).

Names load on first use: ``trellolens scan`` pays for httpx only when it verifies a token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "ALLOWLIST_FILE": ("trellolens.scan.allowlist", "DEFAULT_NAME"),
    "Allowlist": ("trellolens.scan.allowlist", "Allowlist"),
    "Finding": ("trellolens.scan.findings", "Finding"),
    "Match": ("trellolens.scan.patterns", "Match"),
    "ScanError": ("trellolens.errors", "ScanError"),
    "ScanRequest": ("trellolens.scan.scanner", "ScanRequest"),
    "ScanResult": ("trellolens.scan.scanner", "ScanResult"),
    "find_credentials": ("trellolens.scan.patterns", "find_credentials"),
    "is_placeholder": ("trellolens.scan.patterns", "is_placeholder"),
    "is_secrets_file": ("trellolens.scan.findings", "is_secrets_file"),
    "load_allowlist": ("trellolens.scan.allowlist", "load_allowlist"),
    "save_allowlist": ("trellolens.scan.allowlist", "save_allowlist"),
    "scan": ("trellolens.scan.scanner", "scan"),
    "tracked_files": ("trellolens.scan.git_sources", "tracked_files"),
    "verify_findings": ("trellolens.scan.verify", "verify_findings"),
}
"""Each public name: the module it lives in and its name there."""

__all__ = [
    "ALLOWLIST_FILE",
    "Allowlist",
    "Finding",
    "Match",
    "ScanError",
    "ScanRequest",
    "ScanResult",
    "find_credentials",
    "is_placeholder",
    "is_secrets_file",
    "load_allowlist",
    "save_allowlist",
    "scan",
    "tracked_files",
    "verify_findings",
]

if TYPE_CHECKING:
    from trellolens.errors import (
        ScanError,
    )
    from trellolens.scan.allowlist import (
        DEFAULT_NAME as ALLOWLIST_FILE,
    )
    from trellolens.scan.allowlist import (
        Allowlist,
        load_allowlist,
        save_allowlist,
    )
    from trellolens.scan.findings import (
        Finding,
        is_secrets_file,
    )
    from trellolens.scan.git_sources import (
        tracked_files,
    )
    from trellolens.scan.patterns import (
        Match,
        find_credentials,
        is_placeholder,
    )
    from trellolens.scan.scanner import (
        ScanRequest,
        ScanResult,
        scan,
    )
    from trellolens.scan.verify import (
        verify_findings,
    )


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
