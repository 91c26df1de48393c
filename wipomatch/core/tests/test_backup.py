"""A backup restores into an empty PostgreSQL database with every row and every uploaded file
as it was (`manage.py backup`, `manage.py restore`). Runs in the PostgreSQL pass of `.ci/run`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from wipomatch.core.backup import BackupError, backup_restore
from wipomatch.listings.models import Status
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
# Every table's rows, in a stable order, as one digest: equal digests mean equal rows.
DIGESTS = """
import json
from django.db import connection
from wipomatch.core.backup import row_counts
out = {}
with connection.cursor() as cursor:
    for table in row_counts():
        q = connection.ops.quote_name(table)
        cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {q} t")
        out[table] = list(cursor.fetchone())
print(json.dumps(out))
"""


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _manage(env: dict, *argv: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *argv],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _digests(env: dict) -> dict:
    return json.loads(_manage(env, "shell", "-c", DIGESTS).strip().splitlines()[-1])


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_file_into_an_empty_database(
    empty_database, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    (media / "stories" / "2026").mkdir(parents=True)
    (media / "stories" / "2026" / "photo.jpg").write_bytes(bytes(range(256)) * 40)
    (media / "insights" / "report.pdf").parent.mkdir()
    (media / "insights" / "report.pdf").write_bytes(b"%PDF-1.7 report")
    call_command("load_reference", verbosity=0)  # a transactional test starts from empty tables
    facilitator = FacilitatorFactory()
    MembershipFactory()
    for _ in range(3):
        NeedFactory(status=Status.PUBLISHED, facilitator=facilitator, countries=["KE"])
        OfferFactory(status=Status.PUBLISHED, facilitator=facilitator)
    NeedFactory(status=Status.DRAFT)

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = _digests({"DATABASE_URL": _url(connection.settings_dict["NAME"])})
    assert source["listings_listing"][0] == 7

    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": _url(empty_database), "WIPOMATCH_MEDIA_ROOT": str(restored_media)}
    out = _manage(env, "restore", str(archive))
    assert "all as they were" in out
    assert _digests(env) == source
    for path in ("stories/2026/photo.jpg", "insights/report.pdf"):
        assert (restored_media / path).read_bytes() == (media / path).read_bytes()

    # a second restore into the now full database is refused, unless told to replace
    with pytest.raises(subprocess.CalledProcessError):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
            capture_output=True,
            check=True,
            timeout=300,
        )
    assert "all as they were" in _manage(env, "restore", "--replace", str(archive))


def test_a_restore_refuses_what_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "x.tar.gz"
    import tarfile

    with tarfile.open(not_a_backup, "w:gz") as archive:
        (tmp_path / "a.txt").write_text("a")
        archive.add(tmp_path / "a.txt", arcname="a.txt")
    with pytest.raises(BackupError, match="no manifest"):
        backup_restore(path=not_a_backup, replace=True)
