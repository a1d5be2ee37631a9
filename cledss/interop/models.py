"""What cledss keeps from CDS Hooks: card feedback, with no patient data at all."""

from django.db import models
from django.utils import timezone


class CardFeedback(models.Model):
    """One clinician's response to one card, as the EHR reported it.

    Only the card's uuid, the service, the outcome and a coded override reason (code and system) are kept:
    no patient, user or encounter id and no free-text comment, which could name someone.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    card = models.UUIDField()
    service = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    override_reason = models.CharField(max_length=64, blank=True, help_text="The reason's code, never its free text.")
    override_system = models.CharField(
        max_length=200, blank=True, help_text="The reason's code system: cledss's own, or one the EHR added."
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name_plural = "card feedback"

    def __str__(self):
        return f"{self.service}: {self.outcome}"


class SeenToken(models.Model):
    """A CDS Hooks JWT already accepted, kept until it expires so that it is accepted only once.

    In the database, not in a worker's memory, so a token replayed to another worker or another app
    server is refused too. The key is a hash of the issuer and the token's ``jti``: never the token.
    """

    key = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"token {self.key[:12]}… until {self.expires_at:%Y-%m-%d %H:%M:%S}"
