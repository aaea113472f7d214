"""The one module of public types the GUI takes from the core, besides the Workspace.

`ui/` imports `app.workspace` (the façade) and this module, nothing else from `app/`
(tests/test_architecture.py holds the line). What a pane needs to know about the core's
values, limits and refusals is named here once; the modules that define them stay free to
move.
"""

from __future__ import annotations

from app.clockwork.rules import person_url
from app.connection import ConnectionState, ConnectionStatus
from app.csvimport import FIELDS as CSV_FIELDS
from app.csvimport import ParsedCsv, normalise_email
from app.demo import SandboxDemo
from app.domain import (
    AddToSequenceReport,
    ClockworkSettingsView,
    ContactCount,
    ContactFilter,
    ContactInput,
    ContactProgress,
    ContactRow,
    ContactSort,
    ContactSyncState,
    EnrollmentStatus,
    ImportReport,
    IntegrationKind,
    Role,
    SequenceInfo,
    SyncMode,
)
from app.errors import DamagedStore, EscapementError, InputError, SecretStoreUnavailable
from app.event_types import (
    ClockworkReachability,
    ConnectionChanged,
    ContactsChanged,
    MailAccountChanged,
    MailFailed,
    MailRun,
    Payload,
    SequencesChanged,
    SettingsChanged,
    SyncProgress,
    SyncStateChanged,
    TeamChanged,
    payload,
)
from app.events import SYNC_PROGRESS, Event, EventBus
from app.mail.failures import SendFailure
from app.mail.hygiene_facade import HygieneView, SequenceHygiene
from app.mail.oauth.account import MailAccountView
from app.mail.oauth.flows import DeviceCode
from app.mail.oauth.signin_facade import Registration
from app.mail.passwords import ENV as MAIL_PASSWORD_ENV
from app.mail.passwords import Protocol
from app.mail.settings import DEFAULT_PORTS, MAX_DAILY_CAP
from app.mail.steps import MAX_DELAY_DAYS, MAX_SUBJECT
from app.mail.templates import PLACEHOLDERS
from app.mail.types import MailSettingsView, Preview, Security, ServerView, StepInfo, UncertainSend
from app.mail.window import DAYS, parse_window
from app.opening import open_workspace
from app.optout.footer import DEFAULT_FOOTER
from app.projects import ProjectInfo
from app.store.thread_guard import allowed as blocking_allowed
from app.store.thread_guard import guard as guard_thread
from app.store.thread_guard import guarded as thread_guarded
from app.sync.facade import SyncLogRow
from app.sync.resync import JobProgress, ResyncPreview, ResyncScope
from app.team import ClonePlan, Teammate
from app.team.values import shown

__all__ = [
    "CSV_FIELDS",
    "DAYS",
    "DEFAULT_FOOTER",
    "DEFAULT_PORTS",
    "MAIL_PASSWORD_ENV",
    "MAX_DAILY_CAP",
    "MAX_DELAY_DAYS",
    "MAX_SUBJECT",
    "PLACEHOLDERS",
    "SYNC_PROGRESS",
    "AddToSequenceReport",
    "ClockworkReachability",
    "ClockworkSettingsView",
    "ClonePlan",
    "ConnectionChanged",
    "ConnectionState",
    "ConnectionStatus",
    "ContactCount",
    "ContactFilter",
    "ContactInput",
    "ContactProgress",
    "ContactRow",
    "ContactSort",
    "ContactSyncState",
    "ContactsChanged",
    "DamagedStore",
    "DeviceCode",
    "EnrollmentStatus",
    "EscapementError",
    "Event",
    "EventBus",
    "HygieneView",
    "ImportReport",
    "InputError",
    "IntegrationKind",
    "JobProgress",
    "MailAccountChanged",
    "MailAccountView",
    "MailFailed",
    "MailRun",
    "MailSettingsView",
    "ParsedCsv",
    "Payload",
    "Preview",
    "ProjectInfo",
    "Protocol",
    "Registration",
    "ResyncPreview",
    "ResyncScope",
    "Role",
    "SandboxDemo",
    "SecretStoreUnavailable",
    "Security",
    "SendFailure",
    "SequenceHygiene",
    "SequenceInfo",
    "SequencesChanged",
    "ServerView",
    "SettingsChanged",
    "StepInfo",
    "SyncLogRow",
    "SyncMode",
    "SyncProgress",
    "SyncStateChanged",
    "TeamChanged",
    "Teammate",
    "UncertainSend",
    "blocking_allowed",
    "guard_thread",
    "normalise_email",
    "open_workspace",
    "parse_window",
    "payload",
    "person_url",
    "shown",
    "thread_guarded",
]
