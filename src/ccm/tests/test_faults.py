"""A process killed (SIGKILL) in the middle of a report submission, an import, an invoice
batch or an invitation batch leaves nothing partial, and the work done again completes once
(issue #16). The processes are real: `ccm.tests.faults` runs each piece of work until it stops
inside its transaction, and the test kills it there."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ccm.tests.deployment import Deployment


def phase(deployment: Deployment, scenario: str, name: str) -> str:
    process = deployment.python("-m", "ccm.tests.faults", scenario, name)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"{scenario} {name}:\n{out}\n{err}"
    return out


@pytest.mark.parametrize("scenario", ["submission", "import", "invoices", "invitations"])
def test_work_killed_midway_leaves_nothing_partial(
    deployment: Deployment, scenario: str, tmp_path: Path
) -> None:
    phase(deployment, scenario, "setup")
    marker = tmp_path / "paused"
    process = deployment.python("-m", "ccm.tests.faults", scenario, "run", str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"{scenario} ended before its pause:\n{process.communicate()}")
        assert time.monotonic() < deadline, f"{scenario} never reached its pause"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    print(phase(deployment, scenario, "check"))
