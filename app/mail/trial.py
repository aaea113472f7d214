"""A test email: proves the SMTP settings and password work before any contact is mailed."""

from __future__ import annotations

from datetime import datetime

from app.mail.addresses import Unsendable
from app.mail.compose import Outgoing, new_message_id
from app.mail.letter import prepare
from app.mail.logins import Logins
from app.mail.plan import Plan
from app.mail.smtp import MailServerError, Outcome, SmtpSession

_BODY = (
    "This is a test email from Escapement. Your SMTP settings work.\n\n"
    "Sequence emails will also be BCC'd to your Pendulum address, when one is set; "
    "this test is not, so it leaves no note in Clockwork."
)


def send_test(plan: Plan, logins: Logins, to: str, now: datetime) -> str:
    mail = Outgoing(
        from_name="Escapement",
        from_address=plan.from_address,
        to_name="",
        to_address=to,
        subject="Escapement test email",
        body=_BODY,
        message_id=new_message_id(plan.from_address),
        date=now,
    )
    login = logins.login(plan.smtp, plan.oauth, plan.oauth_state)
    with SmtpSession(plan.smtp, login) as smtp:
        try:
            letter = prepare(mail, None, smtputf8=smtp.smtputf8, host=plan.smtp.host)
        except Unsendable as exc:
            raise MailServerError(f"The test email was not sent: {exc.reason}") from None
        result = smtp.send(letter)
    if result.outcome != Outcome.SENT:
        raise MailServerError(f"The test email was not sent: {result.detail}")
    return to
