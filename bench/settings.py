"""cledss's settings with the bench's URLs (bench/urls.py: the app's own plus one trivial view).

bench/speed.py serves the app with DJANGO_SETTINGS_MODULE=bench.settings; a hook only a bench needs
stays out of the settings a hospital runs.
"""

from cledss.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
