"""A sequence's Steps tab: editing steps, saving them to the store, and the live preview."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.domain import ContactInput
from app.mail.types import StepInfo
from app.store.models import Enrollment
from app.workspace import Workspace
from ui.main_window import MainWindow
from ui.sequences.steps.tab import StepsTab

FIRST = "{first_name}, a CFO role at Northwind"
FIRST_BODY = "Hi {first_name|there},\n\nWould {company} let you go?\n\nRita"


def three_steps(ws: Workspace, name: str = "CFO search") -> int:
    seq = ws.create_sequence(name).id
    ws.mail.add_step(seq, subject=FIRST, body=FIRST_BODY)
    ws.mail.add_step(seq, subject="", body="Hi {first_name}, any thoughts?", delay_days=3)
    ws.mail.add_step(
        seq,
        subject="Closing the loop",
        body="Last note, {first_name}.",
        delay_days=5,
        same_thread=False,
    )
    return seq


def contacts(ws: Workspace, seq: int) -> None:
    ws.add_contacts(
        seq,
        [
            ContactInput("ama@harbour.example.com", first_name="Ama", last_name="Owusu"),
            ContactInput("dan@quillon.example.com", "Daniel", "Reyes", "CFO", "Quillon Foods"),
        ],
    )


def open_tab(window: MainWindow, qtbot: QtBot, seq: int) -> StepsTab:
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: pane.current_sequence_id() is not None)
    qtbot.waitUntil(lambda: pane.select_sequence(seq))
    tab = pane.open_steps()
    assert tab.info is not None
    assert tab.info.id == seq
    qtbot.waitUntil(lambda: tab.loaded)  # the steps are read off the GUI thread
    return tab


def with_two_contacts(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> tuple[int, StepsTab]:
    """Three steps and two contacts, the Steps tab open and its preview's contacts loaded."""
    seq = three_steps(workspace)
    contacts(workspace, seq)
    tab = open_tab(window, qtbot, seq)
    qtbot.waitUntil(lambda: tab.preview.contact_combo.count() == 2)
    return seq, tab


def rows(tab: StepsTab) -> list[str]:
    return [tab.step_list.item(i).text() for i in range(tab.step_list.count())]


def choose(tab: StepsTab, row: int) -> None:
    tab.step_list.setCurrentRow(row)


def type_into_body(tab: StepsTab, qtbot: QtBot, text: str) -> None:
    tab.editor.body_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(tab.editor.body_edit, text)


def confirm(tab: StepsTab, qtbot: QtBot, action: str) -> None:
    box = tab.dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    yes = next(b for b in box.buttons() if b.text() == action)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None)


def test_steps_is_a_tab_between_contacts_and_syncing(window: MainWindow) -> None:
    assert window.sequences_pane.tab_names == ["Contacts", "Steps", "Syncing"]


def test_the_steps_are_listed_with_their_timing(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    tab = open_tab(window, qtbot, three_steps(workspace))
    assert rows(tab) == [
        "Step 1 · Day 0\n" + FIRST,
        "Step 2 · +3 days\nRe: same thread",
        "Step 3 · +5 days\nClosing the loop",
    ]
    assert tab.stack.currentIndex() == 1
    assert tab.editor.subject_edit.text() == FIRST
    assert tab.editor.body_edit.toPlainText() == FIRST_BODY
    assert not tab.editor.thread_box.isVisibleTo(tab)  # step 1 starts the thread
    assert not tab.editor.save_button.isEnabled()
    assert not tab.editor.revert_button.isEnabled()
    choose(tab, 2)
    assert tab.editor.delay_spin.value() == 5
    assert tab.editor.delay_spin.text() == "Wait 5 days"
    assert tab.editor.delay_hint.text() == "after step 2"
    assert tab.editor.thread_box.isVisibleTo(tab)
    assert not tab.editor.thread_box.isChecked()


def test_an_empty_sequence_offers_its_first_step(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("Board chair").id
    tab = open_tab(window, qtbot, seq)
    assert tab.stack.currentIndex() == 0
    assert tab.first_button.isVisible()
    qtbot.mouseClick(tab.first_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentIndex() == 1
    assert rows(tab) == ["• Step 1 · Day 0\nNo subject yet"]
    assert tab.editor.save_button.isEnabled()  # a new step is an unsaved change
    qtbot.keyClicks(tab.editor.subject_edit, "A chair role")
    type_into_body(tab, qtbot, "Hi {first_name}")
    assert rows(tab) == ["• Step 1 · Day 0\nA chair role"]
    assert workspace.mail.steps(seq) == []
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(workspace.mail.steps(seq)) == 1)
    assert workspace.mail.steps(seq) == [StepInfo(0, "A chair role", "Hi {first_name}", 0, True)]
    qtbot.waitUntil(lambda: rows(tab) == ["Step 1 · Day 0\nA chair role"])
    assert not tab.editor.save_button.isEnabled()
    assert "new" not in tab.editor.heading.text()


def test_an_edit_is_saved_to_the_store(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    choose(tab, 1)
    editor = tab.editor
    type_into_body(tab, qtbot, " Rita")
    editor.delay_spin.setValue(4)
    editor.thread_box.setChecked(False)
    qtbot.keyClicks(editor.subject_edit, "  A new thread ")
    assert editor.save_button.isEnabled()
    assert editor.revert_button.isEnabled()
    assert rows(tab)[1] == "• Step 2 · +4 days\nA new thread"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.mail.steps(seq)[1].same_thread)
    assert workspace.mail.steps(seq)[1] == StepInfo(
        1, "A new thread", "Hi {first_name}, any thoughts? Rita", 4, False
    )
    qtbot.waitUntil(lambda: rows(tab)[1] == "Step 2 · +4 days\nA new thread")
    assert not editor.save_button.isEnabled()
    assert not editor.revert_button.isEnabled()
    assert editor.subject_edit.text() == "A new thread"  # as saved


def test_revert_goes_back_to_the_saved_step(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    type_into_body(tab, qtbot, " PS")
    qtbot.mouseClick(tab.editor.revert_button, Qt.MouseButton.LeftButton)
    assert tab.editor.body_edit.toPlainText() == FIRST_BODY
    assert not tab.editor.save_button.isEnabled()
    assert rows(tab)[0] == "Step 1 · Day 0\n" + FIRST
    assert workspace.mail.steps(seq)[0].body == FIRST_BODY


def test_typing_back_the_saved_text_is_no_change(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    tab = open_tab(window, qtbot, three_steps(workspace))
    type_into_body(tab, qtbot, "!")
    assert tab.editor.save_button.isEnabled()
    qtbot.keyClick(tab.editor.body_edit, Qt.Key.Key_Backspace)
    assert not tab.editor.save_button.isEnabled()
    assert not rows(tab)[0].startswith("•")


def test_switching_step_or_sequence_keeps_the_draft(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    other = workspace.create_sequence("Other search").id
    tab = open_tab(window, qtbot, seq)
    type_into_body(tab, qtbot, " PS: still keen?")
    choose(tab, 1)
    assert tab.editor.body_edit.toPlainText() == "Hi {first_name}, any thoughts?"
    assert not tab.editor.save_button.isEnabled()
    assert rows(tab)[0].startswith("• Step 1")  # marked unsaved
    assert tab.step_list.item(0).font().italic()
    open_tab(window, qtbot, other)
    assert tab.stack.currentIndex() == 0
    open_tab(window, qtbot, seq)
    assert tab.step_list.currentRow() == 1  # where the user was
    choose(tab, 0)
    assert tab.editor.body_edit.toPlainText() == FIRST_BODY + " PS: still keen?"
    assert tab.editor.save_button.isEnabled()
    assert workspace.mail.steps(seq)[0].body == FIRST_BODY  # nothing saved by switching


def test_a_draft_survives_a_change_made_elsewhere(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    type_into_body(tab, qtbot, " PS")
    workspace.mail.add_step(seq, subject="", body="One more", delay_days=7)  # e.g. the CLI
    qtbot.waitUntil(lambda: len(rows(tab)) == 4)
    assert rows(tab)[3] == "Step 4 · +7 days\nRe: same thread"
    assert tab.editor.body_edit.toPlainText() == FIRST_BODY + " PS"
    assert tab.editor.save_button.isEnabled()


def test_placeholders_go_in_at_the_cursor_of_the_last_focused_field(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    tab = open_tab(window, qtbot, three_steps(workspace))
    editor = tab.editor
    menu = [a.text() for a in editor.placeholder_menu.actions() if a.isEnabled() and a.text()]
    assert menu == [
        "{first_name}",
        "{last_name}",
        "{full_name}",
        "{company}",
        "{title}",
        "{email}",
    ]
    actions = {a.text(): a for a in editor.placeholder_menu.actions()}
    window.activateWindow()
    editor.body_edit.setFocus()
    qtbot.waitUntil(editor.body_edit.hasFocus)
    cursor = editor.body_edit.textCursor()
    cursor.setPosition(len("Hi {first_name|there},\n\n"))
    editor.body_edit.setTextCursor(cursor)
    actions["{title}"].trigger()
    assert editor.body_edit.toPlainText().startswith(
        "Hi {first_name|there},\n\n{title}Would {company} let you go?"
    )
    editor.subject_edit.setFocus()
    qtbot.waitUntil(editor.subject_edit.hasFocus)
    editor.subject_edit.setSelection(0, len("{first_name}"))  # a selection is replaced
    actions["{full_name}"].trigger()
    assert editor.subject_edit.text() == "{full_name}, a CFO role at Northwind"
    assert editor.subject_edit.hasFocus()
    assert editor.save_button.isEnabled()


def test_preview_renders_the_draft_for_the_chosen_contact(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq, tab = with_two_contacts(window, workspace, qtbot)
    preview = tab.preview
    assert preview.contact_combo.itemText(1) == "Daniel Reyes — dan@quillon.example.com"
    preview.contact_combo.setCurrentIndex(
        preview.contact_combo.findText("Daniel", Qt.MatchFlag.MatchStartsWith)
    )
    qtbot.waitUntil(lambda: preview.subject_label.text() == "Daniel, a CFO role at Northwind")
    assert (
        preview.body_view.toPlainText() == "Hi Daniel,\n\nWould Quillon Foods let you go?\n\nRita"
    )
    assert not preview.missing_label.isVisibleTo(preview)
    choose(tab, 1)
    type_into_body(tab, qtbot, " ({title})")
    qtbot.waitUntil(lambda: preview.body_view.toPlainText().endswith("any thoughts? (CFO)"))
    assert preview.subject_label.text() == "Re: Daniel, a CFO role at Northwind"
    assert workspace.mail.steps(seq)[1].body == "Hi {first_name}, any thoughts?"  # not saved


def test_a_placeholder_the_contact_lacks_is_a_warning(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    _seq, tab = with_two_contacts(window, workspace, qtbot)
    preview = tab.preview
    preview.contact_combo.setCurrentIndex(0)  # Ama has no company
    qtbot.waitUntil(lambda: preview.missing_label.isVisibleTo(preview))
    assert preview.missing_label.text() == "Ama has no company: {company} would be blank."
    assert preview.body_view.toPlainText() == "Hi Ama,\n\nWould  let you go?\n\nRita"
    type_into_body(tab, qtbot, " {title}")
    qtbot.waitUntil(lambda: "title" in preview.missing_label.text())
    assert preview.missing_label.text() == (
        "Ama has no company or title: {company} and {title} would be blank."
    )


def test_a_sequence_without_contacts_says_so_in_the_preview(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    tab = open_tab(window, qtbot, three_steps(workspace))
    preview = tab.preview
    qtbot.waitUntil(lambda: "has no contacts yet" in preview.message_label.text())
    assert preview.message_label.isVisibleTo(preview)
    assert not preview.contact_combo.isEnabled()
    assert not preview.body_view.isVisibleTo(preview)


def test_an_unknown_placeholder_is_shown_inline_and_the_draft_kept(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq, tab = with_two_contacts(window, workspace, qtbot)
    choose(tab, 1)
    preview = tab.preview
    type_into_body(tab, qtbot, " At {compnay}?")
    qtbot.waitUntil(lambda: "{compnay} in the body" in preview.message_label.text())
    assert preview.message_label.text().startswith("No preview yet. Unknown placeholder")
    assert not preview.body_view.isVisibleTo(preview)
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.editor.error_label.isVisibleTo(tab))
    error = tab.editor.error_label.text()
    assert "Unknown placeholder {compnay} in the body" in error
    assert "Did you mean {company}?" in error
    assert tab.editor.body_edit.toPlainText() == "Hi {first_name}, any thoughts? At {compnay}?"
    assert tab.editor.save_button.isEnabled()
    assert rows(tab)[1].startswith("•")
    assert workspace.mail.steps(seq)[1].body == "Hi {first_name}, any thoughts?"
    tab.editor.body_edit.setPlainText("At {company}?")  # fixed: it saves, the error goes
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.mail.steps(seq)[1].body == "At {company}?")
    assert not tab.editor.error_label.isVisibleTo(tab)


def test_a_first_step_without_subject_is_refused(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    tab.editor.subject_edit.clear()
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.editor.error_label.isVisibleTo(tab))
    assert "needs a subject" in tab.editor.error_label.text()
    assert workspace.mail.steps(seq)[0].subject == FIRST


def test_add_step_appends_a_follow_up(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    qtbot.mouseClick(tab.column.add_button, Qt.MouseButton.LeftButton)
    assert rows(tab)[3] == "• Step 4 · +3 days\nRe: same thread"
    assert tab.editor.heading.text().startswith("Step 4")
    assert tab.editor.delay_hint.text() == "after step 3"
    qtbot.mouseClick(tab.column.add_button, Qt.MouseButton.LeftButton)
    assert len(rows(tab)) == 4  # one new step at a time
    type_into_body(tab, qtbot, "Any news, {first_name}?")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(workspace.mail.steps(seq)) == 4)
    assert workspace.mail.steps(seq)[3] == StepInfo(3, "", "Any news, {first_name}?", 3, True)
    qtbot.waitUntil(lambda: rows(tab)[3] == "Step 4 · +3 days\nRe: same thread")
    assert len(rows(tab)) == 4


def test_remove_asks_first(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    choose(tab, 1)
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    confirm(tab, qtbot, "Cancel")
    assert len(workspace.mail.steps(seq)) == 3
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is not None
    assert tab.dialog.text() == "Remove step 2?"
    confirm(tab, qtbot, "Remove step")
    qtbot.waitUntil(lambda: len(workspace.mail.steps(seq)) == 2)
    assert [s.subject for s in workspace.mail.steps(seq)] == [FIRST, "Closing the loop"]
    qtbot.waitUntil(lambda: len(rows(tab)) == 2)
    assert rows(tab)[1] == "Step 2 · +5 days\nClosing the loop"
    assert tab.editor.subject_edit.text() == "Closing the loop"


def test_a_removed_step_takes_its_draft_and_later_drafts_move_up(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    choose(tab, 2)
    type_into_body(tab, qtbot, " Bye")
    choose(tab, 1)
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    confirm(tab, qtbot, "Remove step")
    qtbot.waitUntil(lambda: len(rows(tab)) == 2)
    assert rows(tab)[1].startswith("• Step 2")
    assert tab.editor.body_edit.toPlainText() == "Last note, {first_name}. Bye"


def test_a_step_already_sent_cannot_be_removed(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    contacts(workspace, seq)
    with workspace.store.write() as session:  # both contacts got step 1
        session.execute(update(Enrollment).where(Enrollment.sequence_id == seq).values(next_step=1))
    tab = open_tab(window, qtbot, seq)
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    confirm(tab, qtbot, "Remove step")
    qtbot.waitUntil(lambda: tab.list_error.isVisibleTo(tab))
    assert tab.list_error.text() == "2 contacts already got step 1: edit it instead."
    assert len(workspace.mail.steps(seq)) == 3
    assert len(rows(tab)) == 3
    choose(tab, 1)  # a later step can still go
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    assert not tab.list_error.isVisibleTo(tab)
    confirm(tab, qtbot, "Remove step")
    qtbot.waitUntil(lambda: len(workspace.mail.steps(seq)) == 2)


def test_discarding_a_new_step_with_text_asks_first(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    qtbot.mouseClick(tab.column.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None  # nothing typed: it just goes
    assert len(rows(tab)) == 3
    qtbot.mouseClick(tab.column.add_button, Qt.MouseButton.LeftButton)
    type_into_body(tab, qtbot, "Draft")
    qtbot.mouseClick(tab.column.remove_button, Qt.MouseButton.LeftButton)
    confirm(tab, qtbot, "Discard step")
    assert len(rows(tab)) == 3
    assert len(workspace.mail.steps(seq)) == 3


def test_ctrl_s_saves_the_step_being_edited(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    tab = open_tab(window, qtbot, seq)
    window.activateWindow()
    tab.editor.body_edit.setFocus()
    qtbot.waitUntil(tab.editor.body_edit.hasFocus)
    type_into_body(tab, qtbot, " PS")
    qtbot.keyClick(tab.editor.body_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workspace.mail.steps(seq)[0].body == FIRST_BODY + " PS")


def test_quitting_with_an_unsaved_step_asks_first(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = three_steps(workspace)
    window.sequences_pane.reload(seq)
    tab = open_tab(window, qtbot, seq)
    choose(tab, 1)
    type_into_body(tab, qtbot, " Still keen?")
    window.close()
    box = window.discard_box
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert window.isVisible()
    assert "unsaved changes to 1 step" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.discard_box is None)
    assert window.isVisible()
    window.close()
    box = window.discard_box
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    discard = next(b for b in box.buttons() if b.text() == "Discard and quit")
    with qtbot.waitSignal(window.closed, timeout=2000):
        qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert workspace.mail.steps(seq)[1].body == "Hi {first_name}, any thoughts?"
