"""English labels of taxonomy.json, marked for translation so the catalogues carry them.

Kept in step with the data file by a test (`test_every_taxonomy_label_is_translatable`).
"""

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("Food security and agriculture"),
    gettext_noop("IP and public health"),
    gettext_noop("Green innovation"),
    gettext_noop("Improved IP management (IP offices, institutions, universities)"),
    gettext_noop("Creative industries"),
    gettext_noop("Other"),
    gettext_noop("Patents and utility models"),
    gettext_noop("Trademarks"),
    gettext_noop("Industrial designs"),
    gettext_noop("Geographical indications and collective marks"),
    gettext_noop("Copyright and related rights"),
    gettext_noop("Traditional knowledge, genetic resources and traditional cultural expressions"),
    gettext_noop("Plant variety protection"),
    gettext_noop("Trade secrets and know-how"),
    gettext_noop("IP enforcement and respect for IP"),
    gettext_noop("IP policy, strategy and legislation"),
    gettext_noop("Technology transfer, licensing, valuation and commercialization"),
    gettext_noop("IP office administration, business processes and IT systems"),
    gettext_noop("IP education, awareness and outreach"),
    gettext_noop("Training and capacity building"),
    gettext_noop("Expert advice and consultancy"),
    gettext_noop("Legislative and policy advice"),
    gettext_noop("Technology and know-how transfer"),
    gettext_noop("IT systems, equipment and infrastructure"),
    gettext_noop("Study visits, twinning and exchange of experience"),
    gettext_noop("Funding and grants"),
    gettext_noop("Mentoring and coaching"),
    gettext_noop("Joint research and development"),
    gettext_noop("Awareness raising and outreach campaigns"),
    gettext_noop("Hosting or co-organizing events and workshops"),
    gettext_noop("Technical resources (methods, tools, content, systems)"),
    gettext_noop("Human resources (experts, trainers, mentors)"),
    gettext_noop("Financial resources (funding, grants, sponsorship)"),
    gettext_noop("In-kind resources (venues, equipment, data, publications)"),
    gettext_noop("South-South cooperation: partners are all developing countries"),
    gettext_noop(
        "North-South cooperation: a developed-country provider and a developing-country beneficiary"
    ),
    gettext_noop(
        "Triangular cooperation: two or more developing countries, supported by a developed country or a multilateral organization"
    ),
    gettext_noop("Public-private partnership: public and private-sector partners together"),
    gettext_noop("Any other arrangement"),
    gettext_noop("National or regional IP office"),
    gettext_noop("Government ministry or agency"),
    gettext_noop("Other public-sector body"),
    gettext_noop("University, academic, training or research institution"),
    gettext_noop("Company or SME"),
    gettext_noop("Industry or trade association, chamber of commerce"),
    gettext_noop("Innovation hub, technology transfer office, incubator"),
    gettext_noop("Non-governmental or civil-society organization"),
    gettext_noop("Foundation or philanthropic donor"),
    gettext_noop("Intergovernmental or multilateral organization"),
    gettext_noop("Public-private partnership entity"),
    gettext_noop("Other"),
]
