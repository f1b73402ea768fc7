"""The OS-limit plan is a pure function of the settings."""

from __future__ import annotations

from app.workers.lockdown import NOBODY, OsLimits, plan_os_limits


def test_plan_for_root_drops_to_nobody() -> None:
    plan = plan_os_limits(2048, 5.0, running_as_root=True)
    assert plan == OsLimits(
        address_space_bytes=2048 * 1024 * 1024,
        cpu_seconds_per_eval=7,
        file_size_bytes=0,
        open_files=64,
        processes=0,
        drop_to_uid=NOBODY,
        seccomp=True,
        eval_timeout_s=5.0,
    )


def test_plan_for_unprivileged_user_keeps_uid() -> None:
    plan = plan_os_limits(1024, 2.5, running_as_root=False, seccomp=False)
    assert plan.drop_to_uid is None
    assert plan.seccomp is False
    assert plan.address_space_bytes == 1024 * 1024 * 1024
    assert plan.cpu_seconds_per_eval == 4
    assert plan.eval_timeout_s == 2.5  # the worker sizes a light loop's second run by it
