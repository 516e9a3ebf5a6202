"""The column names of Jira's CSV export in its UI languages, and the language of a header row.

Jira writes the export's header in the exporting user's language. Each table below
holds only names seen in real exports (in the same position as the English export's
columns); a column not listed keeps its own name, and `jira: {columns: ...}` in the
mapping file renames any column, first. docs/import.md says how to map a language
that is not here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pmo_rules.importers.mapping import norm


@dataclass(frozen=True)
class HeaderLanguage:
    """One UI language: its column names, and its names for repeated-name columns'
    prefixes (`Custom field (NAME)`), each to the English export's name."""

    name: str
    columns: dict[str, str]
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def key_column(self) -> str:
        """This language's name for `Issue key`: the column that identifies it."""
        return next(k for k, v in self.columns.items() if v == "Issue key")


LANGUAGES = (
    HeaderLanguage("French", {
        "Résumé": "Summary", "Clé de ticket": "Issue key", "ID de ticket": "Issue id",
        "Type de ticket": "Issue Type", "État": "Status", "Catégorie d'état": "Status Category",
        "Priorité": "Priority", "Personne assignée": "Assignee", "Création": "Created",
    }, {
        "Champs personnalisés": "Custom field", "Lien du ticket entrant": "Inward issue link",
        "Lien de ticket sortant": "Outward issue link",
    }),
    HeaderLanguage("German", {
        "Zusammenfassung": "Summary", "Vorgangsschlüssel": "Issue key", "Vorgangs-ID": "Issue id",
        "Vorgangstyp": "Issue Type", "Projektschlüssel": "Project key",
        "Projektname": "Project name", "Projekttyp": "Project type",
        "Projektleiter": "Project lead", "ID des Projektleiters": "Project lead id",
        "Projektbeschreibung": "Project description", "Priorität": "Priority",
        "Lösung": "Resolution", "Zugewiesene Person": "Assignee",
        "ID der zugewiesenen Person": "Assignee Id", "Autor": "Reporter",
        "ID des Autors": "Reporter Id", "Ersteller": "Creator", "Ersteller-ID": "Creator Id",
        "Erstellt": "Created", "Aktualisiert": "Updated", "Zuletzt angezeigt": "Last Viewed",
        "Erledigt": "Resolved", "Fälligkeitsdatum": "Due date", "Stimmen": "Votes",
        "Beschreibung": "Description", "Umgebung": "Environment", "Beobachter": "Watchers",
        "ID des Beobachters": "Watchers Id", "Sicherheitsstufe": "Security Level",
        "Anhang": "Attachment", "Statuskategorie": "Status Category", "Übergeordnet": "Parent",
    }, {"Benutzerdefinierte Felder": "Custom field"}),
    HeaderLanguage("Spanish", {
        "Resumen": "Summary", "Clave de incidencia": "Issue key",
        "ID de la incidencia": "Issue id", "Tipo de incidencia": "Issue Type",
        "Estado": "Status", "Prioridad": "Priority", "Persona asignada": "Assignee",
        "Creada": "Created", "Actualizada": "Updated", "Descripción": "Description",
    }, {"Campo personalizado": "Custom field"}),
    HeaderLanguage("Portuguese", {
        "Resumo": "Summary", "Chave da item": "Issue key", "ID da item": "Issue id",
        "Tipo de item": "Issue Type", "Responsável": "Assignee",
        "ID do responsável": "Assignee Id", "Relator": "Reporter", "ID do relator": "Reporter Id",
        "Prioridade": "Priority", "Resolução": "Resolution", "Criado": "Created",
        "Atualizado(a)": "Updated", "Resolvido": "Resolved", "Data limite": "Due date",
        "Descrição": "Description",
    }, {"Campo personalizado": "Custom field"}),
)
_PREFIXED = re.compile(r"^(.+?)\s*\((.*)\)$")


def _key(name: str) -> str:
    # Compared without case or repeated spaces, and with either apostrophe.
    return norm(name.replace("\u2019", "'"))


def language_of(header: Sequence[str]) -> HeaderLanguage | None:
    """The UI language a header row is written in: the one whose `Issue key` column it
    holds; None for an English header (or one no table knows)."""
    names = {_key(h) for h in header}
    if "issue key" in names:
        return None
    return next((lang for lang in LANGUAGES if _key(lang.key_column) in names), None)


def sniff_language(first_line: str) -> bool:
    """Whether a header line holds a known language's `Issue key` and `Summary` columns."""
    text = _key(first_line)
    return any(_key(lang.key_column) in text and any(
        _key(k) in text for k, v in lang.columns.items() if v == "Summary")
        for lang in LANGUAGES)


def english(header: Sequence[str], renames: dict[str, str],
            language: HeaderLanguage | None) -> list[str]:
    """The header with the user's renames (`jira.columns`) first, then the language's."""
    own = {_key(k): v for k, v in renames.items()}
    if language is None:
        return [own.get(_key(h), h.strip()) for h in header]
    columns = {_key(k): v for k, v in language.columns.items()}
    prefixes = {_key(k): v for k, v in language.prefixes.items()}
    out = []
    for raw in header:
        key = _key(raw)
        name = own.get(key) or columns.get(key)
        if name is None:
            match = _PREFIXED.match(raw.strip())
            prefix = prefixes.get(_key(match[1])) if match else None
            name = f"{prefix} ({match[2]})" if match and prefix else raw.strip()
        out.append(name)
    return out
