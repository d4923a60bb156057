"""Two writes that race (issue #32): the same report submitted twice at once, one payment
allocated twice at once. On SQLite as on PostgreSQL the second waits for the first and then
refuses cleanly; neither ends in "database is locked" (a 503 to the person), and the work is
done once. Real processes over a deployment's own database (a SQLite file, or PostgreSQL)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from ccm.tests.deployment import Deployment


def phase(deployment: Deployment, scenario: str, name: str) -> str:
    process = deployment.python("-m", "ccm.tests.races", scenario, name)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"{scenario} {name}:\n{out}\n{err}"
    return out


def wait_for(condition: object, what: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            raise AssertionError(f"ended before {what}:\n{process.communicate()}")
        assert time.monotonic() < deadline, f"never reached {what}"
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("scenario", "done", "refusal"),
    [
        ("submission", "submitted: version 1", "refused: another version was submitted"),
        ("allocation", "allocated:", "refused: allocate more than zero and at most 0.00 CHF"),
    ],
)
def test_the_second_of_two_racing_writes_waits_then_refuses_cleanly(
    deployment: Deployment, scenario: str, done: str, refusal: str, tmp_path: Path
) -> None:
    phase(deployment, scenario, "setup")
    marker, go = tmp_path / "holding", tmp_path / "go"
    first = deployment.python("-m", "ccm.tests.races", scenario, "first", str(marker), str(go))
    wait_for(marker.exists, "the first's transaction", first)
    second = deployment.python("-m", "ccm.tests.races", scenario, "second")
    assert second.stdout is not None
    assert second.stdout.readline().strip() == "ready", second.communicate()
    time.sleep(1.0)  # the second is at its transaction's start now, behind the first's lock
    assert second.poll() is None, f"the second did not wait: {second.communicate()}"
    go.touch()
    first_out, first_err = first.communicate(timeout=120)
    second_out, second_err = second.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err  # a traceback ("database is locked") fails here
    # The last line is the scenario's own (the receipt e-mail may be printed before it).
    assert first_out.strip().splitlines()[-1].startswith(done), first_out
    assert second_out.strip().splitlines()[-1].startswith(refusal), second_out
    assert "locked" not in second_err
    print(phase(deployment, scenario, "check"))
