from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cledss.evidence.evidence_file import EvidenceFileError, import_published, read_document


class Command(BaseCommand):
    help = (
        "Make the published evidence base exactly that of an exported file. Every row is validated; "
        "published rows the file does not hold are retracted, not deleted; on any error nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--replace-newer",
            action="store_true",
            help="Import a file exported before the latest version published here, replacing that version's changes.",
        )

    def handle(self, *args, path, replace_newer, **options):
        try:
            result = import_published(read_document(path), source=path.name, replace_newer=replace_newer)
        except (EvidenceFileError, ValidationError, KeyError, TypeError) as error:
            raise CommandError(f"evidence not imported, nothing changed: {error}") from error
        version = result.version.label if result.version else "none"
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.retracted} retracted; evidence version {version}"
        )
