"""The app's own UI strings in Norwegian bokmål (default) and English.

Codes from the taxonomy (categories, moves, channels, age groups ...) are NOT
here: their labels come from ``data_contracts/`` through :func:`code_label`.

Adding a string: add the key to BOTH tables below (a unit test checks that
every key exists in both languages with the same ``{placeholders}``, and that
every ``t("...")`` key used in ``app_streamlit/`` exists). Keys are grouped by
page with a dotted prefix (``review.*``, ``users.*``, ``trends.*`` ...).
"""

from __future__ import annotations

from string import Formatter

from research.contracts import load_taxonomy

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
LANG_STATE_KEY = "lang_en"  # session-state key of the sidebar's English toggle

STRINGS: dict[str, dict[str, str]] = {
    "nb": {
        # shell
        "app.title": "Avdekking av vold – forskningsplattform",
        "app.english": "English",
        "app.signed_in_as": "Innlogget som **{username}** ({role})",
        "app.logout": "Logg ut",
        "app.forbidden": "Du har ikke tilgang til denne siden.",
        "app.go_to": "Gå til {page}",
        "app.signed_out": "Du er logget ut.",
        "app.store_error": "Databasen kan ikke nås: {error}",
        "nav.review": "Gjennomgang",
        "nav.explore": "Utforsk",
        "nav.models": "Modeller",
        "nav.admin": "Administrasjon",
        "page.login": "Logg inn",
        "page.review": "Gjennomgang",
        "page.users": "Brukere",
        "page.audit": "Revisjonslogg",
        # roles
        "role.counsellor": "rådgiver",
        "role.researcher": "forsker",
        "role.data_scientist": "dataforsker",
        "role.admin": "administrator",
        # login
        "login.title": "Logg inn",
        "login.intro": "Plattformen viser bare avidentifiserte samtaler. Logg inn med brukeren du har fått.",
        "login.username": "Brukernavn",
        "login.password": "Passord",
        "login.submit": "Logg inn",
        "login.failed": "Feil brukernavn eller passord.",
        "login.missing": "Skriv inn brukernavn og passord.",
        # review
        "review.title": "Gjennomgang av forslag",
        "review.queue": "Kø",
        "review.queue_empty": "Ingen samtaler venter på gjennomgang med disse filtrene.",
        "review.queue_help": "Mest usikre forslag først. Samtaler tildelt deg for dobbeltkoding står øverst.",
        "review.filter_category": "Kategori",
        "review.filter_age_group": "Aldersgruppe",
        "review.filter_channel": "Kanal",
        "review.filter_all": "Alle",
        "review.open": "Åpne",
        "review.double_coding": "Dobbeltkoding",
        "review.double_coding_note": "Denne samtalen kodes uavhengig av to rådgivere: du ser bare maskinens forslag og dine egne beslutninger.",
        "review.pick": "Velg en samtale i køen.",
        "review.not_found": "Fant ikke samtalen {conversation_id}.",
        "review.meta": "{channel} · {started} · {age} · {gender} · {n_messages} meldinger · versjon {version}",
        "review.age": "{age} år",
        "review.age_unknown": "alder ukjent",
        "review.conversation": "Samtale",
        "review.categories": "Kategorier",
        "review.suggested": "Foreslått av modellen",
        "review.add_category": "Legg til kategori",
        "review.add_help": "Ett klikk legger til kategorien.",
        "review.accept": "Godta",
        "review.reject": "Avvis",
        "review.undo_reject": "Angre avvisning",
        "review.remove": "Fjern",
        "review.accept_all": "Godta alle forslag",
        "review.next": "Neste samtale",
        "review.shortcuts": "Hurtigtaster: **A** godta alle · **N** neste samtale",
        "review.state_machine": "forslag",
        "review.state_accepted": "godtatt",
        "review.state_rejected": "avvist",
        "review.state_added": "lagt til",
        "review.score": "sikkerhet {score}",
        "review.disclosure": "Avdekking",
        "review.disclosure_marker": "Avdekking",
        "review.disclosure_suggested": "Modellen foreslår avdekking i melding {turn} (sikkerhet {score}).",
        "review.disclosure_none": "Modellen foreslår ingen eksplisitt avdekking (sikkerhet {score}).",
        "review.disclosure_current": "Gjeldende avdekking: melding {turn} ({source}).",
        "review.disclosure_current_none": "Gjeldende: ingen eksplisitt avdekking ({source}).",
        "review.disclosure_here": "Avdekking her",
        "review.disclosure_clear": "Ingen avdekking",
        "review.disclosure_accept": "Godta avdekkingsforslaget",
        "review.source_human": "bestemt av {reviewer}",
        "review.source_machine": "maskinforslag",
        "review.source_none": "ikke vurdert",
        "review.moves": "Foreslåtte trekk",
        "review.saved": "Lagret ({count} beslutning(er)).",
        "review.stale": "Noen andre har lagret beslutninger på denne samtalen siden du åpnet den. Ingenting av ditt ble overskrevet; samtalen er lastet på nytt.",
        "review.stale_item": "{reviewer}: {decision} {what}",
        "review.stale_mine": "Din beslutning, som ikke ble lagret:",
        "review.stale_retry": "Lagre min beslutning likevel",
        "review.stale_dismiss": "Forkast min beslutning",
        "review.error": "Beslutningen ble ikke lagret: {error}",
        "review.history": "Historikk",
        "review.history_empty": "Ingen beslutninger ennå.",
        "review.decision.accept": "godtok",
        "review.decision.reject": "avviste",
        "review.decision.add": "la til",
        "review.decision.move_disclosure": "flyttet avdekking til",
        "review.decision.clear_disclosure": "fjernet avdekking",
        "review.message": "melding {index}",
        "review.no_model": "Ingen maskinforslag for denne samtalen.",
        "review.model": "Modell: {model}",
        # users
        "users.title": "Brukere",
        "users.username": "Brukernavn",
        "users.role": "Rolle",
        "users.active": "Aktiv",
        "users.created": "Opprettet",
        "users.add": "Legg til bruker",
        "users.add_submit": "Opprett bruker",
        "users.added": "Bruker {username} opprettet. Passordet vises bare denne ene gangen:",
        "users.choose": "Velg en bruker",
        "users.disable": "Deaktiver",
        "users.disabled": "Bruker {username} er deaktivert.",
        "users.error": "Kunne ikke endre brukere: {error}",
        "users.double_coding": "Dobbeltkoding",
        "users.double_coding_help": "Andelen av de ikke gjennomgåtte samtalene som gis til to rådgivere hver, for å måle enighet.",
        "users.double_coding_share": "Andel (0–1)",
        "users.double_coding_submit": "Tildel dobbeltkoding",
        "users.double_coding_done": "{count} samtaler tildelt to rådgivere hver.",
        "users.double_coding_current": "{count} samtaler er tildelt for dobbeltkoding.",
        # audit
        "audit.title": "Revisjonslogg",
        "audit.action": "Hendelse",
        "audit.user": "Bruker",
        "audit.limit": "Antall rader",
        "audit.at": "Tidspunkt (UTC)",
        "audit.detail": "Detaljer",
        "audit.all": "Alle",
        "audit.empty": "Ingen hendelser.",
    },
    "en": {
        # shell
        "app.title": "Disclosure of violence – research platform",
        "app.english": "English",
        "app.signed_in_as": "Signed in as **{username}** ({role})",
        "app.logout": "Log out",
        "app.forbidden": "You do not have access to this page.",
        "app.go_to": "Go to {page}",
        "app.signed_out": "You are logged out.",
        "app.store_error": "The database cannot be reached: {error}",
        "nav.review": "Review",
        "nav.explore": "Explore",
        "nav.models": "Models",
        "nav.admin": "Administration",
        "page.login": "Log in",
        "page.review": "Review",
        "page.users": "Users",
        "page.audit": "Audit log",
        # roles
        "role.counsellor": "counsellor",
        "role.researcher": "researcher",
        "role.data_scientist": "data scientist",
        "role.admin": "administrator",
        # login
        "login.title": "Log in",
        "login.intro": "The platform only shows de-identified conversations. Log in with the account you were given.",
        "login.username": "Username",
        "login.password": "Password",
        "login.submit": "Log in",
        "login.failed": "Wrong username or password.",
        "login.missing": "Enter a username and a password.",
        # review
        "review.title": "Review suggestions",
        "review.queue": "Queue",
        "review.queue_empty": "No conversations wait for review with these filters.",
        "review.queue_help": "Most uncertain suggestions first. Conversations assigned to you for double coding come first.",
        "review.filter_category": "Category",
        "review.filter_age_group": "Age group",
        "review.filter_channel": "Channel",
        "review.filter_all": "All",
        "review.open": "Open",
        "review.double_coding": "Double coding",
        "review.double_coding_note": "This conversation is coded independently by two counsellors: you see only the machine's suggestions and your own decisions.",
        "review.pick": "Pick a conversation from the queue.",
        "review.not_found": "Conversation {conversation_id} was not found.",
        "review.meta": "{channel} · {started} · {age} · {gender} · {n_messages} messages · version {version}",
        "review.age": "age {age}",
        "review.age_unknown": "age unknown",
        "review.conversation": "Conversation",
        "review.categories": "Categories",
        "review.suggested": "Suggested by the model",
        "review.add_category": "Add a category",
        "review.add_help": "One click adds the category.",
        "review.accept": "Accept",
        "review.reject": "Reject",
        "review.undo_reject": "Undo rejection",
        "review.remove": "Remove",
        "review.accept_all": "Accept all suggestions",
        "review.next": "Next conversation",
        "review.shortcuts": "Shortcuts: **A** accept all · **N** next conversation",
        "review.state_machine": "suggested",
        "review.state_accepted": "accepted",
        "review.state_rejected": "rejected",
        "review.state_added": "added",
        "review.score": "confidence {score}",
        "review.disclosure": "Disclosure",
        "review.disclosure_marker": "Disclosure",
        "review.disclosure_suggested": "The model suggests a disclosure in message {turn} (confidence {score}).",
        "review.disclosure_none": "The model suggests no explicit disclosure (confidence {score}).",
        "review.disclosure_current": "Current disclosure: message {turn} ({source}).",
        "review.disclosure_current_none": "Current: no explicit disclosure ({source}).",
        "review.disclosure_here": "Disclosure here",
        "review.disclosure_clear": "No disclosure",
        "review.disclosure_accept": "Accept the suggested disclosure",
        "review.source_human": "decided by {reviewer}",
        "review.source_machine": "machine suggestion",
        "review.source_none": "not assessed",
        "review.moves": "Suggested moves",
        "review.saved": "Saved ({count} decision(s)).",
        "review.stale": "Someone else saved decisions on this conversation since you opened it. Nothing of yours was overwritten; the conversation has been reloaded.",
        "review.stale_item": "{reviewer}: {decision} {what}",
        "review.stale_mine": "Your decision, which was not saved:",
        "review.stale_retry": "Save my decision anyway",
        "review.stale_dismiss": "Discard my decision",
        "review.error": "The decision was not saved: {error}",
        "review.history": "History",
        "review.history_empty": "No decisions yet.",
        "review.decision.accept": "accepted",
        "review.decision.reject": "rejected",
        "review.decision.add": "added",
        "review.decision.move_disclosure": "moved the disclosure to",
        "review.decision.clear_disclosure": "cleared the disclosure",
        "review.message": "message {index}",
        "review.no_model": "No machine suggestions for this conversation.",
        "review.model": "Model: {model}",
        # users
        "users.title": "Users",
        "users.username": "Username",
        "users.role": "Role",
        "users.active": "Active",
        "users.created": "Created",
        "users.add": "Add a user",
        "users.add_submit": "Create user",
        "users.added": "User {username} created. The password is shown this one time only:",
        "users.choose": "Choose a user",
        "users.disable": "Disable",
        "users.disabled": "User {username} is disabled.",
        "users.error": "Could not change users: {error}",
        "users.double_coding": "Double coding",
        "users.double_coding_help": "The share of not yet reviewed conversations given to two counsellors each, to measure agreement.",
        "users.double_coding_share": "Share (0–1)",
        "users.double_coding_submit": "Assign double coding",
        "users.double_coding_done": "{count} conversations assigned to two counsellors each.",
        "users.double_coding_current": "{count} conversations are assigned for double coding.",
        # audit
        "audit.title": "Audit log",
        "audit.action": "Event",
        "audit.user": "User",
        "audit.limit": "Rows",
        "audit.at": "Time (UTC)",
        "audit.detail": "Details",
        "audit.all": "All",
        "audit.empty": "No events.",
    },
}


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in.

    An unknown key raises KeyError: a missing translation is a bug the unit
    tests catch, not something to paper over at run time.
    """
    text = STRINGS[lang if lang in STRINGS else DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def current_language() -> str:
    """The language chosen in the sidebar toggle of this session (``nb`` by default)."""
    import streamlit as st

    return "en" if st.session_state.get(LANG_STATE_KEY) else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """:func:`translate` in the session's language (inside the Streamlit app)."""
    return translate(key, current_language(), **values)


def number(value: float | None, digits: int = 2, lang: str | None = None) -> str:
    """A decimal number as the language writes it (0,91 in Norwegian)."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if (lang or current_language()) == "nb" else text


def code_label(code: str | None, lang: str | None = None) -> str:
    """The label of any taxonomy code (category, move, channel, age group ...)."""
    if code is None:
        return "–"
    return load_taxonomy().label(code, lang or current_language())
