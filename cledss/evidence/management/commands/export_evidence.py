from pathlib import Path

from django.core.management.base import BaseCommand

from cledss.evidence.evidence_file import dumps, export_document


class Command(BaseCommand):
    help = "Write the whole published evidence base as one versioned JSON file (to standard output with '-')."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="Where to write the file; '-' (the default) for standard output.")

    def handle(self, *args, path, **options):
        document = export_document()
        text = dumps(document)
        if path == "-":
            self.stdout.write(text, ending="")
            return
        Path(path).write_text(text, encoding="utf-8")
        version = document["evidence_version"]
        self.stderr.write(f"{len(document['studies'])} studies written to {path} (evidence version {version['number']}, sha {version['content_hash'][:12]})")
