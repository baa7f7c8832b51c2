"""What each need of a founder abroad becomes in their plan: the need category it is
routed under (so the routing rules the coordinator edits decide which agencies help) and
what the step asks the founder to do."""

from django.utils.translation import gettext_lazy as _

from .models import LandingNeed

# The need category (incubators.NeedCategory slug) each need is routed under.
CATEGORY_OF = {
    LandingNeed.COMPANY: "legal-admin",
    LandingNeed.PERMITS: "landing",
    LandingNeed.SPACE: "premises-retail",
    LandingNeed.FUNDING: "financing",
    LandingNeed.INNOVATION: "research-innovation",
    LandingNeed.MARKET: "export",
    LandingNeed.RECRUITMENT: "hiring",
    LandingNeed.EU_CONTACTS: "eu-programmes",
}

# What the step asks, shown under its title in the plan.
GUIDANCE = {
    LandingNeed.COMPANY: _(
        "Choose a legal form, open a Belgian bank account, deposit the capital and register "
        "at an enterprise counter to get your enterprise number."
    ),
    LandingNeed.PERMITS: _(
        "Check which permits you and your staff need (single permit, EU Blue Card, "
        "professional card for self-employed founders) and apply before you travel."
    ),
    LandingNeed.SPACE: _(
        "Shortlist incubators, coworking spaces or labs; a host address also helps you "
        "register your company."
    ),
    LandingNeed.FUNDING: _(
        "Prepare your financial plan and meet the advisors on regional loans, guarantees "
        "and business angels."
    ),
    LandingNeed.INNOVATION: _(
        "Describe your research and development project and check which regional "
        "programme funds it."
    ),
    LandingNeed.MARKET: _(
        "Identify your first customers in Belgium and Europe, and how public buyers "
        "publish their tenders."
    ),
    LandingNeed.RECRUITMENT: _(
        "Plan your first hires: employment contracts, hiring grants and where to find "
        "talent in Brussels."
    ),
    LandingNeed.EU_CONTACTS: _(
        "Meet the Region's relays to the EU institutions and find the programmes and "
        "calls that fit your project."
    ),
}
