"""Jira: the CSV export ("all fields" or chosen ones) and the REST JSON of /search (+ /field).

Which level is a project is a mapping setting (`jira.project_level`): `epic` (the
default), any issue types (`[Initiative]`), `project` (a whole Jira project), or
`issue`. Issues below that level roll up into their project; their links are
lifted to it. Which link types are dependencies is a setting too: by default
`Blocks` (A blocks B: A -> B, FS, hard).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.jira_headers import english, language_of, sniff_language
from pmo_rules.importers.mapping import ImportMapping, norm
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.targets import DATE_TARGETS, place_value
from pmo_rules.importers.values import Bad, clean
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

CATEGORIES = {"to do": "proposed", "new": "proposed", "in progress": "active",
              "indeterminate": "active", "done": "closed"}
DEFAULT_LINKS = {"Blocks": {"type": "FS", "kind": "hard", "predecessor": "outward"}}
# Month abbreviations as Jira writes them in its UI languages (lowercase, accents and dots
# removed): English, French, German, Spanish, Italian, Portuguese, Dutch.
MONTHS: dict[str, int] = {}
for _names in (
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "janv fevr mars avr mai juin juil aout sept oct nov dec",
    "jan feb mar apr mai jun jul aug sep okt nov dez",
    "ene feb mar abr may jun jul ago sep oct nov dic",
    "gen feb mar apr mag giu lug ago set ott nov dic",
    "jan fev mar abr mai jun jul ago set out nov dez",
    "jan feb mrt apr mei jun jul aug sep okt nov dec",
):
    for _number, _name in enumerate(_names.split(), 1):
        MONTHS.setdefault(_name, _number)
MONTHS.update({"sep": 9, "sept": 9, "fev": 2, "mär": 3, "maerz": 3, "marz": 3, "juni": 6,
               "juli": 7, "june": 6, "july": 7})
_UI_DATE = re.compile(r"^(\d{1,2})[/ .-]([^/ .\d-][^/ \d-]*)\.?[/ .-](\d{2}|\d{4})(?:\s+(.*))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def jira_date(raw: str | None) -> dt.date | Bad | None:
    """`2016-03-03T13:11:01.000+0000`, `2024-05-06`, `12/Oct/23 10:15 AM`, `3/août/24 12:00`."""
    text = clean(raw)
    if text is None:
        return None
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return Bad("not a calendar date")
    match = _UI_DATE.match(text)
    if match:
        month = MONTHS.get(_plain(match[2]))
        if month is None:
            return Bad(f"`{match[2]}` is not a month abbreviation Jira writes")
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)  # Jira's 2-digit years
        try:
            return dt.date(year, month, int(match[1]))
        except ValueError:
            return Bad("not a calendar date")
    return Bad("not a Jira date (expected 2024-05-06, or dd/MMM/yy as the UI writes it)")


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().strip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Issue:
    """One Jira issue, from a CSV row or a JSON object, in one shape."""

    key: str
    place: Place
    id: str | None = None
    type: str | None = None
    summary: str | None = None
    status: str | None = None
    category: str | None = None
    category_raw: tuple[str, Place] | None = None  # the category as written, and where
    project_key: str | None = None
    project_name: str | None = None
    parent: str | None = None  # a key (JSON), or an id resolved to a key (CSV `Parent`)
    parent_id: str | None = None
    assignee_id: str | None = None
    assignee_name: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str, Place]] = field(default_factory=list)  # name, dir, key
    fields: dict[str, tuple[Any, Place]] = field(default_factory=dict)  # other fields by name


# ---------------------------------------------------------------- CSV

def sniff_csv(data: bytes) -> bool:
    """A Jira CSV export: `Issue key` (or `Issue id`) and `Summary` in the header line, in
    English or a UI language whose column names are built in."""
    first = data[:16384].decode("utf-8-sig", "replace").split("\n", 1)[0]
    in_english = ("Issue key" in first or "Issue id" in first) and "Summary" in first
    return in_english or sniff_language(first)


def read_csv_issues(path: Path, mapping: ImportMapping, report: ImportReport) -> list[Issue]:
    """Issues of a CSV export: read by position, repeated column names collected in lists."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    language = language_of(rows[0]) if rows else None
    header = english(rows[0], mapping.jira.get("columns", {}), language) if rows else []
    if language is not None:
        report.note(f"{path.name}: a Jira export in {language.name}: its column names were "
                    "read as the English export's (`jira: {columns: ...}` renames others)")
    if "Issue key" not in header:
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` has no `Issue key` column: not a Jira CSV export, or "
            "one in a UI language not built in", Span(str(path), 1, 1),
            help="export with Export > CSV (all fields or current fields); name the "
            "localised columns under `jira: {columns: {\"Chiave\": \"Issue key\", ...}}` "
            "(see docs/import.md)")])
    issues = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, list[tuple[str, Place]]] = {}
        for column, raw in enumerate(cells, start=1):
            place = Place(str(path), row=number, column=column,
                          field=header[column - 1] if column <= len(header) else None)
            if column > len(header):
                if raw.strip():
                    report.refuse(place, raw, "a value beyond the last header: the header "
                                  "does not match this row (a misaligned export)")
                continue
            if raw.strip():
                values.setdefault(header[column - 1], []).append((raw.strip(), place))
        issue = _csv_issue(values, Place(str(path), row=number))
        if issue is not None:
            issues.append(issue)
        else:
            report.refuse(Place(str(path), row=number, field="Issue key"), "",
                          "a row without an issue key is not imported", "id")
    return issues


def _csv_issue(values: dict[str, list[tuple[str, Place]]], place: Place) -> Issue | None:
    def one(name: str) -> str | None:
        found = values.pop(name, None)
        if found and len(found) > 1:  # a repeated single-valued column: the rest kept as fields
            values[name] = found[1:]
        return found[0][0] if found else None

    key = one("Issue key")
    if key is None:
        return None
    issue = Issue(key, place, id=one("Issue id"), type=one("Issue Type"),
                  summary=one("Summary"), status=one("Status"),
                  project_key=one("Project key"), project_name=one("Project name"),
                  parent_id=one("Parent") or one("Parent id"),
                  assignee_id=one("Assignee Id"), assignee_name=one("Assignee"))
    categories = values.pop("Status Category", None)
    if categories:
        issue.category_raw = categories[0]
        issue.category = CATEGORIES.get(categories[0][0].lower())
        if len(categories) > 1:
            values["Status Category"] = categories[1:]
    issue.parent = one("Parent key") or one("Custom field (Epic Link)") or one("Epic Link")
    for name in ("Labels", "Components", "Component/s"):
        issue.tags += [v for v, _ in values.pop(name, [])]
    for name in list(values):
        match = re.match(r"^(Inward|Outward) issue link \((.+)\)$", name)
        if match:
            issue.links += [(match[2], match[1].lower(), v, p) for v, p in values.pop(name)]
    issue.fields = {name: (found[0][0] if len(found) == 1 else [v for v, _ in found],
                           found[0][1]) for name, found in values.items()}
    return issue


# ---------------------------------------------------------------- JSON

def sniff_json(data: bytes) -> bool:
    """A /search response (`issues`, `startAt`) or a /field list (`clauseNames`)."""
    text = data[:16384].decode("utf-8-sig", "replace").lstrip()
    search = text.startswith("{") and '"issues"' in text and (
        '"startAt"' in text or '"expand"' in text)
    fields = text.startswith("[") and '"clauseNames"' in text
    return search or fields


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is not valid JSON: {exc}", Span(str(path), line, 1),
            help="save the REST response as it came (GET /rest/api/2/search)")]) from None


def read_json_issues(paths: Iterable[Path], report: ImportReport) -> list[Issue]:
    """Issues of /search responses; custom field names from /field lists or `names`."""
    searches, names = [], {}
    paths = list(paths)
    for path in paths:
        data = _load_json(path)
        if isinstance(data, list) and all(isinstance(f, dict) and "id" in f for f in data):
            names.update({f["id"]: f.get("name") or f["id"] for f in data})
        elif isinstance(data, dict) and isinstance(data.get("issues"), list):
            searches.append((path, data))
            names.update(data.get("names") or {})
        else:
            raise DiagnosticError([Diagnostic(
                "PMO462", f"`{path.name}` is neither a Jira /search response (with `issues`) "
                "nor a /field list", Span(str(path), 1, 1),
                help="give the JSON of GET /rest/api/2/search and of GET /rest/api/2/field")])
    if not searches:
        raise DiagnosticError([Diagnostic(
            "PMO467", "only /field lists were given: no /search response holds issues",
            Span(str(paths[0]), 1, 1) if paths else None,
            help="add the JSON of GET /rest/api/2/search?jql=...")])
    issues = []
    for path, data in searches:
        total, seen = data.get("total"), len(data["issues"])
        if isinstance(total, int) and total > seen + (data.get("startAt") or 0):
            report.note(f"{path.name}: holds {seen} of {total} issues from {data.get('startAt')}"
                        ": give every page to import them all")
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for item in data["issues"]:
            line = _line_of(text, str(item.get("key")))
            issues.append(_json_issue(item, Place(str(path), line), names))
    return issues


def _line_of(text: str, key: str) -> int | None:
    """The line of an issue's `"key": "KEY"` in the response (json keeps no lines)."""
    match = re.search(r'"key"\s*:\s*"' + re.escape(key) + '"', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _json_issue(item: dict[str, Any], place: Place, names: dict[str, str]) -> Issue:
    f = item.get("fields") or {}

    def sub(name: str, key: str) -> Any:
        value = f.get(name)
        return value.get(key) if isinstance(value, dict) else None

    status = f.get("status") or {}
    category = (status.get("statusCategory") or {}).get("key") if isinstance(status, dict) \
        else None
    assignee: dict[str, Any] = f["assignee"] if isinstance(f.get("assignee"), dict) else {}
    issue = Issue(str(item.get("key")), place, id=item.get("id"),
                  type=sub("issuetype", "name"), summary=f.get("summary"),
                  status=sub("status", "name"),
                  category=CATEGORIES.get(str(category).lower()) if category else None,
                  project_key=sub("project", "key"), project_name=sub("project", "name"),
                  parent=sub("parent", "key"),
                  assignee_id=assignee.get("accountId") or assignee.get("name")
                  or assignee.get("key"), assignee_name=assignee.get("displayName"))
    issue.tags = [str(x) for x in f.get("labels") or []] + [
        str(c["name"]) for c in f.get("components") or [] if isinstance(c, dict) and c.get("name")]
    for link in f.get("issuelinks") or []:
        name = (link.get("type") or {}).get("name", "?")
        for direction in ("outward", "inward"):
            other = link.get(f"{direction}Issue")
            if isinstance(other, dict) and other.get("key"):
                issue.links.append((name, direction, other["key"], place))
    for key, value in f.items():
        if key in ("summary", "status", "issuetype", "project", "parent", "assignee", "labels",
                   "components", "issuelinks") or value in (None, "", [], {}):
            continue
        name = names.get(key, key)
        issue.fields[name] = (_flat(value), Place(place.file, place.line, field=name))
    for key, name in (("duedate", "Due date"), ("resolutiondate", "Resolved")):
        if f.get(key) and name not in issue.fields:
            issue.fields[name] = (f[key], Place(place.file, place.line, field=name))
        issue.fields.pop(key, None)
    return issue


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        for key in ("value", "name", "displayName", "key"):
            if key in value:
                return value[key]
        return json.dumps(value, sort_keys=True)[:200]
    if isinstance(value, list):
        return [_flat(v) for v in value]
    return value


# ---------------------------------------------------------------- issues to projects

START_FIELDS = ("Custom field (Start date)", "Custom field (Target start)", "Start date",
                "Target start")
FINISH_FIELDS = ("Due date", "Custom field (Target end)", "Custom field (End date)",
                 "Target end", "End date", "Due Date", "duedate")


def build(issues: list[Issue], mapping: ImportMapping, report: ImportReport,
          sources: Sequence[Path] = ()) -> dict[str, Any]:
    """Projects at the mapped level, their people, programs and the dependencies
    (`sources`: the export's files, named where nothing can be imported)."""
    by_key: dict[str, Issue] = {}
    for issue in issues:
        if issue.key in by_key:
            report.skipped["issue exported twice (kept once)"] += 1
            continue
        by_key[issue.key] = issue
    by_id = {i.id: i.key for i in by_key.values() if i.id}
    for issue in by_key.values():
        if issue.parent is None and issue.parent_id:
            issue.parent = by_id.get(issue.parent_id)
    level = mapping.jira.get("project_level", "epic")
    owner = _owners(by_key, level, report)
    if not set(owner.values()):
        wanted = level if isinstance(level, str) else ", ".join(level)
        files = f" ({len(sources)} files)" if len(sources) > 1 else ""
        raise DiagnosticError([Diagnostic(
            "PMO467", f"no issue of the project level (`{wanted}`) is in the export{files}: "
            f"{len(by_key)} issue{'' if len(by_key) == 1 else 's'}, none at that level",
            Span(str(sources[0]), 1, 1) if sources else None,
            help="set `jira: {project_level: ...}` in the mapping file: `epic`, issue type "
            "names (`[Initiative]`), `project` (one per Jira project) or `issue`")])
    projects: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {}
    programs: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys(owner.values()):
        projects[key] = _project(key, by_key, owner, level, mapping, report, people, programs)
    deps = _dependencies(by_key, owner, mapping, report)
    out: dict[str, Any] = {"projects": list(projects.values()), "dependencies": deps}
    updated = [jira_date(str(i.fields.get(n, (None,))[0])) for i in by_key.values()
               for n in ("Updated", "updated") if i.fields.get(n, (None,))[0]]
    dates = [d for d in updated if isinstance(d, dt.date)]
    if dates:
        out["as_of"] = max(dates).isoformat()
        report.note("as_of: the latest `Updated` date of the exported issues (Jira has no "
                    "status date); give --as-of to choose another")
    if people:
        out["people"] = list(people.values())
    if programs:
        out["programs"] = list(programs.values())
    return out


def _is_level(issue: Issue, level: Any) -> bool:
    if level == "issue":
        return True
    types = [level] if isinstance(level, str) else list(level)
    return (issue.type or "").lower() in {str(t).lower() for t in types}


def _owners(by_key: dict[str, Issue], level: Any, report: ImportReport) -> dict[str, str]:
    """Each issue's project: itself at the level, else its nearest ancestor at the level."""
    owner: dict[str, str] = {}
    for key, issue in by_key.items():
        if level == "project":
            owner[key] = issue.project_key or key.rsplit("-", 1)[0]
            continue
        current: Issue | None = issue
        for _ in range(10):  # hierarchies are shallow; a parent cycle must not hang us
            if current is None or _is_level(current, level):
                break
            current = by_key.get(current.parent or "")
        if current is not None and _is_level(current, level):
            owner[key] = current.key
        else:
            report.skipped["issue under no project-level issue of the export"] += 1
    return owner


def _project(key: str, by_key: dict[str, Issue], owner: dict[str, str], level: Any,
             mapping: ImportMapping, report: ImportReport, people: dict[str, Any],
             programs: dict[str, Any]) -> dict[str, Any]:
    members = [i for i in by_key.values() if owner.get(i.key) == key]
    head = by_key.get(key)
    record: dict[str, Any] = {"id": key}
    if level == "project":
        record["name"] = next((i.project_name for i in members if i.project_name), key)
        head = None
    elif head is not None and head.summary:
        record["name"] = head.summary
        report.map("Summary", "name")
    else:
        record["name"] = key
        report.refuse(head.place if head else members[0].place, "",
                      "an empty summary: the issue key is used as the name", "name", key)
    statuses = [c for c in (_category(i, mapping) for i in ([head] if head else members)) if c]
    if head is not None and head.status:
        mapped = mapping.values.get("status", {}).get(norm(head.status))
        status = mapped or (statuses[0] if statuses else None)
        record.setdefault("custom", {})["jira_status"] = head.status
    else:
        status = "closed" if statuses and all(s == "closed" for s in statuses) else \
            "active" if any(s in ("active", "closed") for s in statuses) else \
            "proposed" if statuses else None
    if status:
        record["status"] = status
    else:
        _unknown_category([head] if head else members, report, key)
    if head is not None:
        _fields(record, head, mapping, report, people)
        if head.parent and head.parent in by_key and head.parent not in owner.values():
            parent = by_key[head.parent]
            record["program"] = parent.key
            programs.setdefault(parent.key, {"id": parent.key, **(
                {"name": parent.summary} if parent.summary else {})})
            report.map("Parent (above the project level)", "program")
        if head.tags:
            record["tags"] = sorted(set(head.tags))
    _roll_up(record, members, head, report)
    below = len(members) - (head is not None)
    if below:
        report.skipped["issues rolled up into their project"] += below
    return record


def _category(issue: Issue, mapping: ImportMapping) -> str | None:
    """The issue's status category as our status: Jira's English names, else the mapping's
    `values: {status: ...}` (localised exports write the category in their language)."""
    if issue.category is None and issue.category_raw is not None:
        return mapping.values.get("status", {}).get(norm(issue.category_raw[0]))
    return issue.category


def _unknown_category(issues: list[Issue], report: ImportReport, key: str) -> None:
    """A status category that gave no status is refused with its place, never guessed."""
    for issue in issues:
        if issue.category is None and issue.category_raw is not None:
            raw, place = issue.category_raw
            report.refuse(place, raw, "not a status category Jira writes in English (To Do, "
                          "In Progress, Done): map it, or the status names, under `values: "
                          "{status: {...}}` in the mapping file", "status", key)
            return


def _fields(record: dict[str, Any], head: Issue, mapping: ImportMapping, report: ImportReport,
            people: dict[str, Any]) -> None:
    if head.assignee_id:
        people.setdefault(head.assignee_id, {"id": head.assignee_id, **(
            {"name": head.assignee_name} if head.assignee_name else {})})
        record["project_manager"] = head.assignee_id
        report.map("Assignee Id", "project_manager")
    defaults = {**{n: "schedule.forecast_start" for n in START_FIELDS},
                **{n: "schedule.forecast_finish" for n in FINISH_FIELDS},
                "Resolved": "schedule.actual_finish", "resolutiondate": "schedule.actual_finish"}
    for name, (raw, place) in head.fields.items():
        target = mapping.target(name) or defaults.get(name)
        if raw in (None, "", []):
            continue
        if target is None:
            record.setdefault("custom", {})[name] = raw
            report.keep(name)
            continue
        if target in DATE_TARGETS and not (target.startswith("schedule.") and target.split(
                ".")[1] in record.get("schedule", {})):
            value = jira_date(str(raw))
            if isinstance(value, Bad):
                report.refuse(place, raw, value.reason, target, record["id"])
                continue
            raw = value.isoformat() if value else None
        elif target in DATE_TARGETS:
            continue
        place_value(record, target, raw, place, report, mapping, record["id"])


def _roll_up(record: dict[str, Any], members: list[Issue], head: Issue | None,
             report: ImportReport) -> None:
    """Dates missing on the project's own issue come from the issues below it."""
    schedule = record.setdefault("schedule", {})
    for target, names, pick in (("forecast_start", START_FIELDS, min),
                                ("forecast_finish", FINISH_FIELDS, max)):
        if target in schedule:
            continue
        dates = []
        for issue in members:
            for name in names:
                value = jira_date(str(issue.fields[name][0])) if issue.fields.get(
                    name, (None,))[0] else None
                if isinstance(value, dt.date):
                    dates.append(value)
                    break
        if dates:
            schedule[target] = pick(dates).isoformat()
            report.map(f"issues' {'start' if pick is min else 'due'} dates (rolled up)",
                       f"schedule.{target}")
    if not schedule:
        del record["schedule"]


def _dependencies(by_key: dict[str, Issue], owner: dict[str, str], mapping: ImportMapping,
                  report: ImportReport) -> list[dict[str, Any]]:
    links = {**DEFAULT_LINKS, **mapping.jira.get("dependency_links", {})}
    soft = set(mapping.jira.get("soft_links", []))
    out: dict[str, dict[str, Any]] = {}
    for issue in by_key.values():
        for name, direction, other, place in issue.links:
            spec = links.get(name) or ({"type": "FS", "kind": "soft", "predecessor": "outward"}
                                       if name in soft else None)
            if spec is None:
                report.links[f"`{name}` link (not a dependency type)"] += 1
                continue
            pred, succ = (issue.key, other) if direction == spec["predecessor"] else (
                other, issue.key)
            if pred not in owner or succ not in owner:
                missing = pred if pred not in owner else succ
                report.links["link to an issue not in the export"] += 1
                report.refuse(place, missing, f"`{name}` link to an issue not in the export "
                              "(or under no project)", "dependencies")
                continue
            a, b = owner[pred], owner[succ]
            if a == b:
                report.links["inside one project (not a portfolio dependency)"] += 1
                continue
            ident = f"{a}->{b}"
            if ident in out:
                report.links["same link seen again (both ends exported, or lifted)"] += 1
                continue
            record = {"id": ident, "predecessor": a, "successor": b, "type": spec["type"]}
            if spec.get("kind", "hard") != "hard":
                record["kind"] = spec["kind"]
            out[ident] = record
            report.links[f"`{name}` across projects"] += 1
    return list(out.values())


# ---------------------------------------------------------------- loaders

def read_csv(request: ImportRequest) -> dict[str, Any]:
    """Every Jira CSV source (an export split in several files is one export)."""
    issues = []
    for path in request.sources:
        request.report.source(str(path), "jira-csv")
        issues += read_csv_issues(path, request.mapping, request.report)
    return build(issues, request.mapping, request.report, request.sources)


def read_json(request: ImportRequest) -> dict[str, Any]:
    """Every /search response, with /field lists naming the custom fields."""
    for path in request.sources:
        request.report.source(str(path), "jira-json")
    return build(read_json_issues(request.sources, request.report), request.mapping,
                 request.report, request.sources)


LOADERS = [
    Loader("jira-csv", (".csv",), plain_loader("jira-csv"), "Jira CSV export", read=read_csv,
           sniff=sniff_csv),
    Loader("jira-json", (".json",), plain_loader("jira-json"),
           "Jira REST JSON (/search responses, /field lists)", read=read_json, sniff=sniff_json),
]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The Jira importers."""
    return LOADERS

