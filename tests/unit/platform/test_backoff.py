"""When the local stack's supervisor starts a process again after it exits."""

from __future__ import annotations

from scripts.supervisor import Backoff, describe_exit


def test_restarts_back_off_by_doubling_up_to_the_cap_and_never_give_up():
    backoff = Backoff()
    failures, delays = 0, []
    for _ in range(10):
        failures = backoff.failures(failures, ran_s=0.5)
        delays.append(backoff.delay(failures))
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30, 30, 30]


def test_a_process_that_ran_well_before_it_exited_restarts_after_the_first_delay_again():
    backoff = Backoff()
    failures = 0
    for _ in range(5):
        failures = backoff.failures(failures, ran_s=2)
    assert backoff.delay(failures) == 16
    failures = backoff.failures(failures, ran_s=backoff.healthy_after_s)
    assert failures == 1 and backoff.delay(failures) == 1
    # Just short of running well still counts as one more exit in a row.
    assert backoff.failures(1, ran_s=backoff.healthy_after_s - 0.1) == 2


def test_other_settings_follow_the_same_rule():
    backoff = Backoff(first_s=0.5, factor=3, cap_s=10)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.5, 4.5, 10, 10]


def test_the_log_names_the_exit_code_and_the_signal():
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-9) == "exit code -9, killed by SIGKILL"
