"""Which texts are opt-outs: every phrase of the table in its own language, the subject
prefixes of the main mail programs, and the quoted text and signatures that must not count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.optout.detect import MAILTO, REPLY, detect, new_text, strip_prefixes
from app.optout.phrases import STOP_PHRASES, SUBJECT_REQUESTS

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "no", "pl")
STOPS = [(lang, p) for lang in LANGUAGES for p in STOP_PHRASES[lang]]
REQUESTS = [(lang, p) for lang in LANGUAGES for p in SUBJECT_REQUESTS[lang]]


def test_the_table_covers_english_and_the_main_european_languages() -> None:
    assert set(LANGUAGES) <= set(STOP_PHRASES) & set(SUBJECT_REQUESTS)
    assert all(len(STOP_PHRASES[lang]) >= 3 for lang in LANGUAGES)


@pytest.mark.parametrize(("lang", "phrase"), STOPS)
def test_each_stop_phrase_opts_out_inside_a_sentence(lang: str, phrase: str) -> None:
    found = detect("Re: a CFO role", f"Hello.\nThanks, but {phrase.upper()} now.\nRegards")
    assert found is not None, lang
    assert found.source == REPLY
    assert phrase.upper() in found.excerpt


@pytest.mark.parametrize(("lang", "phrase"), REQUESTS)
def test_each_request_as_the_subject_is_an_unsubscribe(lang: str, phrase: str) -> None:
    found = detect(f"Re: {phrase.title()}", "")
    assert found is not None, lang
    assert found.source == MAILTO


@pytest.mark.parametrize(
    "subject",
    ["unsubscribe", "Re: unsubscribe", "RE: Unsubscribe", "AW: Re: UNSUBSCRIBE", "SV: unsubscribe",
     "Antw: unsubscribe", "Odp: unsubscribe", "R: unsubscribe", "Fwd: unsubscribe",
     "Re[2]: unsubscribe", "VS: Unsubscribe!", "Res: unsubscribe"],
)  # fmt: skip
def test_prefixes_and_case_do_not_hide_an_unsubscribe(subject: str) -> None:
    found = detect(subject, "")
    assert found is not None
    assert (found.source, found.phrase) == (MAILTO, "unsubscribe")


def test_the_first_line_may_carry_the_request() -> None:
    found = detect("(no subject)", "\n  Unsubscribe.\n\nSent from my phone")
    assert found is not None
    assert found.source == MAILTO


@pytest.mark.parametrize(
    "subject",
    ["How to unsubscribe from a board?", "Re: stop by on Friday?", "Re: Baja California trip"],
)
def test_a_subject_that_only_mentions_the_word_is_not_a_request(subject: str) -> None:
    assert detect(subject, "See you then.") is None


@pytest.mark.parametrize(
    "text",
    [
        "Sounds good.\n\nOn Mon, 7 Jan 2030 at 10:00, Rita <r@firm.com> wrote:\n> unsubscribe",
        "Gerne.\n\nAm Mo., 7. Jan. 2030 um 10:00 Uhr schrieb Rita <r@firm.com>:\n> abmelden",
        "Volontiers.\n\nLe lun. 7 janv. 2030 à 10:00, Rita <r@firm.com> a écrit :\n> désabonner",
        "Claro.\n\nEl lun, 7 ene 2030 a las 10:00, Rita (<r@firm.com>) escribió:\n> darme de baja",
        "Sim.\n\nEm seg., 7 de jan. de 2030 às 10:00, Rita <r@firm.com> escreveu:\n> descadastrar",
        "Ja.\n\nDen man. 7. jan. 2030 kl. 10:00 skrev Rita <r@firm.com>:\n> meld meg av",
        "Tak.\n\nW dniu pon., 7 sty 2030 o 10:00 Rita <r@firm.com> napisał(a):\n> wypisz mnie",
        "Yes.\n\n-----Original Message-----\nFrom: Rita\nSent: Monday\n\nReply unsubscribe",
        "Happy to talk.\n--\nJo Bloggs, CFO\nTo unsubscribe from our newsletter click here",
        "Happy to talk.\n\n> Please remove me? Not you, of course.",
        "Please don't unsubscribe me, this is interesting.",
    ],
)
def test_quoted_text_signatures_and_negations_do_not_count(text: str) -> None:
    assert detect("Re: a CFO role", text) is None


def test_our_own_footer_carried_unquoted_is_ignored() -> None:
    footer = "Reply 'unsubscribe' and I won't write again."
    assert detect("Re: hi", f"Call me Monday.\n\n{footer}", ignore=[footer]) is None
    assert detect("Re: hi", f"Call me Monday.\n\n{footer}") is not None


def test_accents_and_apostrophes_may_be_left_out() -> None:
    assert detect("Re: hi", "Ne me contactez plus, merci") is not None
    assert detect("Re: hi", "ne m’ecrivez plus") is not None
    assert detect("Re: hi", "nao me contate") is not None


@given(st.text(max_size=300))
def test_any_text_quoted_below_a_reply_never_counts(quoted: str) -> None:
    lines = [f"> {line}" for line in f"unsubscribe\n{quoted}\nremove me".splitlines()]
    text = "Thanks, let's speak on Friday.\n\nOn Mon, Rita wrote:\n" + "\n".join(lines)
    assert detect("Re: a CFO role", text) is None


@given(st.text(max_size=200), st.text(max_size=200))
def test_detection_never_fails_on_odd_input(subject: str, text: str) -> None:
    found = detect(subject, text)
    assert found is None or found.source in (MAILTO, REPLY)
    assert isinstance(new_text(text), str)
    assert isinstance(strip_prefixes(subject), str)
