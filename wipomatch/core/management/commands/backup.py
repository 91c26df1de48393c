"""`manage.py backup [--output PATH]`: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from wipomatch.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or a copy of the SQLite file) and every file under "
        "MEDIA_ROOT into one .tar.gz archive (default: var/backups/wipomatch-<time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="Path of the archive to write.")

    def handle(self, *args, output, **options):
        try:
            report = backup_create(path=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {report.path} ({report.bytes / 1e6:.1f} MB): {report.engine}, "
            f"{report.tables} tables, {report.rows} rows, {report.files} uploaded files."
        )
