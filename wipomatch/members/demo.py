"""Demo content for `manage.py seed_demo`: fictional organisations and one account per role.

The organisations are invented (any likeness to a real body is a matter of its plausible name),
their websites are under example.org and their descriptions are written in the language a real
member from that country would use. Everything is created through the membership services
(application → assessment against every published criterion → approval), so each demo
organisation has the same audit trail as a real one.

Seeding is idempotent: a demo organisation exists when its focal point already belongs to an
organisation or has applied, and then nothing is done for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count, Q

from wipomatch.core.outbox import HeldBack, emails_held_back
from wipomatch.reference.models import Country

from . import services
from .criteria import CRITERIA
from .models import Membership, MembershipApplication, Organisation, User

DEMO_PASSWORD = "demo-pass-2026"
DEMO_DOMAIN = "demo.wipomatch.org"

APPLICANT_EMAIL = f"applicant@{DEMO_DOMAIN}"
CONTRIBUTOR_EMAIL = f"contributor@{DEMO_DOMAIN}"
FOCAL_EMAIL = f"focal@{DEMO_DOMAIN}"
FACILITATOR_EMAIL = f"facilitator@{DEMO_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # shown in the README table and in the command's output
    staff_role: str = ""
    superuser: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(APPLICANT_EMAIL, "Awa Ndiaye", "visitor with a pending application"),
    DemoAccount(CONTRIBUTOR_EMAIL, "Peter Otieno", "contributor"),
    DemoAccount(FOCAL_EMAIL, "Grace Wanjiru", "focal point"),
    DemoAccount(
        FACILITATOR_EMAIL,
        "Lucía Fernández",
        "facilitator",
        staff_role=User.StaffRole.FACILITATOR,
    ),
    DemoAccount(
        ADMIN_EMAIL,
        "Tomasz Kowalski",
        "platform admin",
        staff_role=User.StaffRole.ADMIN,
        superuser=True,
    ),
)


@dataclass(frozen=True)
class DemoOrganisation:
    key: str  # stable identifier: the focal point is focal.<key>@demo.wipomatch.org
    name: str
    org_type: str
    country: str  # ISO alpha-2
    language: str  # of the description, and the focal point's preferred language
    person: str  # the focal point's name
    description: str
    themes: tuple[str, ...] = ()
    acronym: str = ""
    focal_email: str = ""  # when the focal point is one of the demo accounts

    @property
    def email(self) -> str:
        return self.focal_email or f"focal.{self.key}@{DEMO_DOMAIN}"

    @property
    def website(self) -> str:
        return f"https://{self.key}.example.org"

    @property
    def contact_email(self) -> str:
        return f"contact@{self.key}.example.org"


# Why an organisation wants to join, in the language of its application.
MOTIVATIONS = {
    "en": "We want to find partners for our IP projects and share what we have learnt with "
    "organisations facing the same challenges.",
    "fr": "Nous souhaitons trouver des partenaires pour nos projets de propriété intellectuelle "
    "et partager notre expérience avec des organisations qui font face aux mêmes défis.",
    "es": "Queremos encontrar socios para nuestros proyectos de propiedad intelectual y compartir "
    "nuestra experiencia con organizaciones que enfrentan los mismos desafíos.",
    "ar": "نرغب في إيجاد شركاء لمشاريعنا في مجال الملكية الفكرية وتبادل خبراتنا مع المنظمات "
    "التي تواجه التحديات نفسها.",
    "ru": "Мы хотим найти партнёров для наших проектов в области интеллектуальной собственности "
    "и поделиться опытом с организациями, которые решают те же задачи.",
    "zh-hans": "我们希望为知识产权项目寻找合作伙伴，并与面临相同挑战的组织分享经验。",
}

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    # --- Africa ---------------------------------------------------------------------------------
    DemoOrganisation(
        key="nhu-tto",
        name="Nairobi Highlands University Technology Transfer Office",
        acronym="NHU-TTO",
        org_type="innovation-hub",
        country="KE",
        language="en",
        person="Grace Wanjiru",
        focal_email=FOCAL_EMAIL,
        themes=("ip-management", "green-innovation"),
        description=(
            "The technology transfer office of a public university with 14,000 students. We "
            "help researchers protect and license inventions in solar drying, water purification "
            "and drought-tolerant crops, and we run a yearly IP clinic for start-ups from the "
            "university's incubator. We seek mentoring on licence negotiation and can offer "
            "training on setting up a TTO with a small team."
        ),
    ),
    DemoOrganisation(
        key="agrinov-sn",
        name="Réseau sénégalais d'innovation agricole",
        acronym="RSIA",
        org_type="ngo",
        country="SN",
        language="fr",
        person="Mamadou Sarr",
        themes=("food-security-agriculture",),
        description=(
            "Réseau de 42 coopératives de producteurs de la vallée du fleuve Sénégal et de la "
            "Casamance. Nous voulons protéger la mangue de Casamance et le riz de la vallée par "
            "des indications géographiques et des marques collectives, et nous cherchons un "
            "accompagnement pour rédiger les cahiers des charges et organiser les contrôles."
        ),
    ),
    DemoOrganisation(
        key="aaipta",
        name="Addis Ababa IP Training Academy",
        acronym="AAIPTA",
        org_type="academia",
        country="ET",
        language="en",
        person="Selamawit Bekele",
        themes=("ip-management", "food-security-agriculture"),
        description=(
            "A training institute offering certificate courses in IP law and management to "
            "examiners, judges and university staff. We are developing a course on protecting "
            "coffee and teff varieties and look for partners who can share curricula, case "
            "studies and trainers in plant variety protection."
        ),
    ),
    DemoOrganisation(
        key="rw-innovation-policy",
        name="Rwanda National Innovation Policy Directorate",
        acronym="RNIPD",
        org_type="government",
        country="RW",
        language="en",
        person="Jean-Claude Habimana",
        themes=("ip-management", "green-innovation"),
        description=(
            "The directorate drafts the national IP and innovation strategy and coordinates the "
            "ministries that implement it. We are reviewing our IP policy to support young "
            "innovators and need legislative advice on utility models and on IP provisions in "
            "public research funding."
        ),
    ),
    DemoOrganisation(
        key="elgon-coffee",
        name="Mount Elgon Coffee Growers' Cooperative Union",
        acronym="MECGCU",
        org_type="industry-association",
        country="UG",
        language="en",
        person="Sarah Nabwire",
        themes=("food-security-agriculture",),
        description=(
            "A union of 18 primary cooperatives representing 9,000 smallholder Arabica growers "
            "on the slopes of Mount Elgon. We want a collective trademark and, later, a "
            "geographical indication for Elgon coffee, and we seek help with branding, quality "
            "rules and export market registration."
        ),
    ),
    DemoOrganisation(
        key="zanzibar-tmri",
        name="Zanzibar Traditional Medicine Research Institute",
        acronym="ZTMRI",
        org_type="academia",
        country="TZ",
        language="en",
        person="Dr Amina Juma",
        themes=("public-health",),
        description=(
            "We document medicinal plant knowledge held by healers on Unguja and Pemba and test "
            "remedies for safety. We need advice on defensive publication, prior informed consent "
            "and benefit-sharing agreements before working with pharmaceutical partners."
        ),
    ),
    DemoOrganisation(
        key="maputo-music",
        name="Maputo Musicians and Composers Collective",
        org_type="ngo",
        country="MZ",
        language="en",
        person="Armando Cossa",
        themes=("creative-industries",),
        description=(
            "A collective of 300 musicians and composers of marrabenta and contemporary music. "
            "We want to set up fair collective management of performance royalties, including "
            "for streaming, and are looking for a partner society willing to share its systems "
            "and experience."
        ),
    ),
    DemoOrganisation(
        key="sava-vanille",
        name="Groupement des producteurs de vanille de la SAVA",
        acronym="GPVS",
        org_type="industry-association",
        country="MG",
        language="fr",
        person="Hery Rakotomalala",
        themes=("food-security-agriculture",),
        description=(
            "Groupement de producteurs et de préparateurs de vanille de la région SAVA. Nous "
            "préparons une demande d'indication géographique « Vanille de Madagascar – SAVA » et "
            "recherchons une expertise sur la traçabilité, le contrôle de la qualité et la lutte "
            "contre les contrefaçons sur les marchés d'exportation."
        ),
    ),
    DemoOrganisation(
        key="karite-bf",
        name="Union des femmes productrices de karité du Burkina",
        acronym="UFPKB",
        org_type="ngo",
        country="BF",
        language="fr",
        person="Salimata Ouédraogo",
        themes=("food-security-agriculture", "green-innovation"),
        description=(
            "Union de 65 groupements féminins qui transforment les amandes de karité en beurre "
            "et en cosmétiques. Nous souhaitons déposer une marque collective, améliorer nos "
            "emballages et apprendre à négocier avec les acheteurs internationaux de l'industrie "
            "cosmétique."
        ),
    ),
    DemoOrganisation(
        key="lagos-creative",
        name="Lagos Film and Creative Rights Hub",
        acronym="LFCRH",
        org_type="ngo",
        country="NG",
        language="en",
        person="Chinedu Okafor",
        themes=("creative-industries",),
        description=(
            "A non-profit that advises independent film-makers, animators and musicians in Lagos "
            "on contracts, copyright registration and online piracy. We offer workshops to other "
            "creative communities in West Africa and seek partners for a regional anti-piracy "
            "awareness campaign."
        ),
    ),
    DemoOrganisation(
        key="cpit-iplc",
        name="Cape Peninsula Institute of Technology IP Law Centre",
        acronym="CPIT-IPLC",
        org_type="academia",
        country="ZA",
        language="en",
        person="Prof. Thandiwe Mokoena",
        themes=("ip-management", "public-health"),
        description=(
            "A university research centre on IP law, access to medicines and indigenous knowledge "
            "systems. We host visiting researchers, supervise master's theses on IP and "
            "development, and can provide trainers for courses on patent drafting and "
            "licensing in the SADC region."
        ),
    ),
    DemoOrganisation(
        key="cairo-patent-training",
        name="Cairo Patent Examination Training Centre",
        acronym="CPETC",
        org_type="ip-office",
        country="EG",
        language="ar",
        person="هالة عبد الرحمن",
        themes=("ip-management",),
        description=(
            "مركز تدريب تابع لمكتب براءات الاختراع يقدم دورات في فحص طلبات البراءات والبحث في "
            "حالة التقنية الصناعية السابقة لفاحصي المنطقة العربية. نبحث عن شركاء لتبادل الخبرات في "
            "أنظمة الفحص الإلكترونية ونستطيع استضافة زيارات دراسية للفاحصين من البلدان الأخرى."
        ),
    ),
    DemoOrganisation(
        key="souss-argan",
        name="Coopérative féminine d'huile d'argan du Souss",
        org_type="other",
        country="MA",
        language="ar",
        person="فاطمة أيت علي",
        themes=("food-security-agriculture", "green-innovation"),
        description=(
            "تعاونية نسائية تضم 120 امرأة تنتج زيت الأركان بالطرق التقليدية في منطقة سوس. نريد "
            "تعزيز حماية البيان الجغرافي لزيت الأركان ومكافحة التقليد في الأسواق الدولية، ونشارك "
            "تجربتنا مع التعاونيات الريفية في بلدان أخرى."
        ),
    ),
    DemoOrganisation(
        key="ghana-cocoa-ppp",
        name="Ghana Cocoa Innovation Partnership",
        acronym="GCIP",
        org_type="ppp",
        country="GH",
        language="en",
        person="Kwame Mensah",
        themes=("food-security-agriculture", "green-innovation"),
        description=(
            "A partnership of the national cocoa research institute, two chocolate makers and "
            "farmers' associations that develops and licenses disease-resistant cocoa seedlings "
            "and fermentation methods. We can share our licensing model with other crop "
            "partnerships and seek help with plant variety protection."
        ),
    ),
    DemoOrganisation(
        key="ci-innovation",
        name="Agence ivoirienne de promotion de l'innovation",
        acronym="AIPI",
        org_type="public-body",
        country="CI",
        language="fr",
        person="Adjoua Konan",
        themes=("ip-management", "creative-industries"),
        description=(
            "Agence publique qui accompagne les inventeurs, les start-up et les artisans dans la "
            "protection de leurs créations. Nous organisons un concours national de l'innovation "
            "et souhaitons créer un service de diagnostic PI pour les PME avec l'appui d'un "
            "partenaire expérimenté."
        ),
    ),
    DemoOrganisation(
        key="arcipt",
        name="African Regional Centre for IP Training",
        acronym="ARCIPT",
        org_type="igo",
        country="ZW",
        language="en",
        person="Tendai Moyo",
        themes=("ip-management",),
        description=(
            "An intergovernmental training centre serving the IP offices of 22 African member "
            "States. We run distance-learning and face-to-face courses and can co-organise "
            "regional workshops; we seek trainers on IP office automation and on "
            "geographical indications."
        ),
    ),
    # --- Americas -------------------------------------------------------------------------------
    DemoOrganisation(
        key="artisanat-haiti",
        name="Fondation haïtienne pour l'artisanat et le design",
        acronym="FHAD",
        org_type="foundation",
        country="HT",
        language="fr",
        person="Nadège Pierre-Louis",
        themes=("creative-industries",),
        description=(
            "Fondation qui soutient 400 artisans de Jacmel et de Croix-des-Bouquets (fer découpé, "
            "papier mâché, peinture). Nous voulons protéger les dessins et modèles des artisans, "
            "créer un label collectif et former les coopératives à la vente en ligne."
        ),
    ),
    DemoOrganisation(
        key="campinas-bioinputs",
        name="Campinas Bioinputs Ltda.",
        org_type="business",
        country="BR",
        language="en",
        person="Rafael Almeida",
        themes=("green-innovation", "food-security-agriculture"),
        description=(
            "A small company that develops biological fertilisers and pest-control products from "
            "native micro-organisms. We hold four patents and want to license our technology to "
            "producers in Africa and Latin America; we can offer technical training and "
            "know-how transfer."
        ),
    ),
    DemoOrganisation(
        key="oaxaca-innovacion",
        name="Secretaría de Innovación del Estado de Oaxaca",
        org_type="government",
        country="MX",
        language="es",
        person="Guadalupe Martínez",
        themes=("creative-industries", "ip-management"),
        description=(
            "Secretaría estatal que impulsa la innovación y protege el patrimonio de las "
            "comunidades indígenas. Buscamos asesoría para proteger los textiles y diseños "
            "tradicionales frente a la apropiación indebida, y compartimos nuestra experiencia "
            "con marcas colectivas de mezcal y alebrijes."
        ),
    ),
    DemoOrganisation(
        key="fcivv",
        name="Fundación Chilena para la Innovación Vitivinícola",
        acronym="FCIVV",
        org_type="foundation",
        country="CL",
        language="es",
        person="Ignacio Rojas",
        themes=("food-security-agriculture",),
        description=(
            "Fundación privada que financia la investigación en variedades de vid adaptadas a la "
            "sequía y apoya a pequeños viñateros del Maule. Ofrecemos becas para pasantías y "
            "asesoría sobre denominaciones de origen a organizaciones de otros países del Sur."
        ),
    ),
    DemoOrganisation(
        key="ccm-pi",
        name="Centro de Propiedad Intelectual de la Cámara de Comercio de Medellín",
        acronym="CPI-CCM",
        org_type="industry-association",
        country="CO",
        language="es",
        person="Valentina Restrepo",
        themes=("ip-management",),
        description=(
            "Centro de apoyo a las empresas afiliadas a la cámara: búsquedas de patentes y "
            "marcas, diagnóstico de activos intangibles y acompañamiento en la solicitud de "
            "registros. Podemos compartir nuestra metodología de diagnóstico PI para pymes."
        ),
    ),
    DemoOrganisation(
        key="quinua-andina",
        name="Asociación Peruana de Productores de Quinua Andina",
        acronym="APPQA",
        org_type="ngo",
        country="PE",
        language="es",
        person="Rosa Quispe",
        themes=("food-security-agriculture",),
        description=(
            "Asociación de productores de quinua de Puno y Ayacucho. Queremos registrar una marca "
            "colectiva, proteger nuestras variedades nativas y buscar apoyo técnico para "
            "certificar la calidad orgánica de nuestra producción."
        ),
    ),
    DemoOrganisation(
        key="jamaica-music-rights",
        name="Jamaica Music Rights Collective",
        acronym="JMRC",
        org_type="ngo",
        country="JM",
        language="en",
        person="Marcia Campbell",
        themes=("creative-industries",),
        description=(
            "A collective of reggae and dancehall artists, producers and sound-system operators. "
            "We train artists on contracts, split sheets and digital distribution, and we can "
            "share our experience with music communities in other small island States."
        ),
    ),
    DemoOrganisation(
        key="midwest-patent-clinic",
        name="Midwest University Patent Clinic for Development",
        org_type="academia",
        country="US",
        language="en",
        person="Prof. Emily Carter",
        themes=("ip-management", "public-health"),
        description=(
            "A law school clinic in which supervised students prepare patent searches, "
            "freedom-to-operate opinions and licence drafts for inventors in developing "
            "countries, free of charge. We offer about 30 pro bono projects a year."
        ),
    ),
    DemoOrganisation(
        key="fcpi",
        name="Fonds canadien pour les partenariats d'innovation",
        acronym="FCPI",
        org_type="foundation",
        country="CA",
        language="fr",
        person="Geneviève Tremblay",
        themes=("green-innovation", "ip-management"),
        description=(
            "Fondation qui finance des projets de transfert de technologies vertes entre "
            "universités canadiennes et partenaires d'Afrique francophone et d'Haïti. Nous "
            "offrons des subventions de démarrage et un appui à la gestion de la propriété "
            "intellectuelle des projets financés."
        ),
    ),
    DemoOrganisation(
        key="cr-incubadora-verde",
        name="Incubadora de Tecnologías Verdes de Costa Rica",
        acronym="ITV-CR",
        org_type="innovation-hub",
        country="CR",
        language="es",
        person="Andrés Solano",
        themes=("green-innovation",),
        description=(
            "Incubadora universitaria de emprendimientos en energías renovables, bioplásticos y "
            "reciclaje. Ofrecemos mentoría a incubadoras de Centroamérica y el Caribe y buscamos "
            "expertos en valoración y licenciamiento de tecnologías."
        ),
    ),
    # --- Asia -----------------------------------------------------------------------------------
    DemoOrganisation(
        key="kyrgyzpatent-tc",
        name="Kyrgyzpatent training centre",
        org_type="ip-office",
        country="KG",
        language="ru",
        person="Айгуль Токтогулова",
        themes=("ip-management",),
        description=(
            "Учебный центр национального патентного ведомства. Проводим курсы для экспертов, "
            "патентных поверенных и изобретателей, а также занятия по основам ИС в вузах. Ищем "
            "партнёров для обмена опытом в области электронной подачи заявок и экспертизы "
            "товарных знаков."
        ),
    ),
    DemoOrganisation(
        key="astana-ttc",
        name="Astana Technology Transfer Centre",
        acronym="ATTC",
        org_type="innovation-hub",
        country="KZ",
        language="ru",
        person="Ерлан Жумабаев",
        themes=("green-innovation", "ip-management"),
        description=(
            "Центр трансфера технологий, который помогает университетам и предприятиям "
            "коммерциализировать разработки в области возобновляемой энергетики и водосбережения. "
            "Предлагаем стажировки для сотрудников офисов трансфера технологий из Центральной Азии."
        ),
    ),
    DemoOrganisation(
        key="tsiip",
        name="Tashkent State Institute of Intellectual Property",
        acronym="TSIIP",
        org_type="academia",
        country="UZ",
        language="ru",
        person="Дилноза Рахимова",
        themes=("ip-management", "creative-industries"),
        description=(
            "Государственный институт, готовящий специалистов по интеллектуальной собственности. "
            "Разрабатываем магистерскую программу по управлению ИС и ищем преподавателей и "
            "учебные материалы по авторскому праву в цифровой среде."
        ),
    ),
    DemoOrganisation(
        key="shanghai-iptc",
        name="上海知识产权培训中心",
        acronym="SIPTC",
        org_type="public-body",
        country="CN",
        language="zh-hans",
        person="王丽",
        themes=("ip-management",),
        description=(
            "上海知识产权培训中心为企业、高校和政府部门提供专利、商标和版权方面的培训。我们可以"
            "为发展中国家的知识产权局和高校举办专题研讨会和短期培训班，并分享知识产权服务平台的"
            "建设经验。"
        ),
    ),
    DemoOrganisation(
        key="shenzhen-greentech",
        name="深圳绿技许可有限公司",
        org_type="business",
        country="CN",
        language="zh-hans",
        person="陈志强",
        themes=("green-innovation",),
        description=(
            "一家专注于低成本太阳能灌溉和储能技术的中小企业，拥有二十余项专利。我们愿意以优惠"
            "条件向最不发达国家的合作伙伴许可技术，并提供安装与维护培训。"
        ),
    ),
    DemoOrganisation(
        key="iitkd",
        name="Indian Institute for Traditional Knowledge Documentation",
        acronym="IITKD",
        org_type="academia",
        country="IN",
        language="en",
        person="Dr Priya Raghavan",
        themes=("public-health", "other"),
        description=(
            "We build searchable digital libraries of traditional medicine knowledge so that "
            "patent examiners can find prior art. We can train teams in other countries to "
            "document their own traditional knowledge and to link their databases with "
            "patent offices."
        ),
    ),
    DemoOrganisation(
        key="dhaka-generics",
        name="Dhaka Generic Medicines Manufacturers' Association",
        acronym="DGMMA",
        org_type="industry-association",
        country="BD",
        language="en",
        person="Rashed Karim",
        themes=("public-health",),
        description=(
            "An association of 35 pharmaceutical manufacturers. Our members need to understand "
            "the patent landscape of essential medicines and the use of TRIPS flexibilities, and "
            "we seek training on patent information searches and voluntary licensing."
        ),
    ),
    DemoOrganisation(
        key="kathmandu-paper",
        name="Kathmandu Valley Handmade Paper Enterprise",
        org_type="business",
        country="NP",
        language="en",
        person="Sunita Shrestha",
        themes=("creative-industries", "green-innovation"),
        description=(
            "A family enterprise making lokta paper products with 60 artisans in Bhaktapur. We "
            "want to protect our designs and brand abroad and to learn how a collective mark "
            "could help the lokta paper makers of Nepal."
        ),
    ),
    DemoOrganisation(
        key="khmer-silk",
        name="Cambodian Silk Weavers' Council",
        acronym="CSWC",
        org_type="ngo",
        country="KH",
        language="en",
        person="Sophea Chan",
        themes=("creative-industries",),
        description=(
            "A council of weaving villages in Takeo province producing hand-woven golden silk. We "
            "are preparing a geographical indication application and seek help with the product "
            "specification and with marketing protected silk to tourists and exporters."
        ),
    ),
    DemoOrganisation(
        key="vstic",
        name="Vientiane Science and Technology Innovation Centre",
        acronym="VSTIC",
        org_type="innovation-hub",
        country="LA",
        language="en",
        person="Khamphone Vongsa",
        themes=("ip-management", "food-security-agriculture"),
        description=(
            "A young innovation centre supporting researchers and start-ups in agriculture and "
            "food processing. We need training for our staff in IP management and patent "
            "drafting, and would welcome a twinning arrangement with an experienced centre."
        ),
    ),
    DemoOrganisation(
        key="amman-cipi",
        name="مركز عمّان للملكية الفكرية والابتكار",
        org_type="public-body",
        country="JO",
        language="ar",
        person="ليلى الخطيب",
        themes=("ip-management", "creative-industries"),
        description=(
            "مركز عام يدعم المبتكرين والشركات الناشئة في الأردن في حماية ابتكاراتهم وتسويقها. نقدم "
            "خدمات التوعية والتدريب ونبحث عن شراكات لإنشاء مكاتب لنقل التكنولوجيا في الجامعات."
        ),
    ),
    DemoOrganisation(
        key="gulf-creative-ppp",
        name="Gulf Creative Economy Partnership",
        acronym="GCEP",
        org_type="ppp",
        country="AE",
        language="ar",
        person="خالد المنصوري",
        themes=("creative-industries",),
        description=(
            "شراكة بين جهات حكومية وشركات إعلامية لدعم صناعة الأفلام والرسوم المتحركة والألعاب "
            "الرقمية. نقدم منحًا للتدريب على إدارة حقوق المؤلف ونرحب بالتعاون مع المبدعين في "
            "البلدان الأقل نموًا."
        ),
    ),
    DemoOrganisation(
        key="asean-ip-hub",
        name="Singapore–ASEAN IP Commercialisation Hub",
        acronym="SAIPCH",
        org_type="innovation-hub",
        country="SG",
        language="en",
        person="Tan Wei Ming",
        themes=("ip-management", "green-innovation"),
        description=(
            "A hub that connects ASEAN universities with companies looking for technologies. We "
            "offer IP valuation and licensing workshops and mentoring for technology transfer "
            "officers from Cambodia, Lao PDR and Myanmar."
        ),
    ),
    DemoOrganisation(
        key="pcii",
        name="Philippine Council of Inventors and Innovators",
        acronym="PCII",
        org_type="industry-association",
        country="PH",
        language="en",
        person="Maria Santos",
        themes=("ip-management", "green-innovation"),
        description=(
            "A national association of independent inventors. We help members file utility model "
            "applications, find manufacturers and take part in invention fairs, and we seek "
            "mentors on commercialisation."
        ),
    ),
    # --- Europe ---------------------------------------------------------------------------------
    DemoOrganisation(
        key="gcipds",
        name="Centre genevois d'études sur la propriété intellectuelle et le développement",
        acronym="CGEPID",
        org_type="academia",
        country="CH",
        language="fr",
        person="Claire Dubois",
        themes=("ip-management", "public-health"),
        description=(
            "Centre universitaire de recherche et de formation sur la propriété intellectuelle "
            "et le développement. Nous proposons des cours d'été, des bourses de recherche et "
            "des formations sur mesure pour les offices de PI et les ministères des pays en "
            "développement."
        ),
    ),
    DemoOrganisation(
        key="afepi",
        name="Agence française d'expertise en propriété industrielle",
        acronym="AFEPI",
        org_type="public-body",
        country="FR",
        language="fr",
        person="Julien Moreau",
        themes=("ip-management", "food-security-agriculture"),
        description=(
            "Agence publique de coopération technique qui met des experts en propriété "
            "industrielle à la disposition des offices partenaires : modernisation des "
            "procédures, formation des examinateurs, indications géographiques."
        ),
    ),
    DemoOrganisation(
        key="pat-probono-de",
        name="German Patent Attorneys' Pro Bono Network",
        org_type="ngo",
        country="DE",
        language="en",
        person="Katrin Schneider",
        themes=("ip-management", "green-innovation"),
        description=(
            "Volunteer patent attorneys who draft and prosecute applications, free of charge, "
            "for inventors and small companies from least developed countries whose inventions "
            "address climate adaptation or public health."
        ),
    ),
    DemoOrganisation(
        key="nfid",
        name="Nordic Foundation for Innovation and Development",
        acronym="NFID",
        org_type="foundation",
        country="SE",
        language="en",
        person="Erik Lindqvist",
        themes=("green-innovation", "food-security-agriculture"),
        description=(
            "A foundation that funds triangular cooperation projects in which innovation "
            "agencies of two developing countries work together on green technologies. Grants "
            "of up to 150,000 euros cover training, study visits and equipment."
        ),
    ),
    DemoOrganisation(
        key="pricpi",
        name="Programa Iberoamericano de Cooperación en Propiedad Industrial",
        acronym="PRICPI",
        org_type="igo",
        country="ES",
        language="es",
        person="Carmen Navarro",
        themes=("ip-management",),
        description=(
            "Programa intergubernamental que reúne a las oficinas de propiedad industrial de "
            "veinte países iberoamericanos. Organizamos cursos en línea, pasantías y proyectos "
            "conjuntos de modernización de sistemas informáticos."
        ),
    ),
    DemoOrganisation(
        key="mdlc-ip",
        name="Moscow Distance Learning Centre for Intellectual Property",
        acronym="MDLC-IP",
        org_type="academia",
        country="RU",
        language="ru",
        person="Наталья Смирнова",
        themes=("ip-management", "creative-industries"),
        description=(
            "Центр дистанционного обучения, который предлагает онлайн-курсы по патентному праву, "
            "товарным знакам и авторскому праву на русском языке. Готовы бесплатно открыть доступ "
            "к курсам для слушателей из развивающихся стран."
        ),
    ),
    # --- Oceania --------------------------------------------------------------------------------
    DemoOrganisation(
        key="pirip",
        name="Pacific Islands Regional IP Cooperation Programme",
        acronym="PIRIP",
        org_type="igo",
        country="FJ",
        language="en",
        person="Litia Vakaloloma",
        themes=("ip-management", "other"),
        description=(
            "A regional programme that supports the small IP administrations of Pacific island "
            "countries with shared examination services, model laws on traditional knowledge and "
            "training. We seek partners for regional trademark search services."
        ),
    ),
    DemoOrganisation(
        key="sitkft",
        name="Solomon Islands Traditional Knowledge and Fisheries Trust",
        acronym="SITKFT",
        org_type="ngo",
        country="SB",
        language="en",
        person="John Maeda",
        themes=("food-security-agriculture", "other"),
        description=(
            "A community trust that records customary fishing knowledge in Malaita and Western "
            "Province. We want to keep control over how this knowledge is used by researchers "
            "and companies, and need advice on protocols and benefit sharing."
        ),
    ),
    DemoOrganisation(
        key="indigenous-knowledge-au",
        name="Australian Indigenous Knowledge Protection Network",
        acronym="AIKPN",
        org_type="ngo",
        country="AU",
        language="en",
        person="Daniel Watson",
        themes=("other", "creative-industries"),
        description=(
            "A network of Aboriginal and Torres Strait Islander organisations working on the "
            "protection of indigenous cultural and intellectual property. We share protocols, "
            "contract templates and labelling schemes with indigenous communities elsewhere."
        ),
    ),
    DemoOrganisation(
        key="png-coffee-ppp",
        name="Papua New Guinea Highlands Coffee Platform",
        acronym="PNG-HCP",
        org_type="ppp",
        country="PG",
        language="en",
        person="Ruth Kila",
        themes=("food-security-agriculture",),
        description=(
            "A public-private platform of the coffee board, exporters and grower groups in the "
            "Eastern Highlands. We want a certification mark for highland coffee and training "
            "on quality control and branding for grower cooperatives."
        ),
    ),
    DemoOrganisation(
        key="samoa-crafts",
        name="Samoa Cultural Heritage and Crafts Council",
        org_type="public-body",
        country="WS",
        language="en",
        person="Faafetai Tuilagi",
        themes=("creative-industries", "other"),
        description=(
            "A public council that promotes Samoan fine mats, tapa and tattoo arts. We seek "
            "advice on protecting traditional cultural expressions and on an authenticity label "
            "for crafts sold to visitors."
        ),
    ),
)


@dataclass(frozen=True)
class DemoApplication:
    """An application left open, so that the review queue has work in it."""

    organisation: DemoOrganisation
    applicant_email: str
    request_info: str = ""  # a facilitator's question, when more information is asked for


PENDING_APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication(
        DemoOrganisation(
            key="dakar-design",
            name="Association des jeunes designers de Dakar",
            acronym="AJDD",
            org_type="ngo",
            country="SN",
            language="fr",
            person="Awa Ndiaye",
            themes=("creative-industries",),
            description=(
                "Association de 80 jeunes stylistes et designers textiles de Dakar. Nous voulons "
                "apprendre à protéger nos créations (dessins et modèles, marques) et trouver un "
                "partenaire pour un programme de mentorat avec des maisons de mode établies."
            ),
        ),
        applicant_email=APPLICANT_EMAIL,
    ),
    DemoApplication(
        # Same name and country as an approved member: the reviewer sees it flagged.
        DemoOrganisation(
            key="elgon-coffee-2",
            name="Mount Elgon Coffee Growers' Cooperative Union",
            org_type="industry-association",
            country="UG",
            language="en",
            person="Moses Wekesa",
            themes=("food-security-agriculture",),
            description=(
                "Cooperative union of coffee growers of Mbale and Bulambuli districts. We want "
                "help to register a trademark for our coffee."
            ),
        ),
        applicant_email=f"focal.elgon-coffee-2@{DEMO_DOMAIN}",
    ),
    DemoApplication(
        DemoOrganisation(
            key="tonga-handicrafts",
            name="Tonga Handicraft Exporters",
            org_type="business",
            country="TO",
            language="en",
            person="Mele Taufa",
            themes=("creative-industries",),
            description="We export handicrafts.",
        ),
        applicant_email=f"focal.tonga-handicrafts@{DEMO_DOMAIN}",
        request_info=(
            "Please describe your activities in more detail and give an official website or a "
            "company registration number."
        ),
    ),
)


# --- Seeding ------------------------------------------------------------------------------------


class ReferenceDataMissing(Exception):
    pass


@dataclass
class SeedReport:
    created_accounts: list[str] = field(default_factory=list)
    created_organisations: list[str] = field(default_factory=list)
    created_applications: list[str] = field(default_factory=list)
    created_memberships: list[str] = field(default_factory=list)
    skipped: int = 0
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def created_anything(self) -> bool:
        return bool(
            self.created_accounts
            or self.created_organisations
            or self.created_applications
            or self.created_memberships
        )


@contextmanager
def outgoing_email_held_back() -> Iterator[HeldBack]:
    """Inside this block, e-mails the services write are dropped (for this thread only): the
    demo people have invented addresses, so nothing should wait in the outbox."""
    with emails_held_back() as held:
        yield held


def _create_user(
    *,
    email: str,
    full_name: str,
    language: str = "en",
    password: str | None = None,
    staff_role: str = "",
    superuser: bool = False,
) -> User:
    # password=None gives an unusable password: the people behind the demo organisations never
    # sign in, only the five demo accounts do.
    extra = {"full_name": full_name, "preferred_language": language}
    if superuser:
        user = User.objects.create_superuser(email, password, **extra)
    else:
        user = User.objects.create_user(email, password, staff_role=staff_role, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _submit(org: DemoOrganisation, user: User, countries: dict[str, Country]):
    return services.application_submit(
        user=user,
        name=org.name,
        acronym=org.acronym,
        org_type=org.org_type,
        country=countries[org.country],
        website=org.website,
        description=org.description,
        contact_email=org.contact_email,
        themes=list(org.themes),
        motivation=MOTIVATIONS[org.language],
        accepted_code_of_conduct=True,
    )


def _admit(org: DemoOrganisation, user: User, facilitator: User, countries) -> None:
    application = _submit(org, user, countries)
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={
            criterion.slug: (True, "Checked against the organisation's website and documents.")
            for criterion in CRITERIA
        },
    )
    services.application_approve(
        facilitator=facilitator,
        application=application,
        reason="Meets every membership criterion.",
    )


def _summary_figures() -> dict[str, int]:
    demo = Organisation.objects.filter(memberships__user__email__endswith=f"@{DEMO_DOMAIN}")
    approved = demo.filter(status=Organisation.Status.APPROVED).distinct()
    figures = approved.aggregate(
        organisations=Count("pk", distinct=True),
        countries=Count("country", distinct=True),
        regions=Count("country__region", distinct=True),
        ldc_organisations=Count("pk", filter=Q(country__ldc=True), distinct=True),
        organisation_types=Count("org_type", distinct=True),
    )
    figures["pending_applications"] = MembershipApplication.objects.filter(
        applicant__email__endswith=f"@{DEMO_DOMAIN}",
        status__in=MembershipApplication.OPEN_STATUSES,
    ).count()
    return figures


def seed_demo(*, log: Callable[[str], None] = lambda message: None) -> SeedReport:
    """Create whatever part of the demo content is missing; return what was created.

    Call it outside any transaction (as the command does): each organisation is committed on its
    own, so the e-mails its services queue on commit are dropped inside the hold-back.
    """
    report = SeedReport()
    codes = {o.country for o in ORGANISATIONS} | {
        a.organisation.country for a in PENDING_APPLICATIONS
    }
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=codes)}
    missing = sorted(codes - set(countries))
    if missing:
        raise ReferenceDataMissing(
            f"Reference data is missing (countries {', '.join(missing)}). "
            "Run `manage.py load_reference` first."
        )

    org_emails = [o.email for o in ORGANISATIONS] + [
        a.applicant_email for a in PENDING_APPLICATIONS
    ]
    all_emails = [a.email for a in ACCOUNTS] + org_emails
    users = {u.email: u for u in User.objects.filter(email__in=all_emails)}
    # A demo person who already belongs somewhere or has applied has been seeded.
    settled = set(
        User.objects.filter(email__in=org_emails)
        .filter(Q(memberships__isnull=False) | Q(applications__isnull=False))
        .values_list("email", flat=True)
    )

    with outgoing_email_held_back() as backend:
        for account in ACCOUNTS:
            if account.email in users:
                continue
            users[account.email] = _create_user(
                email=account.email,
                full_name=account.full_name,
                password=DEMO_PASSWORD,
                staff_role=account.staff_role,
                superuser=account.superuser,
            )
            report.created_accounts.append(account.email)
            log(f"  + account {account.email} ({account.role})")
        facilitator = users[FACILITATOR_EMAIL]

        for org in ORGANISATIONS:
            if org.email in settled:
                report.skipped += 1
                continue
            with transaction.atomic():
                user = users.get(org.email) or _create_user(
                    email=org.email, full_name=org.person, language=org.language
                )
                users[org.email] = user
                _admit(org, user, facilitator, countries)
            report.created_organisations.append(org.name)
            log(f"  + {org.name} ({org.country})")

        _seed_contributor(users, report, log)

        for pending in PENDING_APPLICATIONS:
            if pending.applicant_email in settled:
                report.skipped += 1
                continue
            org = pending.organisation
            with transaction.atomic():
                user = users.get(pending.applicant_email)
                if user is None:
                    user = _create_user(
                        email=pending.applicant_email, full_name=org.person, language=org.language
                    )
                application = _submit(org, user, countries)
                if pending.request_info:
                    services.application_request_info(
                        facilitator=facilitator,
                        application=application,
                        reason=pending.request_info,
                    )
            report.created_applications.append(org.name)
            log(f"  + application of {org.name} ({org.country}), left open for review")
        if backend.dropped:
            log(f"  {backend.dropped} notification e-mails were not sent (demo addresses).")

    report.figures = _summary_figures()
    return report


def _seed_contributor(users: dict[str, User], report: SeedReport, log) -> None:
    """contributor@ joins focal@'s organisation the way a colleague would: asks, and is approved."""
    contributor, focal = users[CONTRIBUTOR_EMAIL], users[FOCAL_EMAIL]
    if Membership.objects.filter(user=contributor).exists():
        return
    membership = Membership.objects.filter(user=focal).select_related("organisation").first()
    if membership is None:
        return
    with transaction.atomic():
        join_request = services.join_request_create(
            user=contributor,
            organisation=membership.organisation,
            message="I coordinate our licensing projects and would like to post our offers.",
        )
        services.join_request_approve(actor=focal, join_request=join_request)
    report.created_memberships.append(contributor.email)
    log(f"  + {contributor.email} joined {membership.organisation.name} as contributor")
