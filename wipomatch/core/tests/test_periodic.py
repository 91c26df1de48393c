import pytest
from django.core.management import CommandError, call_command

from wipomatch.core.periodic import JOBS


@pytest.mark.django_db
def test_run_periodic_runs_every_registered_job(capsys):
    call_command("run_periodic")
    out = capsys.readouterr().out
    for job in JOBS:
        assert f"{job.name}:" in out


@pytest.mark.django_db
def test_an_unknown_job_is_refused_with_the_known_names():
    with pytest.raises(CommandError, match="listings-expiry"):
        call_command("run_periodic", "--job", "nope")


@pytest.mark.django_db
def test_the_task_runs_a_job_in_the_worker():
    from wipomatch.core.tasks import run_periodic_job_task

    result = run_periodic_job_task.enqueue(name="listings-expiry")
    assert result.return_value == "0"
