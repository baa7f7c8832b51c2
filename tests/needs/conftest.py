from tests.permanences.conftest import make_schedule, make_slot  # noqa: F401
