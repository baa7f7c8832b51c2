"""The public directory: search by name and description, filters by sector, incubator,
what the company looks for and stage, pages, hostile parameters, and a number of queries
that does not grow with the number of profiles."""

import pytest

from incubators.models import Company
from tests.factories import IncubatorFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [p.company.name for p in response.context["page"]]


@pytest.fixture
def directory(make_profile, incubator):
    """Three published profiles and an unpublished one."""
    other_place = IncubatorFactory(name="ICAB", slug="icab")
    made = {}
    for name, place, sector, stage, seeks, description in [
        ("Pixelforge", incubator, "ict", "early", ["talent"], "Pixel art for games."),
        ("Groene Kring", other_place, "circular", "pre_seed", ["pilots"], "Reuse of furniture."),
        (
            "Lumo Health",
            incubator,
            "health",
            "growth",
            ["investment", "pilots"],
            "Pixel-free diagnosis by phone.",
        ),
        ("Hidden Co", incubator, "ict", "early", ["talent"], "Pixel things, unpublished."),
    ]:
        company = make_member(UserFactory(), place)
        Company.objects.filter(pk=company.pk).update(name=name, sector=sector, stage=stage)
        company.refresh_from_db()
        made[name] = make_profile(
            company, looking_for=seeks, description=description, publish=name != "Hidden Co"
        )
    return made


def test_it_lists_the_published_profiles_by_name(client, directory):
    response = client.get("/en/companies/")
    assert response.status_code == 200
    assert _names(response) == ["Groene Kring", "Lumo Health", "Pixelforge"]


def test_it_searches_the_name_and_the_description(client, directory):
    assert _names(client.get("/en/companies/?q=pixel")) == ["Lumo Health", "Pixelforge"]
    assert _names(client.get("/en/companies/?q=groene")) == ["Groene Kring"]
    assert _names(client.get("/en/companies/?q=furniture reuse")) == ["Groene Kring"]
    response = client.get("/en/companies/?q=nothing-like-it")
    assert _names(response) == []
    assert "No company matches this search" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sector=ict", ["Pixelforge"]),
        ("stage=growth", ["Lumo Health"]),
        ("looking_for=pilots", ["Groene Kring", "Lumo Health"]),
        ("incubator=icab", ["Groene Kring"]),
        ("incubator=greenbizz&looking_for=pilots", ["Lumo Health"]),
        ("q=pixel&sector=health", ["Lumo Health"]),
    ],
)
def test_it_filters(client, directory, query, expected):
    assert _names(client.get(f"/en/companies/?{query}")) == expected


def test_the_incubator_filter_counts_current_memberships_only(client, directory):
    from incubators.models import Membership

    Membership.objects.filter(company__name="Groene Kring").update(
        end="2020-01-01", start="2019-01-01"
    )
    assert _names(client.get("/en/companies/?incubator=icab")) == []


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "x" * 5000,
        "sector=nope",
        "incubator=%27%3B--",
        "looking_for[]=x",
        "looking_for=__class__",
        "stage=1&stage=2",
        "page=-1",
        "page=99999999999999999999",
        "page=abc",
        "q=%25%5F",
    ],
)
def test_hostile_parameters_never_fail(client, directory, query):
    response = client.get(f"/en/companies/?{query}")
    assert response.status_code == 200


def test_it_pages_long_lists_and_keeps_the_filters(client, make_profile, incubator):
    for n in range(14):
        make_profile(make_member(UserFactory(), incubator))
    first = client.get("/en/companies/?sector=ict")
    assert len(first.context["page"].object_list) == 12
    assert 'href="?sector=ict&amp;page=2"' in first.content.decode()
    second = client.get("/en/companies/?sector=ict&page=2")
    assert len(second.context["page"].object_list) == 2


def _profiles(make_profile, incubator, count: int) -> None:
    for _n in range(count):
        make_profile(make_member(UserFactory(), incubator), looking_for=["talent", "pilots"])


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_whatever_its_length(
    client, make_profile, incubator, django_assert_num_queries, count
):
    _profiles(make_profile, incubator, count)
    client.get("/en/companies/")  # the directory labels are cached after the first page
    with django_assert_num_queries(3):
        response = client.get("/en/companies/?looking_for=pilots")
    assert response.context["page"].paginator.count == count


def test_the_list_pages_queries_do_not_grow_for_a_signed_in_visitor(
    client, make_profile, incubator, django_assert_max_num_queries
):
    _profiles(make_profile, incubator, 30)
    client.force_login(UserFactory())
    client.get("/en/companies/")
    with django_assert_max_num_queries(6):
        client.get("/en/companies/?incubator=greenbizz")


def test_the_company_email_never_appears(client, directory):
    person = directory["Pixelforge"].company.people.get()
    assert person.email not in client.get("/en/companies/").content.decode()
    assert person.email not in client.get("/en/companies/pixelforge/").content.decode()


def test_an_unknown_profile_is_a_404(client, directory):
    assert client.get("/en/companies/no-such-company/").status_code == 404
    assert client.get("/en/companies/hidden-co/").status_code == 404
