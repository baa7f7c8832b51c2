"""Reference data the portal ships with: languages, need categories, the four agencies of
the source document and their public services. Loaded by a data migration; the
coordinator edits or extends all of it in the admin afterwards."""

LANGUAGES = [
    # code, order, (fr, nl, en)
    ("fr", 1, ("Français", "Frans", "French")),
    ("nl", 2, ("Néerlandais", "Nederlands", "Dutch")),
    ("en", 3, ("Anglais", "Engels", "English")),
    ("de", 4, ("Allemand", "Duits", "German")),
    ("es", 5, ("Espagnol", "Spaans", "Spanish")),
    ("it", 6, ("Italien", "Italiaans", "Italian")),
    ("ar", 7, ("Arabe", "Arabisch", "Arabic")),
]

NEED_CATEGORIES = [
    # slug, icon, (fr, nl, en)
    ("financing", "cash-coin", ("Financement", "Financiering", "Financing")),
    (
        "research-innovation",
        "lightbulb",
        (
            "Financement de la recherche et de l'innovation",
            "Financiering van onderzoek en innovatie",
            "Research & innovation funding",
        ),
    ),
    (
        "export",
        "globe-europe-africa",
        (
            "Export et internationalisation",
            "Export en internationalisering",
            "Export and internationalisation",
        ),
    ),
    (
        "landing",
        "airplane",
        (
            "S'établir à Bruxelles (start-up étrangère)",
            "Vestiging in Brussel (buitenlandse start-up)",
            "Landing in Brussels as a foreign start-up",
        ),
    ),
    (
        "business-plan",
        "graph-up-arrow",
        (
            "Plan d'affaires et stratégie",
            "Ondernemingsplan en strategie",
            "Business plan and strategy",
        ),
    ),
    (
        "premises-retail",
        "shop",
        (
            "Locaux commerciaux et commerce",
            "Handelspanden en detailhandel",
            "Commercial premises and retail",
        ),
    ),
    (
        "legal-admin",
        "file-earmark-text",
        ("Juridique et administratif", "Juridisch en administratief", "Legal and administrative"),
    ),
    ("hiring", "people", ("Recrutement", "Aanwerving", "Hiring")),
    (
        "digital",
        "cpu",
        ("Transformation numérique", "Digitale transformatie", "Digital transformation"),
    ),
    (
        "circular-social",
        "recycle",
        (
            "Économie circulaire et sociale",
            "Circulaire en sociale economie",
            "Circular and social economy",
        ),
    ),
    ("eu-programmes", "bank", ("Programmes européens", "Europese programma's", "EU programmes")),
]

AGENCIES = [
    {
        "slug": "impulse",
        "short_name": "Impulse",
        "color": "#e4003a",
        "order": 1,
        "website": "https://hub.brussels/",
        "email": "info@impulse.brussels",
        "name": ("Impulse.brussels", "Impulse.brussels", "Impulse.brussels"),
        "tagline": (
            "Accompagnement des entreprises et conseil en financement",
            "Ondernemingsbegeleiding en financieringsadvies",
            "Business coaching and financing advice",
        ),
        "description": (
            "L'agence bruxelloise pour l'entreprise conseille les porteurs de projet et les "
            "jeunes entreprises : plan d'affaires, aides régionales, financement, réseaux "
            "d'accompagnement.",
            "Het Brussels Agentschap voor de Onderneming adviseert projectdragers en jonge "
            "ondernemingen: ondernemingsplan, gewestelijke steun, financiering, "
            "begeleidingsnetwerken.",
            "The Brussels enterprise agency advises project owners and young companies: "
            "business plan, regional grants, financing and support networks.",
        ),
        "services": [
            {
                "categories": ["business-plan"],
                "name": (
                    "Relecture du plan d'affaires",
                    "Nalezing van het ondernemingsplan",
                    "Business plan review",
                ),
                "summary": (
                    "Un conseiller relit votre plan d'affaires et votre plan financier avec vous.",
                    "Een adviseur overloopt samen met u uw ondernemingsplan en financieel plan.",
                    "An advisor goes through your business plan and financial plan with you.",
                ),
                "audience": (
                    "Porteurs de projet et entreprises de moins de 5 ans",
                    "Projectdragers en ondernemingen jonger dan 5 jaar",
                    "Project owners and companies under 5 years old",
                ),
            },
            {
                "categories": ["financing"],
                "name": ("Conseil en financement", "Financieringsadvies", "Financing advice"),
                "summary": (
                    "Prêts, garanties, subsides régionaux, business angels : quelle source pour votre étape ?",
                    "Leningen, waarborgen, gewestelijke subsidies, business angels: welke bron past bij uw fase?",
                    "Loans, guarantees, regional grants, business angels: which source fits your stage?",
                ),
                "audience": (
                    "Start-ups qui préparent une levée ou un crédit",
                    "Start-ups die een kapitaalronde of krediet voorbereiden",
                    "Start-ups preparing a funding round or a loan",
                ),
            },
            {
                "categories": ["legal-admin", "hiring"],
                "name": ("Premières démarches", "Eerste stappen", "First steps"),
                "summary": (
                    "Statut, guichet d'entreprises, premier engagement : les démarches dans le bon ordre.",
                    "Statuut, ondernemingsloket, eerste aanwerving: de stappen in de juiste volgorde.",
                    "Legal form, enterprise counter, first hire: the steps in the right order.",
                ),
                "audience": ("Créateurs d'entreprise", "Starters", "Founders"),
            },
        ],
    },
    {
        "slug": "innoviris",
        "short_name": "Innoviris",
        "color": "#00a19a",
        "order": 2,
        "website": "https://innoviris.brussels/",
        "email": "info@innoviris.brussels",
        "name": ("Innoviris", "Innoviris", "Innoviris"),
        "tagline": (
            "Financement de la recherche et de l'innovation",
            "Financiering van onderzoek en innovatie",
            "Research and innovation funding",
        ),
        "description": (
            "L'institut bruxellois pour la recherche et l'innovation finance et accompagne les "
            "projets innovants des entreprises, des centres de recherche et des associations.",
            "Het Brussels Instituut voor Onderzoek en Innovatie financiert en begeleidt "
            "innovatieve projecten van ondernemingen, onderzoekscentra en verenigingen.",
            "The Brussels institute for research and innovation funds and supports innovative "
            "projects of companies, research centres and non-profits.",
        ),
        "services": [
            {
                "categories": ["research-innovation"],
                "name": ("Subsides à l'innovation", "Innovatiesubsidies", "Innovation grants"),
                "summary": (
                    "Quel programme pour votre projet de R&D, et comment monter le dossier.",
                    "Welk programma past bij uw O&O-project, en hoe u het dossier opbouwt.",
                    "Which programme suits your R&D project, and how to build the application.",
                ),
                "audience": (
                    "Entreprises bruxelloises avec un projet de développement technologique",
                    "Brusselse ondernemingen met een technologisch ontwikkelingsproject",
                    "Brussels companies with a technology development project",
                ),
            },
            {
                "categories": ["digital", "circular-social"],
                "name": ("Parcours d'innovation", "Innovatietrajecten", "Innovation journeys"),
                "summary": (
                    "Numérique, économie circulaire, innovation sociale : les parcours de Shifting Economy.",
                    "Digitalisering, circulaire economie, sociale innovatie: de trajecten van Shifting Economy.",
                    "Digitalisation, circular economy, social innovation: the Shifting Economy journeys.",
                ),
                "audience": (
                    "Entreprises qui veulent transformer leur modèle",
                    "Ondernemingen die hun model willen omvormen",
                    "Companies that want to transform their model",
                ),
            },
            {
                "categories": ["digital", "eu-programmes"],
                "name": (
                    "Tester avant d'investir (EDIH)",
                    "Testen voor u investeert (EDIH)",
                    "Test before invest (EDIH)",
                ),
                "summary": (
                    "IA, calcul haute performance, cybersécurité : tester une technologie avant d'y investir.",
                    "AI, high performance computing, cybersecurity: een technologie testen voor u investeert.",
                    "AI, high-performance computing, cybersecurity: try a technology before you invest in it.",
                ),
                "audience": ("PME et start-ups", "kmo's en start-ups", "SMEs and start-ups"),
            },
        ],
    },
    {
        "slug": "bie",
        "short_name": "BIE",
        "color": "#1f4e9c",
        "order": 3,
        "website": "https://hub.brussels/",
        "email": "info@bie.brussels",
        "name": (
            "Bruxelles Invest & Export",
            "Brussel Invest & Export",
            "Brussels Invest & Export",
        ),
        "tagline": (
            "Export, internationalisation et accueil des start-ups étrangères",
            "Export, internationalisering en onthaal van buitenlandse start-ups",
            "Export, internationalisation and foreign start-ups landing in Brussels",
        ),
        "description": (
            "Aide les entreprises bruxelloises à conquérir les marchés étrangers et accueille les "
            "entreprises internationales qui s'installent à Bruxelles.",
            "Helpt Brusselse ondernemingen buitenlandse markten te veroveren en onthaalt "
            "internationale ondernemingen die zich in Brussel vestigen.",
            "Helps Brussels companies win foreign markets and welcomes international companies "
            "settling in Brussels.",
        ),
        "services": [
            {
                "categories": ["export"],
                "name": ("Stratégie export", "Exportstrategie", "Export strategy"),
                "summary": (
                    "Choisir ses marchés, missions économiques, aides à la prospection.",
                    "Markten kiezen, economische zendingen, prospectiesteun.",
                    "Choosing markets, trade missions, prospecting grants.",
                ),
                "audience": (
                    "Entreprises prêtes à vendre à l'étranger",
                    "Ondernemingen die klaar zijn om in het buitenland te verkopen",
                    "Companies ready to sell abroad",
                ),
            },
            {
                "categories": ["landing", "legal-admin"],
                "name": (
                    "Atterrissage à Bruxelles",
                    "Landen in Brussel",
                    "Soft landing in Brussels",
                ),
                "summary": (
                    "Installation, permis, premiers contacts : le guichet des start-ups internationales.",
                    "Vestiging, vergunningen, eerste contacten: het loket voor internationale start-ups.",
                    "Setting up, permits, first contacts: the desk for international start-ups.",
                ),
                "audience": (
                    "Start-ups étrangères qui s'installent à Bruxelles",
                    "Buitenlandse start-ups die zich in Brussel vestigen",
                    "Foreign start-ups settling in Brussels",
                ),
            },
            {
                "categories": ["eu-programmes", "export"],
                "name": (
                    "Bruxelles, capitale européenne",
                    "Brussel, Europese hoofdstad",
                    "Brussels, capital of Europe",
                ),
                "summary": (
                    "Travailler avec les institutions européennes : marchés publics, expérimentation, réseaux.",
                    "Werken met de Europese instellingen: overheidsopdrachten, experimenten, netwerken.",
                    "Working with the EU institutions: public procurement, experimentation, networks.",
                ),
                "audience": ("Start-ups et PME", "Start-ups en kmo's", "Start-ups and SMEs"),
            },
        ],
    },
    {
        "slug": "atrium",
        "short_name": "Atrium",
        "color": "#f39200",
        "order": 4,
        "website": "https://hub.brussels/",
        "email": "info@atrium.brussels",
        "name": ("Atrium.brussels", "Atrium.brussels", "Atrium.brussels"),
        "tagline": (
            "Commerce et implantations commerciales",
            "Handel en handelsvestigingen",
            "Commerce and retail locations",
        ),
        "description": (
            "L'agence régionale du commerce aide les commerçants à trouver la bonne "
            "implantation et à développer leur activité dans les quartiers bruxellois.",
            "Het gewestelijk agentschap voor de handel helpt handelaars de juiste vestiging te "
            "vinden en hun activiteit in de Brusselse wijken te ontwikkelen.",
            "The regional commerce agency helps shopkeepers find the right location and grow "
            "their business in Brussels' neighbourhoods.",
        ),
        "services": [
            {
                "categories": ["premises-retail"],
                "name": ("Trouver un commerce", "Een handelspand vinden", "Finding a shop"),
                "summary": (
                    "Données de quartier, flux piétons, cellules vides : choisir l'emplacement de votre commerce.",
                    "Wijkgegevens, voetgangersstromen, leegstaande panden: de plek voor uw zaak kiezen.",
                    "Neighbourhood data, footfall, empty units: choosing where to open your shop.",
                ),
                "audience": (
                    "Futurs commerçants et concepts retail",
                    "Toekomstige handelaars en retailconcepten",
                    "Future shopkeepers and retail concepts",
                ),
            },
            {
                "categories": ["premises-retail", "financing"],
                "name": ("Primes commerce", "Handelspremies", "Retail grants"),
                "summary": (
                    "Primes à l'installation et à la rénovation de vitrines dans les quartiers commerçants.",
                    "Premies voor vestiging en renovatie van etalages in handelswijken.",
                    "Grants for opening and renovating shop fronts in shopping districts.",
                ),
                "audience": ("Commerces de proximité", "Buurtwinkels", "Local shops"),
            },
        ],
    },
]


LANGS = ("fr", "nl", "en")


def translated_fields(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    """('name', ('Nom', 'Naam', 'Name')) -> name, name_fr, name_nl and name_en."""
    fields = {f"{field}_{lang}": value for lang, value in zip(LANGS, values, strict=True)}
    fields[field] = values[0]
    return fields


def load_reference_data(*, Language, NeedCategory, Agency, Service) -> None:  # noqa: N803
    """Idempotent: rows are matched on their code or slug and created only when missing."""
    for code, order, names in LANGUAGES:
        Language.objects.get_or_create(
            code=code, defaults={"order": order, **translated_fields("name", names)}
        )
    categories = {}
    for order, (slug, icon, names) in enumerate(NEED_CATEGORIES, start=1):
        categories[slug], _ = NeedCategory.objects.get_or_create(
            slug=slug, defaults={"icon": icon, "order": order, **translated_fields("name", names)}
        )
    for data in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "short_name": data["short_name"],
                "color": data["color"],
                "order": data["order"],
                "website": data["website"],
                "email": data["email"],
                **translated_fields("name", data["name"]),
                **translated_fields("tagline", data["tagline"]),
                **translated_fields("description", data["description"]),
            },
        )
        if not created:
            continue
        for order, service_data in enumerate(data["services"], start=1):
            service = Service.objects.create(
                agency=agency,
                order=order,
                **translated_fields("name", service_data["name"]),
                **translated_fields("summary", service_data["summary"]),
                **translated_fields("audience", service_data["audience"]),
            )
            service.categories.set([categories[slug] for slug in service_data["categories"]])


THEMES = [
    # slug, icon, name (fr, nl, en), summary (fr, nl, en)
    (
        "digitalisation",
        "cpu",
        ("Digitalisation", "Digitalisering", "Digitalisation"),
        (
            "Intelligence artificielle, calcul haute performance, cybersécurité : tester et "
            "financer une technologie avant d'investir.",
            "Artificiële intelligentie, high performance computing, cybersecurity: een "
            "technologie testen en financieren voor u investeert.",
            "Artificial intelligence, high-performance computing, cybersecurity: test and "
            "fund a technology before you invest.",
        ),
    ),
    (
        "circular-economy",
        "recycle",
        ("Économie circulaire", "Circulaire economie", "Circular economy"),
        (
            "Réemploi, recyclage, valorisation des ressources locales et des flux de déchets.",
            "Hergebruik, recyclage, valorisatie van lokale grondstoffen en afvalstromen.",
            "Re-use, recycling, turning local resources and waste streams into materials.",
        ),
    ),
    (
        "social-innovation",
        "people",
        ("Innovation sociale", "Sociale innovatie", "Social innovation"),
        (
            "Des modèles économiques qui répondent aux besoins sociaux des Bruxellois.",
            "Economische modellen die inspelen op de sociale noden van de Brusselaars.",
            "Business models that answer the social needs of the people of Brussels.",
        ),
    ),
]


def load_themes(*, Theme) -> None:  # noqa: N803
    """Idempotent: the three themes of the Region's innovation journeys (Shifting Economy)."""
    for order, (slug, icon, names, summaries) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            slug=slug,
            defaults={
                "icon": icon,
                "order": order,
                **translated_fields("name", names),
                **translated_fields("summary", summaries),
            },
        )
