import pytest


@pytest.fixture
def after_booking_survey(reference_data):
    from surveys.defaults import standard_survey_create
    from surveys.models import Survey

    return standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
