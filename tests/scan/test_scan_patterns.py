"""The context rule and the diff parser, line by line."""

from __future__ import annotations

import pytest

from tests.scan.scan_support import KEY, LEGACY_TOKEN, SECRET, TOKEN
from trellolens.credentials import Secret
from trellolens.scan.findings import Finding, is_secrets_file
from trellolens.scan.git_sources import parse_diff
from trellolens.scan.patterns import find_credentials, is_placeholder


def kinds(*lines: str) -> list[tuple[int, str]]:
    return [(m.index, m.kind) for m in find_credentials(lines)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'TRELLO_API_KEY = "{KEY}"', "api-key"),
        (f"key={KEY}", "api-key"),
        (f'"apiKey": "{KEY}"', "api-key"),
        (f"config.developer_public_key = '{KEY}'", "api-key"),
        (f"TRELLO_TOKEN={LEGACY_TOKEN}", "legacy-token"),
        (f"api_secret: {SECRET}", "api-secret"),
        (f"curl 'https://api.trello.com/1/tokens/{LEGACY_TOKEN}'", "legacy-token"),
        (f"curl 'https://api.trello.com/1/members/me?key={KEY}'", "api-key"),
        (f"see {TOKEN} here", "token"),
    ],
)
def test_credentials_by_name(line: str, expected: str) -> None:
    assert kinds(line) == [(0, expected)]


@pytest.mark.parametrize(
    "line",
    [
        f'cache_key = "{KEY}"',
        f'etag = "{KEY}"',
        f'request_id = "{KEY}"',
        f'{{file = "py_trello-0.20.1.tar.gz", hash = "sha256:{LEGACY_TOKEN}"}}',
        f"{LEGACY_TOKEN}  trello-export.json",
        f"image: trello-bot@sha256:{LEGACY_TOKEN}",
        f"https://trello-attachments.s3.amazonaws.com/5a/{KEY}/Report.xlsx",
        f"https://trello.com/b/x/board?utm_source={KEY}",
        f"MAILGUN_API_KEY=key-{KEY}",
        f"MAILCHIMP_API_KEY={KEY}-us6",
        f"DIGITALOCEAN_TOKEN=dop_v1_{LEGACY_TOKEN}",
        f"value = '{KEY}'",
        'TRELLO_API_KEY = "' + "0123456789abcdef" * 2 + '"',
        "ATTACHMENT " + TOKEN[4:],
        "x" + TOKEN,
    ],
)
def test_look_alikes_are_not_credentials(line: str) -> None:
    assert kinds(line) == []


def test_an_opening_trello_line_names_the_values_below() -> None:
    assert kinds("trello:", f"  value: {KEY}") == [(1, "api-key")]
    assert kinds("const trello = new Trello(", f'  "{KEY}",', f'  "{LEGACY_TOKEN}"') == [
        (1, "api-key"),
        (2, "legacy-token"),
    ]
    assert kinds("# trello exports", f"{KEY}  a.json") == []
    assert kinds("checksums of trello exports:", f"{KEY}  a.json") == []


def test_placeholders() -> None:
    assert is_placeholder("0" * 32)
    assert is_placeholder("ab" * 16)
    assert is_placeholder("0123456789abcdef" * 4)
    assert not is_placeholder(KEY)
    assert not is_placeholder(LEGACY_TOKEN)


def test_secrets_file_names() -> None:
    assert is_secrets_file(".streamlit/secrets.toml")
    assert is_secrets_file("app/.streamlit/secrets.toml")
    assert is_secrets_file(".env")
    assert is_secrets_file("deploy/.env.production")
    assert not is_secrets_file(".env.example")
    assert not is_secrets_file("secrets.toml")
    assert not is_secrets_file(".streamlit/secrets.toml.example")
    assert not is_secrets_file("prod.env")


def test_diff_parser_counts_lines_so_plus_plus_text_is_content() -> None:
    diff = [
        "\x00commit " + "a" * 40,
        "diff --git a/x.txt b/x.txt",
        "--- a/x.txt",
        "+++ b/x.txt",
        "@@ -1,2 +10,3 @@ context",
        " same",
        "-old",
        "+++ not a header",
        "+new",
        "diff --git a/y.txt b/y.txt",
        "deleted file mode 100644",
        "--- a/y.txt",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-gone",
    ]
    [hunk] = list(parse_diff(iter(diff)))
    assert (hunk.path, hunk.commit, hunk.first_line) == ("x.txt", "a" * 40, 10)
    assert hunk.lines == ["same", "++ not a header", "new"]
    assert hunk.added == {1, 2}


def test_finding_never_shows_its_value() -> None:
    finding = Finding("token", "a.py", 3, Secret(TOKEN))
    shown = repr(finding) + str(finding) + finding.describe() + str(finding.to_json())
    assert TOKEN not in shown
    assert TOKEN[:5] not in shown
    assert finding.preview == "ATTA..."
