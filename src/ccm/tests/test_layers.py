"""The house has one direction of dependencies (README, "Layout"):

    core  <-  registry  <-  accounts  <-  the domain apps (reports, compliance, ...)

No app imports one above it, in its code or its tests; a domain app uses another only through
its `selectors`, `services` and `choices` (its tests also through `tests.factories`), and domain
apps never import one another both ways. Templates follow the same rule. Project-level modules
(settings, urls, the root conftest, these tests) assemble the apps and may import any of them.
Imports under `if TYPE_CHECKING:` are annotations only, not dependencies, and are not counted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # src/ccm
LAYERS = {
    "core": 0,
    "registry": 1,
    "accounts": 2,
    "reports": 3,
    "compliance": 3,
    "meetings": 3,
    "participation": 3,
    "finance": 3,
    "outreach": 3,
}
DOMAIN = 3
PEER_ROOMS = {"selectors", "services", "choices"}
PEER_TEST_ROOMS = PEER_ROOMS | {"tests.factories"}
# Template folders that belong to the project, not to an app.
PROJECT_TEMPLATES = {"base.html", "errors", "admin", "allauth", "account", "mfa", "404.html"}


def _apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `ccm.*` module the file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ccm.")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if not base.startswith("ccm"):
                continue
            for alias in node.names:  # `from ccm.reports import services` imports a module
                found.append(
                    (node.lineno, f"{base}.{alias.name}" if base.count(".") == 1 else base)
                )
    return found


def violations(app: str, path: Path, module: str) -> str | None:
    parts = module.split(".")
    target = parts[1] if len(parts) > 1 else ""
    if target not in LAYERS or target == app:
        return None  # the project (settings, conftest...) is checked below; its own app is fine
    mine, theirs = LAYERS[app], LAYERS[target]
    if theirs > mine:
        return f"{app} imports {module}, which is above it"
    if theirs == mine == DOMAIN:
        room = ".".join(parts[2:4]) if parts[2:3] == ["tests"] else ".".join(parts[2:3])
        rooms = PEER_TEST_ROOMS if "tests" in path.relative_to(ROOT).parts else PEER_ROOMS
        if room not in rooms:
            return f"{app} imports {module}: another domain app only through {sorted(rooms)}"
    return None


def test_every_app_has_its_place_in_the_layers() -> None:
    assert set(_apps()) == set(LAYERS), "place each new app in LAYERS (and in the README)"


def test_no_app_imports_one_above_it_and_domain_apps_meet_through_selectors_and_services() -> None:
    problems = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module in imports_of(path):
                if module in ("ccm.conftest",) or module.startswith("ccm.tests"):
                    problems.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
                problem = violations(app, path, module)
                if problem:
                    problems.append(f"{path.relative_to(ROOT)}:{line}: {problem}")
    assert not problems, "\n".join(problems)


def test_domain_apps_never_depend_on_each_other_both_ways() -> None:
    uses: dict[str, set[str]] = {a: set() for a in LAYERS if LAYERS[a] == DOMAIN}
    for app in uses:
        for path in (ROOT / app).rglob("*.py"):
            for _, module in imports_of(path):
                target = module.split(".")[1] if module.count(".") else ""
                if target in uses and target != app:
                    uses[app].add(target)
    both = sorted(f"{a} <-> {b}" for a in uses for b in uses[a] if a in uses[b] and a < b)
    assert not both, both


TEMPLATE_REF = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"'/]+)[/"']""")


def test_templates_follow_the_same_direction() -> None:
    problems = []
    for app in LAYERS:
        for path in (ROOT / app / "templates").rglob("*.html"):
            for folder in TEMPLATE_REF.findall(path.read_text(encoding="utf-8")):
                if folder in PROJECT_TEMPLATES or folder == app:
                    continue
                if folder not in LAYERS or LAYERS[folder] > LAYERS[app]:
                    problems.append(f"{path.relative_to(ROOT)} uses {folder}/ templates")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("app", "module", "refused"),
    [
        ("registry", "ccm.compliance.selectors", True),  # up
        ("core", "ccm.registry.models", True),
        ("accounts", "ccm.registry.models", False),  # down
        ("compliance", "ccm.reports.selectors", False),  # a peer, through its selectors
        ("compliance", "ccm.reports.models", True),  # a peer's models
    ],
)
def test_the_rule_itself(app: str, module: str, refused: bool) -> None:
    """The checker catches what it must (a check that cannot fail would prove nothing)."""
    path = ROOT / app / "views.py"
    assert (violations(app, path, module) is not None) is refused
