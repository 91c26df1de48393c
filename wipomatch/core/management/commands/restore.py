"""`manage.py restore ARCHIVE [--replace]`: put a backup back, then check it."""

from django.core.management.base import BaseCommand, CommandError

from wipomatch.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and MEDIA_ROOT "
        "(--replace drops what is there first), then check every table's row count and every "
        "file's checksum against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the .tar.gz archive.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop the database's tables and the files under MEDIA_ROOT before restoring.",
        )

    def handle(self, *args, archive, replace, **options):
        try:
            report = backup_restore(path=archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {report.path}: {report.tables} tables, {report.rows} rows and "
            f"{report.files} uploaded files, all as they were in the backup."
        )
