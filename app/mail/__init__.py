"""Sequence email: sending due steps over SMTP (BCC'ing the Pendulum address), reading replies
and bounces over IMAP, and recording each as activity for the Clockwork sync.

`facade.MailFacade` is the entry point; the Workspace exposes it as `workspace.mail`.
"""
