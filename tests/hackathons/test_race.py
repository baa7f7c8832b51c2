"""Ten people follow one team's invitation link at the same instant, each in a thread with
its own connection and transaction: the row lock on the team (PostgreSQL) or the
IMMEDIATE transactions (SQLite) let exactly the places left through, the others are
told the team is full, and nothing else fails."""

import threading

import pytest
from django.db import connection

from hackathons import services
from hackathons.models import TeamMember


def _at_once(calls) -> tuple[int, list[Exception]]:
    barrier = threading.Barrier(len(calls))
    refused, errors = [0], []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=60)
            call()
        except services.HackathonRefused as refusal:
            with lock:
                refused[0] += refusal.code == "full"
        except Exception as exc:  # noqa: BLE001 - shown if any
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return refused[0], errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_ten_people_joining_at_once_never_pass_the_team_size(hackathon, participant):
    team = services.team_create(hackathon=hackathon, user=participant(), name="Race")
    people = [participant() for _ in range(10)]
    full, errors = _at_once(
        [lambda p=p: services.team_join(token=team.invite_token, user=p) for p in people]
    )
    assert errors == []
    assert TeamMember.objects.filter(team=team).count() == hackathon.team_size_max == 3
    assert full == 8
