"""The layout of docs/architecture.md, enforced: which app may import which.

Imports are read with `ast` from every module of every app (those inside functions too), tests
and migrations aside: tests may use any app's factories. A failure names the module, the line and
the rule it breaks; fix the import (or, if the design changed, docs/architecture.md and this
table together).
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "wipomatch"
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())
FOUNDATION = ("core", "reference")
DOMAIN = (
    "members",
    "listings",
    "tagging",
    "matching",
    "brokering",
    "messaging",
    "cooperation",
    "stories",
    "insights",
)

# app -> apps (or "app.package" prefixes) it must not import, beyond the rules below.
FORBIDDEN = {
    "members": (
        "listings",
        "tagging",
        "matching",
        "brokering",
        "cooperation",
        "stories",
        "insights",
    ),
    "listings": ("tagging", "brokering", "messaging", "cooperation", "stories", "insights"),
    "tagging": ("listings", "brokering", "messaging", "cooperation", "stories", "insights"),
    "matching": ("tagging", "brokering", "messaging", "cooperation", "stories", "insights"),
    "messaging": ("brokering", "cooperation", "stories", "insights"),
}
# Packages whose modules are pure Python: no Django, no DRF, no other part of the platform.
PURE = {"matching/engine": ("matching.engine",)}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(relative: Path, tree: ast.AST):
    """(line, absolute dotted module) of every import in the module."""
    package = ["wipomatch", *relative.parts[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            # `from wipomatch import listings` imports the app itself
            if module == "wipomatch":
                for alias in node.names:
                    yield node.lineno, f"wipomatch.{alias.name}"


def _platform_target(module: str) -> str | None:
    """ "listings.search" for "wipomatch.listings.search.cache"; None outside the platform."""
    parts = module.split(".")
    if parts[0] != "wipomatch" or len(parts) < 2:
        return None
    return ".".join(parts[1:])


def _violations() -> list[str]:
    found = []
    for relative, tree in _modules():
        app = relative.parts[0]
        if app not in APPS:
            continue
        path = "/".join(relative.parts)
        pure = [prefix for folder, prefix in PURE.items() if path.startswith(folder + "/")]
        for line, module in _imports(relative, tree):
            where = f"wipomatch/{path}:{line} imports {module}"
            if pure:
                top = module.split(".")[0]
                target = _platform_target(module)
                if top in ("django", "rest_framework") or (
                    target is not None and not target.startswith(pure[0])
                ):
                    found.append(f"{where}: the engine is pure Python")
                continue
            target = _platform_target(module)
            if target is None:
                continue
            other = target.split(".")[0]
            if other == app:
                continue
            if other == "web":
                found.append(f"{where}: only web imports web (it is the top)")
            elif app in FOUNDATION and other in (*DOMAIN, "api"):
                if not (app == "reference" and other == "api"):
                    found.append(f"{where}: {app} is the floor and imports no domain app")
            elif other == "insights" and app not in ("api", "web"):
                found.append(f"{where}: nothing but api and web reads insights")
            elif any(
                target == banned or target.startswith(banned + ".")
                for banned in FORBIDDEN.get(app, ())
            ):
                found.append(f"{where}: {app} must not import {other}")
            elif (
                app == "listings"
                and other == "matching"
                and not target.startswith("matching.engine")
            ):
                found.append(f"{where}: listings uses only the pure engine of matching")
    return found


def test_every_app_imports_only_what_docs_architecture_allows():
    assert _violations() == []


def test_every_app_is_described_in_docs_architecture():
    text = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [app for app in APPS if f"### `{app}`" not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("path", "source", "broken"),
    [
        ("matching/engine/x.py", "from django.db import models", "pure Python"),
        ("matching/engine/x.py", "from wipomatch.listings import models", "pure Python"),
        ("listings/x.py", "from wipomatch.web import views", "only web imports web"),
        ("core/x.py", "from wipomatch.members.models import User", "the floor"),
        ("reference/x.py", "from ..listings.models import Listing", "the floor"),
        ("messaging/x.py", "from wipomatch.brokering import services", "must not import"),
        ("members/x.py", "from wipomatch import listings", "must not import"),
        ("listings/x.py", "from wipomatch.matching.services import x", "only the pure engine"),
        ("stories/x.py", "from wipomatch.insights import selectors", "reads insights"),
    ],
)
def test_the_rules_catch_a_forbidden_import(monkeypatch, path, source, broken):
    """Each rule fails on an import that breaks it (the check itself can fail)."""
    fake = (Path(path), ast.parse(source))
    monkeypatch.setattr(sys.modules[__name__], "_modules", lambda: iter([fake]))
    assert any(broken in v for v in _violations()), _violations()
