"""Hypothesis profiles: ``ci`` unless ``HYPOTHESIS_PROFILE`` names another; ``make fuzz`` runs ``fuzz``.

``ci`` is what ``make test`` runs: derandomized, so a red run is red again on another machine,
and Hypothesis's own 100 examples, so the other property tests keep their strength while the
fuzzing tests stay within about half a minute. ``fuzz`` is random and long: each run explores
new inputs, and a failing example is saved in ``.hypothesis/`` and tried first next time.
No deadline in either: a PDF takes about half a second to render on a shared machine.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=1_500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
