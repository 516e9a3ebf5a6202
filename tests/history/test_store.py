"""The run store on SQLite and on PostgreSQL: what a recorded run holds, finding ages,
the schema and its versions, and diagnostics for stores that cannot be used."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.engine.report import Report
from pmo_rules.history.locate import DEFAULT_STORE, parse_store, resolve_store
from pmo_rules.history.migrate import SCRIPTS, upgrade_schema
from pmo_rules.history.store import Store
from pmo_rules.history.tables import SCHEMA_REVISION, metadata
from tests.history.conftest import FIXTURES
from tests.history.helpers import invoke


def fixture_report(month: str, as_of: dt.date | None = None) -> Report:
    """A check of one month of the fixture portfolio (optionally as of another date)."""
    return api.check(api.load_portfolio(FIXTURES / f"{month}.yaml", as_of=as_of),
                     api.load_policies([FIXTURES / "policy.pmo"]),
                     waivers=FIXTURES / "waivers.yaml", as_of=as_of)


def opened(url: str) -> Store:
    return Store.open(parse_store(url), create=True)


def codes(exc: pytest.ExceptionInfo[DiagnosticError]) -> list[str]:
    return [d.code for d in exc.value.diagnostics]


def test_a_recorded_run_reads_back_whole(store_url: str) -> None:
    report = fixture_report("october")
    with opened(store_url) as store:
        run_id = store.record(report, {"fail_on": None, "policy": ["policy.pmo"]})
        info = store.run(run_id)
        snap = store.snapshot(run_id)
    summary = report.summary()
    assert (info.portfolio, info.as_of) == ("PF-H", dt.date(2026, 10, 31))
    assert (info.failed, info.waived, info.blocking, info.score) == (
        summary["fail"], summary["waived"], summary["blocking"], summary["score"])
    assert info.exit_code == report.exit_code == 1
    assert info.settings == {"fail_on": None, "policy": ["policy.pmo"]}
    assert info.policy_names() == ["monthly 1.0.0"]
    assert len(info.input_hash) == len(info.policy_hash) == 64
    assert info.recorded_at.tzinfo is not None
    # Every finding, keyed by rule and subject, with its evidence kept as data.
    expected = {(f.rule.id, f.subject.kind, f.subject.id): f for f in report.findings}
    assert set(snap.items) == set(expected)
    for key, item in snap.items.items():
        f = expected[key]
        assert (item.status, item.message, item.blocking) == (f.status, f.message, f.blocking)
        assert item.evidence == [e.to_dict() for e in f.evidence]
        assert item.first_seen == dt.date(2026, 10, 31)
    assert {w.status for w in snap.waivers} == {"applied", "stale"}
    assert snap.program_scores == report.score_table()["program"]
    assert set(snap.family_scores) == {"DEP", "DOC", "FIN", "LC", "PF", "SCH"}
    assert snap.rules["FIN-004"].failed == report.counts["FIN-004"].failed


def test_a_run_whose_rules_could_not_be_evaluated(store_url: str, workdir: Path) -> None:
    # Every rule runs out of its step budget: errors only, and no score ("n/a").
    report = api.check(api.load_portfolio(FIXTURES / "october.yaml"),
                       api.load_policies([FIXTURES / "policy.pmo"]),
                       waivers=FIXTURES / "waivers.yaml", max_steps=1)
    assert report.summary()["score"] is None and report.exit_code == 3
    with opened(store_url) as store:
        info = store.run(store.record(report))
        store.record(fixture_report("november"))
    assert (info.score, info.errors, info.exit_code) == (None, 6, 3)
    for args in (("history",), ("trend",), ("diff",), ("diff", "--format", "markdown")):
        code, _, err = invoke(*args, "--store", store_url)
        assert code == 0, err
    assert "—" in invoke("history", "--store", store_url)[1]  # no score to show


def test_input_hash_follows_content_not_path(tmp_path: Path) -> None:
    moved = tmp_path / "renamed.yaml"
    shutil.copy(FIXTURES / "october.yaml", moved)
    other = api.check(api.load_portfolio(moved), api.load_policies([FIXTURES / "policy.pmo"]),
                      waivers=FIXTURES / "waivers.yaml")
    with opened(str(tmp_path / "h.db")) as store:
        a = store.run(store.record(fixture_report("october")))
        b = store.run(store.record(other))
        c = store.run(store.record(fixture_report("november")))
    assert a.input_hash == b.input_hash != c.input_hash
    assert a.policy_hash == b.policy_hash == c.policy_hash


def test_age_runs_from_the_first_run_of_an_unbroken_series(store_url: str) -> None:
    with opened(store_url) as store:
        ids = [store.record(fixture_report(m)) for m in ("september", "october", "november")]
        # P-1's overspend since September is resolved in November; P-3's slip persists.
        sep, octo, nov = (store.snapshot(i) for i in ids)
        # December's export has P-1 over budget again.
        december = dt.date(2026, 12, 31)
        reopened = store.snapshot(store.record(fixture_report("october", december)))
    key = ("SCH-002", "project", "P-3")
    assert sep.items[key].first_seen == octo.items[key].first_seen == nov.items[key].first_seen
    assert nov.items[key].first_seen == dt.date(2026, 9, 30)
    new_in_october = ("SCH-002", "project", "P-5")
    assert octo.items[new_in_october].first_seen == dt.date(2026, 10, 31)
    resolved = ("FIN-004", "project", "P-1")
    assert resolved in octo.items and resolved not in nov.items
    # Failing again after it was resolved, its age restarts: the series was broken.
    assert reopened.items[resolved].first_seen == dt.date(2026, 12, 31)
    assert reopened.items[key].first_seen == dt.date(2026, 9, 30)


def test_runs_filter_by_portfolio_and_date(store_url: str) -> None:
    with opened(store_url) as store:
        for month in ("september", "october", "november"):
            store.record(fixture_report(month))
        assert [r.as_of.month for r in store.runs()] == [9, 10, 11]
        assert [r.as_of.month for r in store.runs(since=dt.date(2026, 10, 1))] == [10, 11]
        assert [r.as_of.month for r in store.runs(until=dt.date(2026, 10, 31))] == [9, 10]
        assert [r.as_of.month for r in store.runs(limit=2)] == [10, 11]
        assert store.runs(portfolio="PF-X") == []
        assert store.portfolios() == ["PF-H"]
        with pytest.raises(DiagnosticError) as exc:
            store.choose_portfolio("PF-h")
        assert codes(exc) == ["PMO908"] and "did you mean `PF-H`" in str(
            exc.value.diagnostics[0].help)
        with pytest.raises(DiagnosticError) as exc:
            store.run(99)
        assert codes(exc) == ["PMO907"]


def test_the_migrated_schema_is_the_one_the_code_uses(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with opened(store_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "pmo_schema_version"})
        assert compare_metadata(context, metadata) == []
        assert store.revision() == SCHEMA_REVISION


def test_schema_revision_is_the_scripts_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


NEXT_REVISION = '''"""A later schema (test only).

Revision ID: 9999
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pmo_runs", sa.Column("label", sa.Text))


def downgrade() -> None:
    op.drop_column("pmo_runs", "label")
'''


@pytest.fixture
def later_scripts(tmp_path: Path) -> Path:
    """The shipped migrations plus one more: the scripts of a newer pmo-rules."""
    scripts = tmp_path / "scripts"
    shutil.copytree(SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_later.py").write_text(
        NEXT_REVISION.format(head=SCHEMA_REVISION), encoding="utf-8")
    return scripts


def test_a_store_newer_than_the_code_is_refused(store_url: str, later_scripts: Path) -> None:
    location = parse_store(store_url)
    opened(store_url).close()
    store = Store.open(location)
    upgrade_schema(store.engine, scripts=later_scripts)  # as a newer pmo-rules would
    store.close()
    with pytest.raises(DiagnosticError) as exc:
        Store.open(location)
    assert codes(exc) == ["PMO905"]
    message = exc.value.diagnostics[0].message
    assert "newer pmo-rules" in message and "9999" in message
    assert "pip install -U pmo-rules" in str(exc.value.diagnostics[0].help)


def test_a_store_older_than_the_code_says_how_to_upgrade(
    store_url: str, later_scripts: Path,
) -> None:
    from pmo_rules.history.engine import create_store_engine
    from pmo_rules.history.migrate import ensure_schema

    location = parse_store(store_url)
    opened(store_url).close()  # at this code's head: older than `later_scripts`' head
    engine = create_store_engine(location)
    try:
        with pytest.raises(DiagnosticError) as exc:
            ensure_schema(engine, location, create=False, scripts=later_scripts)
        assert codes(exc) == ["PMO904"]
        assert "pmo-rules store upgrade --store" in str(exc.value.diagnostics[0].help)
        assert upgrade_schema(engine, scripts=later_scripts) == (SCHEMA_REVISION, "9999")
        ensure_schema(engine, location, create=False, scripts=later_scripts)  # now current
    finally:
        engine.dispose()


def test_a_store_of_the_first_schema_upgrades_with_its_data(
    workdir: Path, store_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import insert, select

    from pmo_rules.history.engine import create_store_engine, write_transaction
    from pmo_rules.history.migrate import _config
    from pmo_rules.history.tables import results, runs

    location = parse_store(store_url)
    if location.path is not None:
        location.path.parent.mkdir(parents=True)
    engine = create_store_engine(location)
    config = _config(SCRIPTS)
    with write_transaction(engine) as conn:  # a store written by the first release
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        run = {c.name: 0 for c in runs.columns if c.name not in ("id", "open_median_age")}
        run.update(recorded_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
                   as_of=dt.date(2026, 11, 30), portfolio="PF-H", tool_version="0.1.0",
                   input_hash="", policy_hash="", inputs={}, policies=[], settings={},
                   score=0.5)
        conn.execute(insert(runs).values(id=1, **run))  # the columns 0001 has
        for n, seen in enumerate((dt.date(2026, 11, 30), dt.date(2026, 9, 30),
                                  dt.date(2026, 10, 31))):
            conn.execute(insert(results).values(
                run_id=1, rule="R-1", subject_kind="project", subject_id=f"P-{n}",
                status="fail", severity="high", enforcement="soft", blocking=True,
                message="", first_seen=seen, evidence=[]))
    engine.dispose()
    code, _, err = invoke("history", "--store", store_url)
    assert code == 2 and "PMO904" in err and "older schema (0001)" in err
    code, out, err = invoke("store", "upgrade", "--store", store_url)
    assert code == 0 and f"upgraded from schema 0001 to {SCHEMA_REVISION}" in out, err
    with opened(store_url) as store, store.engine.connect() as conn:
        median = conn.execute(select(runs.c.open_median_age)).scalar_one()
        assert median == 30.0  # ages 0, 61 and 30 days
    code, out, err = invoke("trend", "--store", store_url, "--format", "json")
    assert code == 0, err


def test_store_info_and_upgrade_commands(workdir: Path, store_url: str) -> None:
    code, out, err = invoke("store", "upgrade", "--store", store_url)
    if parse_store(store_url).is_sqlite:
        assert code == 2 and "PMO906" in err  # no such file: nothing to upgrade
        opened(store_url).close()
        code, out, err = invoke("store", "upgrade", "--store", store_url)
    assert code == 0, err
    code, out, _ = invoke("store", "upgrade", "--store", store_url)
    assert code == 0 and f"already at schema {SCHEMA_REVISION}" in out
    with opened(store_url) as store:
        store.record(fixture_report("october"))
    code, out, _ = invoke("store", "info", "--store", store_url)
    assert code == 0 and f"schema: {SCHEMA_REVISION}" in out and "PF-H: 1" in out


def test_reading_a_missing_store_creates_nothing(workdir: Path) -> None:
    code, _, err = invoke("history")
    assert code == 2 and "PMO906" in err and "--record" in err
    assert not (workdir / DEFAULT_STORE).exists() and not (workdir / ".pmo-rules").exists()


@pytest.mark.parametrize(("where", "code_"), [
    ("mysql://u@h/db", "PMO901"),
    ("sqlite://", "PMO901"),
    ("postgresql://nobody@127.0.0.1:1/none", "PMO902"),
])
def test_stores_that_cannot_be_used_are_diagnostics(
    workdir: Path, where: str, code_: str,
) -> None:
    code, out, err = invoke("history", "--store", where)
    assert code == 2 and code_ in err and "Traceback" not in err + out


def test_a_password_never_appears_in_a_diagnostic(workdir: Path) -> None:
    code, _, err = invoke("history", "--store", "postgresql://me:s3cret@127.0.0.1:1/db")
    assert code == 2 and "s3cret" not in err and "me:***@127.0.0.1:1" in err


def test_a_postgres_store_without_its_driver(
    workdir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    code, _, err = invoke("history", "--store", "postgresql://u@localhost/db")
    assert code == 2 and "PMO903" in err and 'pip install "pmo-rules[postgres]"' in err


def test_an_unwritable_store_directory(workdir: Path) -> None:
    (workdir / "blocked").write_text("a file, not a directory", encoding="utf-8")
    code, _, err = invoke("check", str(FIXTURES / "october.yaml"), "--policy",
                          str(FIXTURES / "policy.pmo"), "--record", "--store",
                          "blocked/history.db")
    assert code == 2 and "PMO902" in err and "blocked/history.db" in err


def test_store_comes_from_option_then_setting_then_default(tmp_path: Path) -> None:
    assert resolve_store(None, {}).path == DEFAULT_STORE
    assert resolve_store(None, {"store": "team.db"}).path == Path("team.db")
    assert resolve_store("mine.db", {"store": "team.db"}).path == Path("mine.db")
    pg = resolve_store(None, {"store": "postgresql://u@db.example/pmo"})
    assert pg.path is None and pg.url.startswith("postgresql+psycopg://")
    assert parse_store("sqlite:///x/h.db").path == Path("x/h.db")


def test_the_store_setting_is_read(workdir: Path) -> None:
    (workdir / "pmo-rules.toml").write_text('store = "team/history.db"\n', encoding="utf-8")
    code, _, err = invoke("check", str(FIXTURES / "october.yaml"), "--policy",
                          str(FIXTURES / "policy.pmo"), "--record", "--format", "json")
    assert code == 1, err
    assert (workdir / "team" / "history.db").is_file()
    (workdir / "pmo-rules.toml").write_text("store = 5\n", encoding="utf-8")
    code, _, err = invoke("history")
    assert code == 2 and "PMO703" in err


def test_a_plain_check_never_imports_sqlalchemy() -> None:
    script = (
        "import sys, contextlib, io\n"
        "from pmo_rules.cli import main\n"
        f"args = ['check', r'{FIXTURES / 'october.yaml'}', '--policy', "
        f"r'{FIXTURES / 'policy.pmo'}', '--format', 'json']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
