"""`mail signin --provider microsoft|google` and `mail signout`.

The browser opens on this machine, or, with --no-browser, the authorization URL is printed
alone on one line of stderr (for a browser elsewhere or a script) while we wait for the
redirect. --device-code (Microsoft only) prints a code to type at microsoft.com/devicelogin.
The client secret Google issues to desktop clients is not confidential (RFC 8252 8.5), but
it still goes to the keyring, not the database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from app.cli.options import open_workspace
from app.mail.oauth.account import MailAccountView
from app.mail.oauth.flows import DeviceCode


def register(actions: Any) -> None:
    signin = actions.add_parser("signin", help="sign in to Microsoft 365 or Google for mail")
    signin.add_argument("--provider", required=True, choices=("microsoft", "google"))
    signin.add_argument("--client-id", help="the app registration's client ID (docs/mail.md)")
    signin.add_argument("--tenant", help="Microsoft: the tenant ID or domain (default: common)")
    signin.add_argument("--client-secret", help="Google: the desktop client's secret")
    signin.add_argument(
        "--no-browser", action="store_true", help="print the sign-in address on stderr instead"
    )
    signin.add_argument(
        "--device-code", action="store_true", help="Microsoft: sign in on another device"
    )
    signin.set_defaults(handler=sign_in)
    signout = actions.add_parser("signout", help="forget the mail sign-in (keyring included)")
    signout.set_defaults(handler=sign_out)


def sign_in(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        mail = ws.mail
        given = {"client_id": args.client_id, "tenant": args.tenant}
        if args.device_code:
            view = asyncio.run(
                mail.sign_in_with_device_code(args.provider, show_code=_show_code, **given)
            )
        else:
            opener = _print_url if args.no_browser else _open_browser
            view = asyncio.run(
                mail.sign_in(
                    args.provider, client_secret=args.client_secret, show_url=opener, **given
                )
            )
    print(_signed_in(view))
    return 0


def sign_out(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        before = ws.mail.account()
        ws.mail.sign_out()
    who = before.account or "nobody"
    print(f"Signed out ({who}); SMTP and IMAP now log in with a password.")
    return 0


def _print_url(url: str) -> None:
    print(url, file=sys.stderr, flush=True)


def _open_browser(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url):
        print("No browser here: open this address to sign in:", file=sys.stderr)
    else:
        print("Opened the browser; if it did not show up, open:", file=sys.stderr)
    print(url, file=sys.stderr, flush=True)


def _show_code(code: DeviceCode) -> None:
    text = code.message or f"Open {code.verification_uri} and enter the code {code.user_code}."
    print(text, file=sys.stderr, flush=True)


def _signed_in(view: MailAccountView) -> str:
    provider = view.provider.value if view.provider else ""
    return f"Signed in to {provider} as {view.account}."
