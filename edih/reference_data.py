"""The EDIH as data: the agency, its three public services (tagged with the
digitalisation theme), the need category of test-before-invest requests and the routing
rule that sends that category to the EDIH. Loaded by a data migration; the coordinator
edits all of it in the admin afterwards."""

from incubators.reference_data import translated_fields

AGENCY_SLUG = "edih"
CATEGORY_SLUG = "test-before-invest"
THEME_SLUG = "digitalisation"

AGENCY = {
    "slug": AGENCY_SLUG,
    "short_name": "EDIH",
    "color": "#5b2a86",
    "order": 5,
    "name": (
        "EDIH Bruxelles – European Digital Innovation Hub",
        "EDIH Brussel – European Digital Innovation Hub",
        "EDIH Brussels – European Digital Innovation Hub",
    ),
    "tagline": (
        "Tester une technologie numérique avant d'investir",
        "Een digitale technologie testen voor u investeert",
        "Test a digital technology before you invest",
    ),
    "description": (
        "Le pôle européen d'innovation numérique de Bruxelles aide les start-ups et les PME "
        "à tester l'intelligence artificielle, le calcul haute performance et la "
        "cybersécurité avant d'investir, les conseille sur le financement et les met en "
        "relation avec l'expertise internationale. Le suivi est assuré avec Innoviris, "
        "hub.brussels et finance&invest.brussels.",
        "De Brusselse European Digital Innovation Hub helpt start-ups en kmo's artificiële "
        "intelligentie, high performance computing en cybersecurity te testen voor ze "
        "investeren, adviseert hen over financiering en brengt hen in contact met "
        "internationale expertise. De opvolging gebeurt samen met Innoviris, hub.brussels "
        "en finance&invest.brussels.",
        "The Brussels European Digital Innovation Hub helps start-ups and SMEs test "
        "artificial intelligence, high-performance computing and cybersecurity before they "
        "invest, advises them on funding and connects them with international expertise. "
        "Innoviris, hub.brussels and finance&invest.brussels follow up with them.",
    ),
}

CATEGORY = {
    "slug": CATEGORY_SLUG,
    "icon": "clipboard-data",
    "order": 20,
    "name": ("Tester avant d'investir", "Testen voor u investeert", "Test before invest"),
}

SERVICES = [
    {
        "categories": [CATEGORY_SLUG, "digital"],
        "name": ("Tester avant d'investir", "Testen voor u investeert", "Test before invest"),
        "summary": (
            "IA, calcul haute performance, cybersécurité : tester la technologie sur vos "
            "données avant d'y investir.",
            "AI, high performance computing, cybersecurity: de technologie op uw gegevens "
            "testen voor u erin investeert.",
            "AI, high-performance computing, cybersecurity: try the technology on your data "
            "before you invest in it.",
        ),
        "audience": ("Start-ups et PME", "Start-ups en kmo's", "Start-ups and SMEs"),
    },
    {
        "categories": ["digital", "research-innovation"],
        "name": ("Conseil en financement", "Financieringsadvies", "Funding advice"),
        "summary": (
            "Quels financements régionaux et européens pour votre projet numérique.",
            "Welke gewestelijke en Europese financiering past bij uw digitale project.",
            "Which regional and European funding fits your digital project.",
        ),
        "audience": ("Start-ups et PME", "Start-ups en kmo's", "Start-ups and SMEs"),
    },
    {
        "categories": ["digital", "eu-programmes"],
        "name": (
            "Expertise internationale",
            "Internationale expertise",
            "International expertise",
        ),
        "summary": (
            "Le réseau européen des EDIH : des experts et des lieux de test dans toute l'Europe.",
            "Het Europese netwerk van EDIH's: experts en testfaciliteiten in heel Europa.",
            "The European network of EDIHs: experts and test facilities across Europe.",
        ),
        "audience": ("Start-ups et PME", "Start-ups en kmo's", "Start-ups and SMEs"),
    },
]


def load_edih(*, Agency, Service, NeedCategory, Theme, RoutingRule) -> None:  # noqa: N803
    """Idempotent: rows are matched on their slug and created only when missing; the
    rule is created only when no rule for the category exists yet."""
    category, _ = NeedCategory.objects.get_or_create(
        slug=CATEGORY["slug"],
        defaults={
            "icon": CATEGORY["icon"],
            "order": CATEGORY["order"],
            **translated_fields("name", CATEGORY["name"]),
        },
    )
    agency, created = Agency.objects.get_or_create(
        slug=AGENCY["slug"],
        defaults={
            "short_name": AGENCY["short_name"],
            "color": AGENCY["color"],
            "order": AGENCY["order"],
            **translated_fields("name", AGENCY["name"]),
            **translated_fields("tagline", AGENCY["tagline"]),
            **translated_fields("description", AGENCY["description"]),
        },
    )
    if created:
        theme = Theme.objects.filter(slug=THEME_SLUG).first()
        categories = {c.slug: c for c in NeedCategory.objects.all()}
        for order, data in enumerate(SERVICES, start=1):
            service = Service.objects.create(
                agency=agency,
                order=order,
                **translated_fields("name", data["name"]),
                **translated_fields("summary", data["summary"]),
                **translated_fields("audience", data["audience"]),
            )
            service.categories.set([categories[s] for s in data["categories"] if s in categories])
            if theme is not None:
                service.themes.set([theme])
    if not RoutingRule.objects.filter(category=category).exists():
        RoutingRule.objects.create(category=category).agencies.set([agency])
