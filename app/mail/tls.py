"""TLS for the SMTP and IMAP connections: the one place the client context is made, and what
a recruiter reads when TLS stops a connection.

The context trusts what the computer trusts: the system's CAs, or the file and folder named
by SSL_CERT_FILE and SSL_CERT_DIR, as OpenSSL reads them (a company's own CA goes there).
"""

from __future__ import annotations

import ssl

from app.mail.settings import DEFAULT_PORTS, ServerConfig
from app.mail.types import Security

UNTRUSTED_TITLE = "Server not trusted"
NO_STARTTLS_TITLE = "Encryption not offered"
WRONG_MODE_TITLE = "Wrong security for this port"


def client_context() -> ssl.SSLContext:
    """Verifies the certificate chain and that it names the host we dialled, over TLS 1.2 or
    newer: `create_default_context` does all three; nothing here may loosen them."""
    return ssl.create_default_context()


def unverified(config: ServerConfig, exc: ssl.SSLCertVerificationError) -> str:
    reason = str(exc.verify_message or exc.reason or exc).rstrip(".")
    return (
        f"{config.host}'s certificate could not be verified: {reason}. Escapement does not "
        f"connect to an {config.protocol.upper()} server it cannot verify: check the server "
        "name, or ask your IT team whether this computer should trust that server."
    )


def no_starttls(config: ServerConfig) -> str:
    ssl_port = DEFAULT_PORTS[config.protocol][Security.SSL]
    return (
        f"The {config.protocol.upper()} server {config.host}:{config.port} does not offer "
        "STARTTLS, so Escapement did not log in: the password and emails would have crossed "
        f"the network unencrypted. Choose ssl security (usually port {ssl_port}) or check the "
        "server settings with your email provider."
    )


def is_plain_port(exc: ssl.SSLError) -> bool:
    """SSL was spoken to a port that answered in plain text (a STARTTLS or plain port)."""
    return exc.reason in {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"}


def wrong_mode(config: ServerConfig) -> str:
    usual = DEFAULT_PORTS[config.protocol]
    return (
        f"The {config.protocol.upper()} server {config.host}:{config.port} did not answer "
        f"with SSL: this port probably expects STARTTLS. Choose starttls security (usually "
        f"port {usual[Security.STARTTLS]}), or ssl with port {usual[Security.SSL]}."
    )
