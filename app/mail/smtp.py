"""Sending over SMTP (stdlib smtplib, run in a worker thread), with each outcome classified
by whether the message can have left: that decides between retrying and asking the user.

We drive MAIL, RCPT and DATA ourselves instead of `sendmail`, because `sendmail` goes ahead
when only some recipients are refused: it would mail the contact without the Pendulum BCC.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType

from app.errors import EscapementError
from app.mail import passwords, tls, utf8_auth
from app.mail.letter import Letter
from app.mail.oauth.xoauth2 import Bearer, check_channel, refused
from app.mail.settings import ServerConfig
from app.mail.types import Security

TIMEOUT_S = 60.0


class Outcome(StrEnum):
    SENT = "sent"
    #: Refused before DATA, or rejected after it with an error reply: nothing left.
    NOT_SENT = "not_sent"
    #: The contact's address was refused for good (5xx at RCPT): as good as a bounce.
    REFUSED = "refused"
    #: The connection failed during DATA: the server may or may not have taken the message.
    UNKNOWN = "unknown"
    #: The message cannot be made or addressed for this contact (see letter.py): not sent.
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    detail: str = ""


class MailServerError(EscapementError):
    title = "Mail server problem"


class SmtpSession:
    """One connection for a batch of messages: `with SmtpSession(cfg, pw) as s: s.send(...)`."""

    def __init__(self, config: ServerConfig, password: str | Bearer | None) -> None:
        self.config = config
        self._password = password
        self._smtp: smtplib.SMTP | None = None
        #: DATA was sent for the message in hand: from then on it may have gone.
        self.data_begun = False

    def __enter__(self) -> SmtpSession:
        self._smtp = _connect(self.config, self._password)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    @property
    def smtputf8(self) -> bool:
        """The server takes UTF-8 addresses (RFC 6531)."""
        return self._smtp is not None and self._smtp.has_extn("smtputf8")

    def send(self, letter: Letter) -> Result:
        smtp = self._smtp
        self.data_begun = False
        if smtp is None:
            return Result(Outcome.NOT_SENT, "not connected")
        try:
            refused = _envelope(smtp, letter)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            return Result(Outcome.NOT_SENT, _describe(exc))
        if refused is not None:
            return refused
        self.data_begun = True
        try:
            smtp.data(letter.data)
        except smtplib.SMTPResponseException as exc:
            # The server answered with an error: it has definitely not accepted the message.
            return Result(Outcome.NOT_SENT, _describe(exc))
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            return Result(Outcome.UNKNOWN, _describe(exc))
        return Result(Outcome.SENT)

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _envelope(smtp: smtplib.SMTP, letter: Letter) -> Result | None:
    """MAIL and RCPT; a Result when the message must not go, None when DATA may follow."""
    sender, contact, bcc = letter.sender, letter.recipient, letter.bcc
    if letter.smtputf8 and not smtp.has_extn("smtputf8"):
        return Result(Outcome.NOT_SENT, "the SMTP server does not offer SMTPUTF8")
    options = ["SMTPUTF8", "BODY=8BITMIME"] if letter.smtputf8 else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        smtp.rset()
        return Result(Outcome.NOT_SENT, f"sender refused: {code} {_text(reply)}")
    for recipient in [contact, *([bcc] if bcc else [])]:
        code, reply = smtp.rcpt(recipient)
        if code in (250, 251):
            continue
        smtp.rset()
        if recipient == contact and 500 <= code < 600:
            return Result(Outcome.REFUSED, f"{code} {_text(reply)}")
        who = "the BCC address" if recipient != contact else recipient
        return Result(Outcome.NOT_SENT, f"{who} refused: {code} {_text(reply)}")
    return None


def _connect(config: ServerConfig, password: str | Bearer | None) -> smtplib.SMTP:
    where = f"{config.host}:{config.port}"
    if isinstance(password, Bearer):
        check_channel(config, MailServerError)
    try:
        smtp = _open(config)
    except ssl.SSLCertVerificationError as exc:
        raise MailServerError(tls.unverified(config, exc), title=tls.UNTRUSTED_TITLE) from None
    except (smtplib.SMTPException, OSError) as exc:
        if isinstance(exc, ssl.SSLError) and tls.is_plain_port(exc):
            raise MailServerError(tls.wrong_mode(config), title=tls.WRONG_MODE_TITLE) from None
        raise MailServerError(
            f"Could not reach the SMTP server {where}: {_describe(exc)}."
        ) from None
    try:
        if isinstance(password, Bearer):
            _xoauth2(smtp, config, password)
        elif config.user:
            if not password:
                raise MailServerError(
                    passwords.missing("smtp", config.user),
                    title="Missing password",
                )
            utf8_auth.smtp_login(smtp, config.host, config.user, password)
    except smtplib.SMTPAuthenticationError:
        smtp.close()
        raise MailServerError(
            f"The SMTP server {where} refused the user name or password.", title="Login refused"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        smtp.close()
        raise MailServerError(f"Could not log in to {where}: {_describe(exc)}.") from None
    except BaseException:
        smtp.close()
        raise
    return smtp


def _xoauth2(smtp: smtplib.SMTP, config: ServerConfig, bearer: Bearer) -> None:
    """A refused token that looked valid gets one fresh token and one more try, then stops."""
    for fresh in (False, True):
        sasl = bearer.sasl(fresh=fresh)
        try:
            # On failure the server sends a JSON challenge; the empty answer ends the exchange.
            smtp.auth("XOAUTH2", lambda challenge=None, sasl=sasl: "" if challenge else sasl)
            return
        except smtplib.SMTPAuthenticationError:
            if fresh:
                raise MailServerError(
                    refused(config, bearer.user), title="Sign-in refused"
                ) from None


def _open(config: ServerConfig) -> smtplib.SMTP:
    if config.security == Security.SSL:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=TIMEOUT_S, context=tls.client_context()
        )
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_S)
    try:
        # Over SSL too: we send MAIL ourselves, and smtplib greets only for login or sendmail.
        smtp.ehlo()
        if config.security == Security.STARTTLS:
            if not smtp.has_extn("starttls"):
                # Never carry on in plain text: the login would expose the password.
                raise MailServerError(tls.no_starttls(config), title=tls.NO_STARTTLS_TITLE)
            smtp.starttls(context=tls.client_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
