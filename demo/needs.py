"""Needs declared by the demo founders and routed by the rules, one in each status of an
agency's inbox: new, acknowledged (answered), in progress, resolved, declined and
transferred (then new at the other agency). The advisors take each step through the
services, as from the inbox."""

from accounts.models import User
from incubators.models import Advisor, Agency, NeedCategory
from needs.models import RoutedNeed
from needs.services import (
    need_create,
    routed_need_acknowledge,
    routed_need_answer,
    routed_need_decline,
    routed_need_resolve,
    routed_need_start,
    routed_need_transfer,
)

# email, category, urgency, description, the agency's steps: ("answer", message),
# ("acknowledge", note), ("start", note), ("resolve", note), ("decline", reason) or
# ("transfer", agency slug, reason)
NEEDS = [
    (
        "entrepreneur@demo.hub.brussels",
        "financing",
        "high",
        "Nous cherchons 300 000 € pour recruter deux développeurs : quelles aides régionales "
        "combiner avec un prêt bancaire ?",
        [
            (
                "answer",
                "Bonjour Sofia, regardons ensemble le prêt subordonné et la prime à l'emploi "
                "mardi à ICAB.",
            )
        ],
    ),
    (
        "founder.en@demo.hub.brussels",
        "landing",
        "normal",
        "Our team of four is moving from Lagos: which residence permits do we need, and can "
        "we register the company before we arrive?",
        [],
    ),
    (
        "founder.nl@demo.hub.brussels",
        "circular-social",
        "low",
        "We willen onze herstelwerkplaats uitbreiden: bestaat er een oproep voor circulaire "
        "projecten in 2027?",
        [],
    ),
]
# With the lived-in demo: the other statuses.
NEEDS_MOVED_ON = [
    (
        "founder.nl@demo.hub.brussels",
        "premises-retail",
        "normal",
        "We zoeken een winkelruimte van 60 m² met werkplaats in Anderlecht of Kuregem.",
        [
            ("acknowledge", ""),
            ("start", "Drie panden geselecteerd; bezoek gepland met de eigenaars."),
        ],
    ),
    (
        "entrepreneur@demo.hub.brussels",
        "digital",
        "normal",
        "Notre boutique en ligne est lente et mal référencée : existe-t-il une aide pour un "
        "audit numérique ?",
        [
            ("start", ""),
            (
                "resolve",
                "Chèque « transformation numérique » accordé ; l'audit commence en janvier.",
            ),
        ],
    ),
    (
        "founder.en@demo.hub.brussels",
        "financing",
        "normal",
        "Could a regional loan finance our first Brussels office before the company is "
        "registered here?",
        [
            (
                "decline",
                "Our loans need a registered office in Brussels. Come back once Lumo Health "
                "is registered; BIE's landing programme helps with that first.",
            )
        ],
    ),
    (
        "entrepreneur@demo.hub.brussels",
        "research-innovation",
        "low",
        "Nous voulons embaucher un premier commercial : quelles aides à l'embauche existent "
        "pour une start-up ?",
        [
            (
                "transfer",
                "impulse",
                "Aides à l'embauche, pas à la recherche : Impulse suit ce sujet.",
            )
        ],
    ),
]


def _take(routed: RoutedNeed, step: tuple) -> RoutedNeed:
    advisor = Advisor.objects.filter(agency=routed.agency).select_related("user").first()
    if advisor is None:
        return routed
    by = advisor.user
    action, *args = step
    if action == "answer":
        routed_need_answer(routed=routed, by=by, body=args[0])
        routed.refresh_from_db()
        return routed
    if action == "transfer":
        slug, reason = args
        routed_need_transfer(
            routed=routed, to_agency=Agency.objects.get(slug=slug), by=by, reason=reason
        )
        routed.refresh_from_db()
        return routed
    move = {
        "acknowledge": routed_need_acknowledge,
        "start": routed_need_start,
        "resolve": routed_need_resolve,
        "decline": routed_need_decline,
    }[action]
    return move(routed=routed, by=by, note=args[0])


def load_needs(*, in_every_status: bool) -> int:
    created = 0
    for email, category, urgency, description, steps in NEEDS + (
        NEEDS_MOVED_ON if in_every_status else []
    ):
        user = User.objects.get(email=email)
        if user.needs.filter(description=description).exists():
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
        if routed is None:
            continue
        for step in steps:
            routed = _take(routed, step)
    return created
