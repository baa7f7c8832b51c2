from tests.permanences.conftest import book, category, make_schedule, make_slot  # noqa: F401
