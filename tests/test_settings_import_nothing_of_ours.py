"""The project's settings and gunicorn's configuration are plain values: they import none of cledss's apps.

Configuration that needs the apps' code is checked by the apps themselves, where Django checks
configuration (cledss/interop/checks.py); settings that imported an app's module would run it before
Django is ready, and gunicorn's configuration would load the app in its master process.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, anywhere in it; a relative import counts as the package's own."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("cledss" if node.level else node.module)
    return modules


@pytest.mark.parametrize("configuration", ["cledss/settings.py", "cledss/gunicorn_conf.py"])
def test_the_configuration_imports_no_module_of_ours(configuration):
    ours = {module for module in imported_modules(ROOT / configuration) if module.split(".")[0] in ("cledss", "bench")}
    assert ours == set()


def test_the_check_sees_an_import_of_ours_however_it_is_written(tmp_path):
    source = tmp_path / "settings.py"
    source.write_text("import os\nfrom .interop import checks\nimport cledss.urls\nfrom django.conf import settings\n")
    assert imported_modules(source) == {"os", "cledss", "cledss.urls", "django.conf"}
