import hashlib
import json

from django.db import migrations, models


def _canonical_json(records: list[dict]) -> str:
    # published.canonical_json as it was when this migration was written.
    ordered = [{**r, "findings": sorted(r["findings"], key=lambda f: f["key"])} for r in sorted(records, key=lambda r: r["key"])]
    return json.dumps(ordered, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def records_to_text(apps, schema_editor):
    """Keep each version's evidence as the text its hash is taken of, where it hashes to the version's hash."""
    EvidenceVersion = apps.get_model("evidence", "EvidenceVersion")
    for version in EvidenceVersion.objects.exclude(records=[]):
        text = _canonical_json(version.records)
        if hashlib.sha256(text.encode()).hexdigest() == version.content_hash:
            version.evidence = text
            version.save(update_fields=["evidence"])


def text_to_records(apps, schema_editor):
    EvidenceVersion = apps.get_model("evidence", "EvidenceVersion")
    for version in EvidenceVersion.objects.exclude(evidence=""):
        version.records = json.loads(version.evidence)
        version.save(update_fields=["records"])


class Migration(migrations.Migration):
    """A version's evidence is kept as the canonical JSON text its content hash is taken of, so the first
    page after a publish checks it with one SHA-256 of the text instead of encoding every record again."""

    dependencies = [
        ("evidence", "0011_literature_searches"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidenceversion",
            name="evidence",
            field=models.TextField(
                blank=True,
                help_text="The published evidence of this version, as exported: the canonical JSON its content hash is taken of. "
                "The first page after a publish and the next version's changes are worked out from it.",
            ),
        ),
        migrations.RunPython(records_to_text, text_to_records),
        migrations.RemoveField(model_name="evidenceversion", name="records"),
    ]
