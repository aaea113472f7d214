"""Signing in to Microsoft 365 and Google Workspace mailboxes (OAuth 2.0) for SMTP and IMAP.

Design notes: app/mail/README.md ("Signing in"); registration steps: docs/mail.md.
"""
