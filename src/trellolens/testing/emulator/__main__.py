"""``python -m trellolens.testing.emulator``: serve board exports (or generated boards) over HTTP.

The key, token and API secret it prints when none are given are the emulator's own made-up test
credentials; give the API secret to `trellolens webhooks serve` (``TRELLO_API_SECRET``) so the
webhooks it delivers are accepted.
"""

from __future__ import annotations

import argparse
import secrets
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from trellolens.errors import BoardFormatError
from trellolens.testing.emulator.emulator import TrelloEmulator
from trellolens.testing.emulator.rate_limits import RECORDED_MEMBER_HEADERS, RateLimits
from trellolens.testing.emulator.response_limits import ResponseLimits
from trellolens.testing.emulator.state import BoardSource, TokenSpec, made_up_token
from trellolens.testing.generator import generate_board


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trellolens.testing.emulator",
        description="Serve Trello boards through an emulator of Trello's REST API on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--board", action="append", default=[], metavar="FILE")
    parser.add_argument(
        "--generate",
        action="append",
        default=[],
        metavar="LISTS,CARDS,ACTIONS",
        help="serve a generated board of this size (repeatable)",
    )
    parser.add_argument("--key", help="the API key to accept (default: a generated one)")
    parser.add_argument(
        "--api-secret",
        help="the API secret that signs webhook deliveries and OAuth (default: a generated one, "
        "printed, so `trellolens webhooks serve` can be given it)",
    )
    parser.add_argument(
        "--member-headers",
        choices=("documented", "recorded"),
        default="documented",
        help="what /1/members answers advertise: the documented 100 per 900 s (default), or "
        "the 200 per 10 s real Trello was recorded sending (the window enforced stays 100/900 s)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN[:SCOPES]",
        help="a token to accept, scope read unless e.g. TOKEN:read,write (repeatable)",
    )
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--max-cards",
        type=int,
        metavar="N",
        help="refuse answers with more than N cards (API_TOO_MANY_CARDS_REQUESTED)",
    )
    parser.add_argument(
        "--db-budget",
        type=int,
        metavar="N",
        help="objects a token may be served per 10 s (else API_TOKEN_DB_LIMIT_EXCEEDED)",
    )
    parser.add_argument("--seed", type=int, default=0)
    _oauth2_arguments(parser)
    return parser


def _oauth2_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--oauth2-client",
        action="append",
        default=[],
        metavar="ID:SECRET",
        help="register an OAuth 2.0 client (repeatable)",
    )
    parser.add_argument(
        "--access-token-ttl", type=float, metavar="SECONDS", help="OAuth 2.0 access-token lifetime"
    )
    parser.add_argument(
        "--auth-prefix", default="", metavar="PATH", help="serve /authorize and /oauth/* under PATH"
    )
    parser.add_argument(
        "--oauth2-auto-approve",
        action="store_true",
        help="test only: approve every authorization as the emulator's member, no consent page",
    )


def _configure_oauth2(emulator: TrelloEmulator, args: argparse.Namespace) -> None:
    oauth2 = emulator.oauth2
    for text in args.oauth2_client:
        client_id, _, secret = text.partition(":")
        if not client_id or not secret:
            raise ValueError("--oauth2-client wants ID:SECRET")
        oauth2.register_client(client_id, secret)
    if args.access_token_ttl is not None:
        if args.access_token_ttl <= 0:
            raise ValueError("--access-token-ttl must be a positive number of seconds")
        oauth2.access_token_ttl = args.access_token_ttl
    if args.auth_prefix:
        oauth2.prefix = "/" + args.auth_prefix.strip("/")
    if args.oauth2_auto_approve:
        oauth2.auto_approve_member = emulator.member_id


def _token(text: str) -> TokenSpec:
    value, _, scopes = text.partition(":")
    if not value:
        raise ValueError("--token needs a value, e.g. --token MYTOKEN:read,write")
    return TokenSpec(value, scopes=tuple(scopes.split(",")) if scopes else ("read",))


def _generated(text: str, seed: int) -> BoardSource:
    try:
        lists, cards, actions = (int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(
            f"--generate wants LISTS,CARDS,ACTIONS (e.g. 5,100,800), got {text!r}"
        ) from None
    return generate_board(lists=lists, cards=cards, actions=actions, seed=seed)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        tokens = [_token(text) for text in args.token]
        boards: list[BoardSource] = list(args.board)
        boards += [_generated(text, args.seed + i) for i, text in enumerate(args.generate)]
        key = args.key or secrets.token_hex(16)
        made_up = not tokens
        if made_up:
            tokens = [TokenSpec(made_up_token(), scopes=("read",))]
        limits = ResponseLimits(max_cards=args.max_cards, db_budget=args.db_budget)
        api_secret = args.api_secret or secrets.token_hex(32)
        advertised = RECORDED_MEMBER_HEADERS if args.member_headers == "recorded" else None
        emulator = TrelloEmulator(
            boards,
            key=key,
            tokens=tokens,
            api_secret=api_secret,
            latency_ms=args.latency_ms,
            response_limits=limits,
            rate_limits=RateLimits(member_headers=advertised),
        )
        _configure_oauth2(emulator, args)
    except (BoardFormatError, ValueError) as error:
        print(f"emulator: error: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        serving = emulator.serve(port=args.port)
        base_url = serving.__enter__()
    except OSError as error:
        print(
            f"emulator: error: cannot listen on port {args.port} ({error.strerror})",
            file=sys.stderr,
        )
        return 2
    try:
        if not args.key:
            print(f"key: {key}  (generated test credential of this emulator)")
        if made_up:
            print(f"token: {tokens[0].token}  (generated test credential, scope read)")
        if not args.api_secret:
            print(f"api secret: {api_secret}  (generated test credential: signs webhooks)")
        for board_id in emulator.board_ids:
            print(f"board: {board_id}")
        if emulator.oauth2.clients:
            print(f"auth base URL: {emulator.oauth2.base_url(base_url)}")
        print(f"base URL: {base_url}", flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        serving.__exit__(None, None, None)
    print("emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
