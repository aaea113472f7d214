"""The words that make an email an opt-out, in English and the main European languages.

Two tables, read by `detect.py` and by the tests:

- SUBJECT_REQUESTS: what the whole subject (or the first line) of a mail to the sender says
  when it is an unsubscribe request, e.g. the `mailto:` of our List-Unsubscribe header.
- STOP_PHRASES: what a reply's own words contain when it clearly asks us to stop. Each
  phrase is matched as whole words, ignoring case, accents written or not, and the kind of
  apostrophe. Phrases that could be polite refusals ("not interested") are left out: a reply
  already ends the sequence; an opt-out also ends every other one, for the whole team.
- REPLY_PREFIXES: what mail programs put before a reply's or a forward's subject.
"""

from __future__ import annotations

SUBJECT_REQUESTS: dict[str, tuple[str, ...]] = {
    "en": ("unsubscribe", "unsubscribe me", "remove me", "opt out", "opt-out", "stop"),
    "de": ("abmelden", "abbestellen", "austragen", "abmeldung"),
    "fr": ("désabonner", "se désabonner", "désabonnement", "désinscription", "désinscrire"),
    "es": ("baja", "darse de baja", "dar de baja", "cancelar suscripción"),
    "it": ("disiscrivimi", "cancellami", "cancella iscrizione", "annulla iscrizione"),
    "nl": ("afmelden", "uitschrijven"),
    "pt": ("descadastrar", "cancelar inscrição", "cancelar subscrição", "remover"),
    "sv": ("avregistrera", "avsluta prenumeration", "avprenumerera"),
    "da": ("afmeld", "afmelding", "frameld"),
    "no": ("avmeld", "meld av", "avslutt abonnement"),
    "pl": ("wypisz", "wypisz mnie", "rezygnacja", "rezygnuję"),
}

STOP_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "unsubscribe",
        "remove me",
        "take me off",
        "opt me out",
        "stop emailing",
        "stop e-mailing",
        "stop mailing",
        "stop contacting",
        "stop sending",
        "stop writing to me",
        "do not contact me",
        "don't contact me",
        "do not email me",
        "don't email me",
        "do not e-mail me",
        "don't e-mail me",
        "no more emails",
        "never contact me",
        "leave me alone",
    ),
    "de": (
        "abmelden",
        "abbestellen",
        "austragen",
        "entfernen sie mich",
        "bitte entfernen",
        "nicht mehr kontaktieren",
        "kontaktieren sie mich nicht",
        "keine e-mails mehr",
        "keine emails mehr",
        "keine weiteren e-mails",
        "schreiben sie mir nicht mehr",
    ),
    "fr": (
        "désabonner",
        "désinscrire",
        "retirez-moi",
        "supprimez-moi",
        "ne me contactez plus",
        "ne plus me contacter",
        "ne m'écrivez plus",
        "arrêtez de m'écrire",
        "arrêtez de m'envoyer",
    ),
    "es": (
        "darme de baja",
        "dar de baja",
        "denme de baja",
        "no me contacte",
        "no me contactes",
        "no me escriba",
        "no me escribas",
        "elimíname",
        "elimínenme",
        "dejen de escribirme",
        "deje de escribirme",
    ),
    "it": (
        "disiscrivimi",
        "cancellami",
        "rimuovetemi",
        "rimuovermi",
        "non contattatemi",
        "non contattarmi",
        "non mi contatti",
        "non scrivetemi più",
        "smettete di scrivermi",
    ),
    "nl": (
        "afmelden",
        "uitschrijven",
        "verwijder mij",
        "verwijder me",
        "neem geen contact meer",
        "stop met mailen",
        "geen e-mails meer",
        "mail mij niet meer",
    ),
    "pt": (
        "descadastrar",
        "remova-me",
        "removam-me",
        "não me contacte",
        "não me contate",
        "parem de me enviar",
        "parem de me escrever",
        "cancelar inscrição",
    ),
    "sv": (
        "avregistrera",
        "avsluta prenumeration",
        "ta bort mig",
        "kontakta mig inte",
        "sluta maila",
        "sluta skicka",
    ),
    "da": (
        "afmeld",
        "fjern mig",
        "kontakt mig ikke",
        "stop med at skrive",
        "stop med at sende",
    ),
    "no": (
        "meld meg av",
        "avmeld",
        "fjern meg",
        "ikke kontakt meg",
        "slutt å sende",
        "slutt å skrive",
    ),
    "pl": (
        "wypisz mnie",
        "usuń mnie",
        "proszę mnie usunąć",
        "nie kontaktuj się",
        "proszę nie kontaktować",
        "nie piszcie do mnie",
        "nie pisz do mnie",
        "rezygnuję z subskrypcji",
    ),
}

#: Before a subject: Re (most), Aw (German), Sv (Swedish, Danish, Norwegian), Vs (Finnish),
#: Antw (Dutch), Odp (Polish), R and Rif (Italian), Res (Portuguese), Fwd/Fw/Wg/Tr/Rv/Enc.
REPLY_PREFIXES = (
    "re",
    "aw",
    "sv",
    "vs",
    "antw",
    "odp",
    "r",
    "rif",
    "res",
    "ref",
    "fw",
    "fwd",
    "wg",
    "tr",
    "rv",
    "enc",
)

#: English words that turn the phrase after them around ("please don't unsubscribe me").
NEGATIONS = ("don't", "do not", "never", "not")
