def test_the_calendar_time_zone_agrees_with_zoneinfo_for_years_ahead():
    import datetime
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    from permanences.ics import _calendar

    parsed = Calendar.from_ical(_calendar().to_ical())
    [vtimezone] = parsed.walk("VTIMEZONE")
    rule = vtimezone.to_tz(lookup_tzid=False)  # from the rules, not the name
    brussels = ZoneInfo("Europe/Brussels")
    moment = datetime.datetime(2026, 1, 1, 12)
    while moment.year < 2036:
        assert rule.utcoffset(moment) == brussels.utcoffset(moment), moment
        moment += datetime.timedelta(days=1)  # noon: clear of the hour that is skipped or doubled
