"""The house plan (ARCHITECTURE.md) holds: import-linter checks the contracts
in pyproject.toml — rooms import only leftwards, the app touches no SQL,
analysis draws nothing, anonymize and classify know nothing of the store."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=300)


def test_every_room_keeps_to_the_house_plan():
    result = lint_imports()
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 kept, 0 broken" in result.stdout


def test_a_broken_contract_is_caught(tmp_path):
    """The checker reads the real import graph: the store does use SQLAlchemy."""
    config = tmp_path / "contracts.ini"
    config.write_text("[importlinter]\nroot_packages =\n    research\ninclude_external_packages = True\n\n"
                      "[importlinter:contract:store-without-sql]\nname = The store without SQL\ntype = forbidden\n"
                      "source_modules =\n    research.store\nforbidden_modules =\n    sqlalchemy\n")
    result = lint_imports("--config", str(config))
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and "research.store" in result.stdout
