"""The Steps tab's sequence-wide parts: the opt-out line under every email, and the banner of
a sequence that paused itself for its bounces, with Resume."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.domain import ContactInput
from app.mail.types import MAIL_RUN, RunReport
from app.optout.footer import DEFAULT_FOOTER, MAX_FOOTER
from app.store.models import Sequence
from app.workspace import Workspace
from tests.ui.sequences.steps.test_tab import open_tab, three_steps, with_two_contacts
from ui.main_window import MainWindow
from ui.sequences.steps.tab import StepsTab

REASON = (
    "Paused: 3 of 20 emails bounced (15%, more than 5%). Check the addresses, then resume "
    "the sequence."
)


def footer_loaded(tab: StepsTab, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: tab.hygiene.loaded)


def preview_text(tab: StepsTab) -> str:
    return tab.preview.body_view.toPlainText()


def set_text(tab: StepsTab, qtbot: QtBot, text: str) -> None:
    edit = tab.hygiene.footer.text_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # editingFinished: saved


def pause(ws: Workspace, seq: int, reason: str | None = REASON) -> None:
    """What the bounce guard does in a mail pass, without the 20 sends."""
    with ws.store.write() as session:
        session.execute(update(Sequence).where(Sequence.id == seq).values(paused_reason=reason))


def test_the_opt_out_line_is_off_by_default_with_its_usual_words(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    tab = open_tab(window, qtbot, three_steps(workspace))
    footer_loaded(tab, qtbot)
    footer = tab.hygiene.footer
    assert footer.isVisibleTo(tab)
    assert not footer.check.isChecked()
    assert footer.text_edit.text() == DEFAULT_FOOTER
    assert not footer.text_edit.isEnabled()  # its words matter only when it is on
    assert footer.check.accessibleName() == "Add an opt-out line"
    assert footer.text_edit.accessibleName() == "Opt-out line"


def test_ticking_the_box_saves_it_and_the_preview_shows_the_line(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq, tab = with_two_contacts(window, workspace, qtbot)
    footer_loaded(tab, qtbot)
    qtbot.waitUntil(lambda: preview_text(tab).startswith("Hi Ama"))
    assert DEFAULT_FOOTER not in preview_text(tab)
    qtbot.mouseClick(tab.hygiene.footer.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.mail.sequence_hygiene(seq).footer_enabled)
    qtbot.waitUntil(lambda: preview_text(tab).endswith("\n\n" + DEFAULT_FOOTER))
    assert tab.hygiene.footer.text_edit.isEnabled()
    qtbot.mouseClick(tab.hygiene.footer.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.mail.sequence_hygiene(seq).footer_enabled)
    qtbot.waitUntil(lambda: DEFAULT_FOOTER not in preview_text(tab))


def test_edited_words_are_saved_and_previewed(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq, tab = with_two_contacts(window, workspace, qtbot)
    footer_loaded(tab, qtbot)
    qtbot.mouseClick(tab.hygiene.footer.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview_text(tab).endswith(DEFAULT_FOOTER))
    set_text(tab, qtbot, "Not for you? Reply 'stop'.")
    qtbot.waitUntil(
        lambda: workspace.mail.sequence_hygiene(seq).footer_text == "Not for you? Reply 'stop'."
    )
    qtbot.waitUntil(lambda: preview_text(tab).endswith("\n\nNot for you? Reply 'stop'."))
    assert tab.hygiene.footer.error_label.isHidden()


def test_words_the_core_refuses_show_under_the_field_and_stay_as_typed(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq, tab = with_two_contacts(window, workspace, qtbot)
    footer_loaded(tab, qtbot)
    qtbot.mouseClick(tab.hygiene.footer.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.mail.sequence_hygiene(seq).footer_enabled)
    too_long = "x" * (MAX_FOOTER + 1)
    set_text(tab, qtbot, too_long)
    error = tab.hygiene.footer.error_label
    qtbot.waitUntil(lambda: error.isVisibleTo(tab))
    assert f"at most {MAX_FOOTER} characters" in error.text()
    assert workspace.mail.sequence_hygiene(seq).footer_text == DEFAULT_FOOTER
    tab.hygiene.reload()  # a later read does not overwrite what the user typed
    qtbot.waitUntil(lambda: tab.hygiene.loaded)
    assert tab.hygiene.footer.text_edit.text() == too_long
    set_text(tab, qtbot, "Reply 'no' to stop.")
    qtbot.waitUntil(lambda: preview_text(tab).endswith("\n\nReply 'no' to stop."))
    assert workspace.mail.sequence_hygiene(seq).footer_text == "Reply 'no' to stop."
    assert error.isHidden()


def test_each_sequence_shows_its_own_line(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    first = three_steps(workspace, "CFO search")
    second = three_steps(workspace, "CTO search")
    workspace.mail.set_footer(second, enabled=True, text="Say stop and I stop.")
    tab = open_tab(window, qtbot, second)
    qtbot.waitUntil(lambda: tab.hygiene.footer.check.isChecked())
    assert tab.hygiene.footer.text_edit.text() == "Say stop and I stop."
    tab = open_tab(window, qtbot, first)
    qtbot.waitUntil(lambda: not tab.hygiene.footer.check.isChecked())
    footer_loaded(tab, qtbot)
    assert tab.hygiene.footer.text_edit.text() == DEFAULT_FOOTER


def test_a_sequence_paused_by_a_mail_pass_shows_why_and_resumes(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    footer_loaded(tab, qtbot)
    banner = tab.hygiene.banner
    assert not banner.isVisibleTo(tab)
    pause(workspace, seq)
    workspace.bus.publish(MAIL_RUN, **RunReport(bounces=3).as_dict())  # the pass that paused it
    qtbot.waitUntil(lambda: banner.isVisibleTo(tab))
    assert banner.reason_label.text() == REASON
    assert banner.resume_button.accessibleName() == "Resume sequence"
    qtbot.mouseClick(banner.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.mail.sequence_hygiene(seq).paused_reason is None)
    qtbot.waitUntil(lambda: not banner.isVisibleTo(tab))


def test_the_banner_follows_changes_to_the_sequence_and_to_the_chosen_one(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    paused = three_steps(workspace, "CFO search")
    sending = three_steps(workspace, "CTO search")
    pause(workspace, paused)
    tab = open_tab(window, qtbot, paused)
    banner = tab.hygiene.banner
    qtbot.waitUntil(lambda: banner.isVisibleTo(tab))
    open_tab(window, qtbot, sending)
    qtbot.waitUntil(lambda: not banner.isVisibleTo(tab))
    open_tab(window, qtbot, paused)
    qtbot.waitUntil(lambda: banner.isVisibleTo(tab))
    workspace.mail.resume_sequence(paused)  # elsewhere (the CLI's twin): the sequence changed
    qtbot.waitUntil(lambda: not banner.isVisibleTo(tab))


def test_the_preview_follows_the_line_by_itself_without_the_sequence_list(
    workspace: Workspace, qtbot: QtBot
) -> None:
    """Saving the line re-renders the preview directly, not only through the pane's reload
    on "sequences changed" (a tab on its own gets no such reload)."""
    seq = three_steps(workspace)
    workspace.add_contacts(seq, [ContactInput("ama@harbour.example.com", first_name="Ama")])
    tab = StepsTab(workspace)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_sequence(next(info for info in workspace.sequences() if info.id == seq))
    qtbot.waitUntil(lambda: preview_text(tab).startswith("Hi Ama"))
    footer_loaded(tab, qtbot)
    qtbot.mouseClick(tab.hygiene.footer.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview_text(tab).endswith("\n\n" + DEFAULT_FOOTER))
