"""Find Trello credentials in files, staged changes and git history (``trellolens scan``).

Names load on first use: ``trellolens scan`` pays for httpx only when it verifies a token.
"""

from __future__ import annotations

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
