"""What cledss keeps from CDS Hooks: card feedback, with no patient data at all."""

from django.db import models
from django.utils import timezone


class CardFeedback(models.Model):
    """One clinician's response to one card, as the EHR reported it.

    Only the card's uuid, the service, the outcome and a coded override reason are kept:
    no patient, user or encounter id and no free-text comment, which could name someone.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    card = models.UUIDField()
    service = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    override_reason = models.CharField(max_length=64, blank=True, help_text="The reason's code, never its free text.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name_plural = "card feedback"

    def __str__(self):
        return f"{self.service}: {self.outcome}"
