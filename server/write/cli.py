"""`nipa-kg history` and `nipa-kg revert ID`: the history of writes of a running server, and undoing one,
over HTTP (`GET /history`, `POST /history/{id}/revert`). The token of a revert comes from `NIPA_KG_TOKEN`
or `--token-file FILE` (its first pair, or the one `--token-name` names)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import requests

from nipa_kg.core.errors import InputError, NipaKgError
from nipa_kg.server.settings import read_token_file

DEFAULT_URL = "http://127.0.0.1:8000/"
TIMEOUT = 300.0


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "history",
        help="list the writes a running server accepted (JSON)",
        description="List the accepted writes of a running server, oldest first, as JSON.",
    )
    listing.add_argument("--url", default=DEFAULT_URL, help=f"the server (default {DEFAULT_URL})")
    listing.set_defaults(func=cmd_history)
    revert = subparsers.add_parser(
        "revert",
        help="undo one accepted write of a running server (itself a validated, recorded write)",
        description="Undo one accepted write: its inverse change, validated and recorded like any write. "
        "The token comes from NIPA_KG_TOKEN or --token-file.",
    )
    revert.add_argument("id", metavar="ID", help="the write's id, as `nipa-kg history` lists it")
    revert.add_argument("--url", default=DEFAULT_URL, help=f"the server (default {DEFAULT_URL})")
    revert.add_argument("--token-file", type=Path, metavar="FILE", help="'name token' lines (first one used)")
    revert.add_argument("--token-name", metavar="NAME", help="which token of --token-file to use")
    revert.set_defaults(func=cmd_revert)


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + path


def _answer(response: requests.Response) -> int:
    if response.ok:
        sys.stdout.write(response.text if response.text.endswith("\n") else response.text + "\n")
        return 0
    print(f"nipa-kg: the server answered {response.status_code}: {response.text.strip()}", file=sys.stderr)
    return 1


def cmd_history(args: argparse.Namespace, _build_settings: object) -> int:
    try:
        response = requests.get(
            _url(args.url, "/history"), headers={"Accept": "application/json"}, timeout=TIMEOUT
        )
    except requests.RequestException as exc:
        raise NipaKgError(f"cannot reach {args.url}: {exc}") from exc
    if response.ok:
        json.loads(response.text)  # it is JSON
    return _answer(response)


def token(args: argparse.Namespace) -> str:
    if args.token_file is not None:
        pairs = dict(read_token_file(args.token_file))
        name = args.token_name or next(iter(pairs))
        if name not in pairs:
            raise InputError(f"no token named {name!r}", args.token_file)
        return pairs[name]
    if os.environ.get("NIPA_KG_TOKEN"):
        return os.environ["NIPA_KG_TOKEN"].strip()
    raise InputError("a revert needs a token: NIPA_KG_TOKEN or --token-file FILE")


def cmd_revert(args: argparse.Namespace, _build_settings: object) -> int:
    headers = {"Authorization": f"Bearer {token(args)}", "Accept": "application/json"}
    try:
        response = requests.post(
            _url(args.url, f"/history/{args.id}/revert"), headers=headers, timeout=TIMEOUT
        )
    except requests.RequestException as exc:
        raise NipaKgError(f"cannot reach {args.url}: {exc}") from exc
    return _answer(response)
