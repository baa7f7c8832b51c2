"""The EDIH of the demo: an advisor of the European Digital Innovation Hub and one
test-before-invest request in progress (Sofia's, for Pixelforge), made and answered
through the services as from the pages."""

from django.utils import translation

from accounts.models import User
from edih.models import TestRequest
from edih.reference_data import load_edih as load_edih_reference
from edih.services import test_request_create
from incubators.models import Advisor, Agency, Language, NeedCategory, Service, Theme
from incubators.services import advisor_create
from needs.models import RoutingRule
from needs.services import routed_need_answer, routed_need_start

from .directory import _sign_up

ADVISOR_EMAIL = "advisor.edih@demo.hub.brussels"
ADVISOR = (ADVISOR_EMAIL, "Elena", "Rossi", "en")
FOUNDER = "entrepreneur@demo.hub.brussels"


def load_edih() -> int:
    """The EDIH's reference rows (there from the migration; made again after a flush),
    its advisor, and Sofia's request, answered and in progress. Returns how many of the
    advisor and the request were created."""
    load_edih_reference(
        Agency=Agency,
        Service=Service,
        NeedCategory=NeedCategory,
        Theme=Theme,
        RoutingRule=RoutingRule,
    )
    agency = Agency.objects.get(slug="edih")
    user, created = _sign_up(*ADVISOR)
    if not Advisor.objects.filter(user=user).exists():
        advisor = advisor_create(user=user, agency=agency, job_title="Digital innovation advisor")
        # An advisor's languages are edited in the admin; no service for them.
        advisor.languages.set(Language.objects.filter(code__in=["en", "fr", "nl"]))
    founder = User.objects.get(email=FOUNDER)
    if TestRequest.objects.filter(user=founder).exists():
        return int(created)
    # The need's text is written in the language the founder asks in.
    with translation.override(founder.language):
        test_request = test_request_create(
            user=founder,
            technology=TestRequest.Technology.AI,
            goal=(
                "Un modèle de vision peut-il repérer les défauts d'impression de nos "
                "maquettes avant l'envoi au client ?"
            ),
            data_available=(
                "8 000 images annotées (bonnes / défectueuses), 300 Mo en PNG, sans "
                "données personnelles."
            ),
            data_sensitivity=TestRequest.Sensitivity.CONFIDENTIAL,
            timeline=TestRequest.Timeline.QUARTER,
            company=founder.companies.order_by("name").first(),
            company_name="Pixelforge",
            consent=True,
        )
    routed = test_request.need.routings.get(agency=agency)
    routed_need_answer(
        routed=routed,
        by=user,
        body=(
            "Bonjour Sofia, votre cas convient à un test sur notre plateforme d'IA. "
            "Pouvez-vous nous envoyer un échantillon de 200 images ?"
        ),
    )
    routed_need_start(routed=routed, by=user, note="Échantillon demandé.")
    return int(created) + 1
