"""A few needs declared by the demo founders and routed by the rules; one already answered."""

from accounts.models import User
from incubators.models import Advisor, NeedCategory
from needs.services import need_create, routed_need_answer

# email, category, urgency, description, answer from the agency (or "")
NEEDS = [
    (
        "entrepreneur@demo.hub.brussels",
        "financing",
        "high",
        "Nous cherchons 300 000 € pour recruter deux développeurs : quelles aides régionales "
        "combiner avec un prêt bancaire ?",
        "Bonjour Sofia, regardons ensemble le prêt subordonné et la prime à l'emploi mardi à ICAB.",
    ),
    (
        "founder.en@demo.hub.brussels",
        "landing",
        "normal",
        "Our team of four is moving from Lagos: which residence permits do we need, and can "
        "we register the company before we arrive?",
        "",
    ),
    (
        "founder.nl@demo.hub.brussels",
        "circular-social",
        "low",
        "We willen onze herstelwerkplaats uitbreiden: bestaat er een oproep voor circulaire "
        "projecten in 2027?",
        "",
    ),
]


def load_needs() -> int:
    created = 0
    for email, category, urgency, description, answer in NEEDS:
        user = User.objects.get(email=email)
        if user.needs.exists():
            continue
        need = need_create(
            user=user,
            category=NeedCategory.objects.get(slug=category),
            description=description,
            urgency=urgency,
            consent=True,
        )
        created += 1
        routed = need.routings.order_by("agency__order").first()
        if answer and routed:
            advisor = Advisor.objects.filter(agency=routed.agency).select_related("user").first()
            if advisor:
                routed_need_answer(routed=routed, by=advisor.user, body=answer)
    return created
