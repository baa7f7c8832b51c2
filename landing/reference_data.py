"""The partner regions and the Region's official relays to the EU institutions the
portal ships with (a data migration loads them; the coordinator edits them in the admin).
Partner regions are those of Smart Hub Vlaams-Brabant's international actions."""

# kind, order, country, website, email, name (fr, nl, en), description (fr, nl, en),
# whom to contact (fr, nl, en)
RELAYS = [
    (
        "eu_relay",
        1,
        "BE",
        "https://be.brussels/",
        "",
        (
            "Représentation permanente de la Région de Bruxelles-Capitale auprès de l'UE",
            "Permanente vertegenwoordiging van het Brussels Hoofdstedelijk Gewest bij de EU",
            "Permanent representation of the Brussels-Capital Region to the EU",
        ),
        (
            "Suit les dossiers européens pour la Région et vous oriente vers les services de "
            "la Commission qui traitent votre sujet.",
            "Volgt de Europese dossiers voor het Gewest en wijst u de weg naar de diensten "
            "van de Commissie die uw onderwerp behandelen.",
            "Follows EU files for the Region and points you to the Commission services that "
            "deal with your subject.",
        ),
        (
            "Le conseiller chargé des affaires économiques",
            "De adviseur economische zaken",
            "The adviser for economic affairs",
        ),
    ),
    (
        "eu_relay",
        2,
        "BE",
        "https://hub.brussels/",
        "info@bie.brussels",
        (
            "Attaché économique de BIE auprès de l'Union européenne",
            "Economisch attaché van BIE bij de Europese Unie",
            "BIE's economic attaché to the European Union",
        ),
        (
            "Marchés publics européens, appels et réseaux d'entreprises : le contact de "
            "Brussels Invest & Export auprès des institutions.",
            "Europese overheidsopdrachten, oproepen en ondernemingsnetwerken: het "
            "aanspreekpunt van Brussel Invest & Export bij de instellingen.",
            "EU public procurement, calls and business networks: Brussels Invest & Export's "
            "contact with the institutions.",
        ),
        ("L'attaché économique", "De economisch attaché", "The economic attaché"),
    ),
    (
        "eu_relay",
        3,
        "BE",
        "",
        "",
        (
            "Commissaire de la Région auprès des institutions européennes",
            "Commissaris van het Gewest bij de Europese instellingen",
            "The Region's Commissioner to the European institutions",
        ),
        (
            "Fait le lien entre la Région, les institutions européennes et les organisations "
            "internationales présentes à Bruxelles.",
            "Legt de band tussen het Gewest, de Europese instellingen en de internationale "
            "organisaties in Brussel.",
            "Links the Region with the EU institutions and the international organisations "
            "based in Brussels.",
        ),
        (
            "Le secrétariat du Commissaire",
            "Het secretariaat van de Commissaris",
            "The Commissioner's office",
        ),
    ),
    (
        "partner_region",
        1,
        "DE",
        "https://www.m-r-n.com/",
        "",
        ("Rhin-Neckar", "Rijn-Neckar", "Rhine-Neckar"),
        (
            "Région métropolitaine de Mannheim, Heidelberg et Ludwigshafen : chimie, santé, "
            "logiciels.",
            "Metropoolregio van Mannheim, Heidelberg en Ludwigshafen: chemie, gezondheid, "
            "software.",
            "The metropolitan region of Mannheim, Heidelberg and Ludwigshafen: chemicals, "
            "health, software.",
        ),
        (
            "Via Smart Hub Vlaams-Brabant (contacts internationaux)",
            "Via Smart Hub Vlaams-Brabant (internationale contacten)",
            "Through Smart Hub Vlaams-Brabant (international contacts)",
        ),
    ),
    (
        "partner_region",
        2,
        "NL",
        "https://www.brabant.nl/",
        "",
        ("Brabant-Septentrional", "Noord-Brabant", "North Brabant"),
        (
            "Eindhoven et Brainport : haute technologie, design, agroalimentaire.",
            "Eindhoven en Brainport: hightech, design, agrofood.",
            "Eindhoven and Brainport: high tech, design, agrifood.",
        ),
        (
            "Via Smart Hub Vlaams-Brabant (contacts internationaux)",
            "Via Smart Hub Vlaams-Brabant (internationale contacten)",
            "Through Smart Hub Vlaams-Brabant (international contacts)",
        ),
    ),
    (
        "partner_region",
        3,
        "SE",
        "https://www.skane.se/",
        "",
        ("Scanie", "Skåne", "Skåne"),
        (
            "Malmö et Lund : sciences de la vie, technologies propres, recherche (ESS, MAX IV).",
            "Malmö en Lund: life sciences, cleantech, onderzoek (ESS, MAX IV).",
            "Malmö and Lund: life sciences, cleantech, research (ESS, MAX IV).",
        ),
        (
            "Via Smart Hub Vlaams-Brabant (contacts internationaux)",
            "Via Smart Hub Vlaams-Brabant (internationale contacten)",
            "Through Smart Hub Vlaams-Brabant (international contacts)",
        ),
    ),
    (
        "partner_region",
        4,
        "DK",
        "https://www.regionh.dk/",
        "",
        (
            "Région capitale du Danemark (Copenhague)",
            "Hoofdstedelijke regio Kopenhagen",
            "Capital Region of Denmark (Copenhagen)",
        ),
        (
            "Santé, énergie verte, villes intelligentes.",
            "Gezondheid, groene energie, slimme steden.",
            "Health, green energy, smart cities.",
        ),
        (
            "Via Smart Hub Vlaams-Brabant (contacts internationaux)",
            "Via Smart Hub Vlaams-Brabant (internationale contacten)",
            "Through Smart Hub Vlaams-Brabant (international contacts)",
        ),
    ),
    (
        "partner_region",
        5,
        "CN",
        "",
        "",
        ("Chengdu", "Chengdu", "Chengdu"),
        (
            "Capitale du Sichuan : électronique, logiciels, biotechnologies.",
            "Hoofdstad van Sichuan: elektronica, software, biotechnologie.",
            "Capital of Sichuan: electronics, software, biotech.",
        ),
        (
            "Via Smart Hub Vlaams-Brabant (contacts internationaux)",
            "Via Smart Hub Vlaams-Brabant (internationale contacten)",
            "Through Smart Hub Vlaams-Brabant (international contacts)",
        ),
    ),
]

LANGS = ("fr", "nl", "en")


def _translated(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    fields = {f"{field}_{lang}": value for lang, value in zip(LANGS, values, strict=True)}
    fields[field] = values[0]
    return fields


def load_relays(*, Relay) -> int:  # noqa: N803
    """Idempotent: a row is matched on its kind and English name, created when missing."""
    created = 0
    for kind, order, country, website, email, names, descriptions, contacts in RELAYS:
        if Relay.objects.filter(kind=kind, name_en=names[2]).exists():
            continue
        Relay.objects.create(
            kind=kind,
            order=order,
            country=country,
            website=website,
            email=email,
            **_translated("name", names),
            **_translated("description", descriptions),
            **_translated("contact", contacts),
        )
        created += 1
    return created
