from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cledss.evidence.evidence_file import SEED, EvidenceFileError, add_missing_studies, read
from cledss.evidence.versions import record_version


class Command(BaseCommand):
    help = (
        "Load an evidence file (the published seed by default), adding only studies not already present, "
        "so curators' edits are never overwritten. Records an evidence version if what clinicians see changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=SEED)

    def handle(self, *args, path, **options):
        try:
            added = add_missing_studies(read(path))
        except (EvidenceFileError, ValidationError, KeyError, TypeError) as error:
            raise CommandError(f"evidence not loaded: {error}") from error
        # Also versions evidence published before versions existed; a no-op when nothing changed.
        version = record_version(reason=f"loaded {path.name}")
        self.stdout.write(f"{len(added)} studies added from {path}")
        if version is not None:
            self.stdout.write(f"evidence version {version.label}")
