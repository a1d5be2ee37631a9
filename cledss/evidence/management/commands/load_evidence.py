from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cledss.evidence.evidence_file import SEED, EvidenceFileError, load_seed, read
from cledss.evidence.versions import record_version

NOT_LOADED = "evidence not loaded, nothing changed: {error}"
KEPT = "kept curator's version of {label}"
SUMMARY = "{added} added, {updated} updated, {retracted} retracted, {kept} kept (changed by curators)"
VERSION = "evidence version {label}"
NO_VERSION = "no evidence version: nothing is published"


class Command(BaseCommand):
    help = (
        "Load an evidence file (the published seed by default): add new studies and findings, update and "
        "retract what the loader wrote and nobody changed since, and keep every curator's change. "
        "Records an evidence version if what clinicians see changed; on any error nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=SEED)

    def handle(self, *args, path, **options):
        try:
            with transaction.atomic():
                result = load_seed(read(path))
                summary = SUMMARY.format(
                    added=result.added, updated=result.updated, retracted=result.retracted, kept=len(result.kept)
                )
                # Also versions evidence published before versions existed; a no-op when nothing changed.
                version = record_version(reason=f"loaded {path.name}: {summary}")
        except (EvidenceFileError, ValidationError, KeyError, TypeError) as error:
            raise CommandError(NOT_LOADED.format(error=error)) from error
        for label in result.kept:
            self.stdout.write(KEPT.format(label=label))
        self.stdout.write(f"{path}: {summary}")
        self.stdout.write(VERSION.format(label=version.label) if version else NO_VERSION)
