"""A synthetic multilingual catalogue of needs and offers, for speed benchmarks.

Texts are composed from small phrase banks in the six UN languages and Portuguese (topic,
kind of help, organisation, numbers), facets follow the topic with the noise members introduce
(missing or loose labels), and eligibility, delivery languages, countries and priors are drawn
to resemble a real catalogue. The output is deterministic for a given seed.

Embedding is the slow part of building a catalogue (about 100 paragraph-length texts per second
on one core with the USE model), so listings draw their title and description from a pool of
distinct texts: `offer_pool` texts are embedded once and shared by the 100,000 offers, each of
which still has its own facets, country, eligibility and dates. In production each embedding is
computed once, when a listing is saved, and stored; building the index never embeds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from .documents import NeedDoc, OfferDoc, join_text

__all__ = ["SyntheticCatalogue", "generate_catalogue"]

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh", "pt")
# share of listings written in each language (offers lean towards English, as in practice)
OFFER_LANGUAGE_WEIGHTS = (0.36, 0.13, 0.15, 0.09, 0.08, 0.12, 0.07)
NEED_LANGUAGE_WEIGHTS = (0.2, 0.2, 0.18, 0.14, 0.14, 0.1, 0.04)

# topic: (theme, ip areas, {language: noun phrase})
TOPICS: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    (
        "public-health",
        ("patents",),
        {
            "en": "examination of pharmaceutical patent applications",
            "fr": "l'examen des demandes de brevets pharmaceutiques",
            "es": "el examen de solicitudes de patentes farmacéuticas",
            "ru": "экспертизе фармацевтических патентных заявок",
            "ar": "فحص طلبات براءات الاختراع الدوائية",
            "zh": "药品专利申请审查",
            "pt": "o exame de pedidos de patentes farmacêuticas",
        },
    ),
    (
        "ip-management",
        ("trademarks", "ip-office-automation"),
        {
            "en": "an online trademark filing and registration system",
            "fr": "un système de dépôt et d'enregistrement des marques en ligne",
            "es": "un sistema en línea de registro de marcas",
            "ru": "электронной системе подачи и регистрации товарных знаков",
            "ar": "نظام إلكتروني لإيداع العلامات التجارية وتسجيلها",
            "zh": "商标网上申请与注册系统",
            "pt": "um sistema eletrônico de depósito e registro de marcas",
        },
    ),
    (
        "food-security-agriculture",
        ("geographical-indications",),
        {
            "en": "geographical indications for coffee, tea and cocoa producers",
            "fr": "les indications géographiques pour les producteurs de café et de cacao",
            "es": "las indicaciones geográficas para productores de café y cacao",
            "ru": "географическим указаниям для производителей чая и фруктов",
            "ar": "المؤشرات الجغرافية لمنتجي البن والتمور",
            "zh": "茶叶和咖啡产品的地理标志保护",
            "pt": "as indicações geográficas para produtores de café e cacau",
        },
    ),
    (
        "creative-industries",
        ("copyright",),
        {
            "en": "collective management of music copyright and royalty distribution",
            "fr": "la gestion collective du droit d'auteur musical et la répartition des droits",
            "es": "la gestión colectiva del derecho de autor en la música",
            "ru": "коллективному управлению авторскими правами в музыке",
            "ar": "الإدارة الجماعية لحق المؤلف في الموسيقى وتوزيع العائدات",
            "zh": "音乐著作权集体管理和版税分配",
            "pt": "a gestão coletiva de direitos autorais na música",
        },
    ),
    (
        "ip-management",
        ("ip-commercialization",),
        {
            "en": "setting up university technology transfer offices",
            "fr": "la création de bureaux de transfert de technologie universitaires",
            "es": "la creación de oficinas de transferencia de tecnología universitarias",
            "ru": "созданию университетских центров трансфера технологий",
            "ar": "إنشاء مكاتب نقل التكنولوجيا في الجامعات",
            "zh": "高校技术转移办公室建设",
            "pt": "a criação de núcleos de inovação tecnológica nas universidades",
        },
    ),
    (
        "food-security-agriculture",
        ("plant-varieties",),
        {
            "en": "plant variety protection and DUS testing of rice and maize",
            "fr": "la protection des obtentions végétales et les essais DHS",
            "es": "la protección de variedades vegetales y los ensayos DHE",
            "ru": "охране селекционных достижений и испытаниям сортов",
            "ar": "حماية الأصناف النباتية الجديدة واختبارات التميز والتجانس",
            "zh": "植物新品种保护和DUS测试",
            "pt": "a proteção de cultivares e os testes DHE",
        },
    ),
    (
        "green-innovation",
        ("ip-commercialization", "patents"),
        {
            "en": "licensing of green technologies for solar energy and water treatment",
            "fr": "la concession de licences de technologies vertes pour l'énergie solaire",
            "es": "el licenciamiento de tecnologías verdes de energía solar y agua",
            "ru": "лицензированию зеленых технологий в солнечной энергетике",
            "ar": "ترخيص التكنولوجيات الخضراء للطاقة الشمسية ومعالجة المياه",
            "zh": "太阳能和水处理绿色技术许可",
            "pt": "o licenciamento de tecnologias verdes de energia solar",
        },
    ),
    (
        "public-health",
        ("traditional-knowledge",),
        {
            "en": "documenting traditional knowledge of medicinal plants",
            "fr": "la documentation des savoirs traditionnels sur les plantes médicinales",
            "es": "la documentación de conocimientos tradicionales sobre plantas medicinales",
            "ru": "документированию традиционных знаний о лекарственных растениях",
            "ar": "توثيق المعارف التقليدية المتعلقة بالنباتات الطبية",
            "zh": "药用植物传统知识的记录与保护",
            "pt": "a documentação de conhecimentos tradicionais sobre plantas medicinais",
        },
    ),
    (
        "ip-management",
        ("ip-office-automation", "patents"),
        {
            "en": "digitization of patent records and automation of office workflows",
            "fr": "la numérisation des dossiers de brevets et l'automatisation de l'office",
            "es": "la digitalización de expedientes de patentes y la automatización",
            "ru": "оцифровке патентных документов и автоматизации ведомства",
            "ar": "رقمنة ملفات البراءات وأتمتة إجراءات المكتب",
            "zh": "专利档案数字化和审查流程自动化",
            "pt": "a digitalização de processos de patentes e a automação do instituto",
        },
    ),
    (
        "other",
        ("enforcement", "trademarks"),
        {
            "en": "fighting counterfeit goods at the border with customs officers",
            "fr": "la lutte contre la contrefaçon aux frontières avec les douanes",
            "es": "la lucha contra la falsificación en frontera con las aduanas",
            "ru": "борьбе с контрафактом на границе совместно с таможней",
            "ar": "مكافحة السلع المقلدة على الحدود مع موظفي الجمارك",
            "zh": "海关边境打击假冒商品",
            "pt": "o combate à falsificação nas fronteiras com a alfândega",
        },
    ),
    (
        "creative-industries",
        ("industrial-designs",),
        {
            "en": "protecting industrial designs of crafts and furniture",
            "fr": "la protection des dessins et modèles de l'artisanat",
            "es": "la protección de diseños industriales de artesanías",
            "ru": "охране промышленных образцов изделий ремесленников",
            "ar": "حماية الرسوم والنماذج الصناعية للحرف اليدوية",
            "zh": "手工艺品和家具的外观设计保护",
            "pt": "a proteção de desenhos industriais do artesanato",
        },
    ),
    (
        "ip-management",
        ("ip-policy",),
        {
            "en": "drafting a national intellectual property strategy",
            "fr": "l'élaboration d'une stratégie nationale de propriété intellectuelle",
            "es": "la elaboración de una estrategia nacional de propiedad intelectual",
            "ru": "разработке национальной стратегии в области интеллектуальной собственности",
            "ar": "إعداد استراتيجية وطنية للملكية الفكرية",
            "zh": "制定国家知识产权战略",
            "pt": "a elaboração de uma estratégia nacional de propriedade intelectual",
        },
    ),
    (
        "ip-management",
        ("ip-education",),
        {
            "en": "teaching intellectual property in universities and schools",
            "fr": "l'enseignement de la propriété intellectuelle dans les universités",
            "es": "la enseñanza de la propiedad intelectual en universidades",
            "ru": "преподаванию интеллектуальной собственности в вузах",
            "ar": "تدريس الملكية الفكرية في الجامعات والمدارس",
            "zh": "高校和中小学知识产权教育",
            "pt": "o ensino de propriedade intelectual nas universidades",
        },
    ),
    (
        "other",
        ("ip-commercialization",),
        {
            "en": "valuation of intellectual property assets of start-ups",
            "fr": "l'évaluation des actifs de propriété intellectuelle des start-up",
            "es": "la valoración de activos de propiedad intelectual de emprendimientos",
            "ru": "оценке интеллектуальной собственности стартапов",
            "ar": "تقييم أصول الملكية الفكرية للشركات الناشئة",
            "zh": "初创企业知识产权评估",
            "pt": "a avaliação de ativos de propriedade intelectual de startups",
        },
    ),
    (
        "other",
        ("trade-secrets",),
        {
            "en": "protecting trade secrets and know-how in small enterprises",
            "fr": "la protection des secrets d'affaires dans les PME",
            "es": "la protección de secretos comerciales en las pymes",
            "ru": "защите коммерческой тайны на малых предприятиях",
            "ar": "حماية الأسرار التجارية في المؤسسات الصغيرة",
            "zh": "中小企业商业秘密保护",
            "pt": "a proteção de segredos comerciais nas pequenas empresas",
        },
    ),
)

ACTIVITIES: dict[str, dict[str, str]] = {
    "training": {
        "en": "training",
        "fr": "une formation",
        "es": "capacitación",
        "ru": "обучение",
        "ar": "تدريب",
        "zh": "培训",
        "pt": "capacitação",
    },
    "expert-advice": {
        "en": "expert advice",
        "fr": "des conseils d'experts",
        "es": "asesoría de expertos",
        "ru": "экспертные консультации",
        "ar": "مشورة الخبراء",
        "zh": "专家咨询",
        "pt": "consultoria especializada",
    },
    "legislative-advice": {
        "en": "legislative advice",
        "fr": "une assistance législative",
        "es": "asesoría legislativa",
        "ru": "помощь в подготовке законодательства",
        "ar": "المشورة التشريعية",
        "zh": "立法咨询",
        "pt": "assessoria legislativa",
    },
    "it-infrastructure": {
        "en": "software and IT equipment",
        "fr": "des logiciels et équipements informatiques",
        "es": "software y equipos informáticos",
        "ru": "программное обеспечение и оборудование",
        "ar": "البرمجيات والمعدات الحاسوبية",
        "zh": "软件和信息化设备",
        "pt": "software e equipamentos de informática",
    },
    "study-visit": {
        "en": "a study visit",
        "fr": "une visite d'étude",
        "es": "una pasantía",
        "ru": "ознакомительный визит",
        "ar": "زيارة دراسية",
        "zh": "考察交流",
        "pt": "uma visita de estudo",
    },
    "funding": {
        "en": "a grant",
        "fr": "un financement",
        "es": "financiamiento",
        "ru": "грант",
        "ar": "منحة تمويل",
        "zh": "资金支持",
        "pt": "financiamento",
    },
    "mentoring": {
        "en": "mentoring",
        "fr": "un accompagnement",
        "es": "mentoría",
        "ru": "наставничество",
        "ar": "إرشاد وتوجيه",
        "zh": "导师辅导",
        "pt": "mentoria",
    },
    "technology-transfer": {
        "en": "transfer of technology and know-how",
        "fr": "un transfert de technologie",
        "es": "transferencia de tecnología",
        "ru": "передачу технологий",
        "ar": "نقل التكنولوجيا والمعرفة",
        "zh": "技术转让",
        "pt": "transferência de tecnologia",
    },
}

ORGS: dict[str, tuple[str, ...]] = {
    "en": ("national IP office", "university", "producers' association", "ministry", "company"),
    "fr": ("office national de la PI", "université", "association de producteurs", "ministère"),
    "es": ("oficina nacional de PI", "universidad", "asociación de productores", "ministerio"),
    "ru": ("патентное ведомство", "университет", "ассоциация производителей", "министерство"),
    "ar": ("مكتب الملكية الفكرية", "الجامعة", "جمعية المنتجين", "الوزارة"),
    "zh": ("国家知识产权局", "大学", "生产者协会", "主管部门"),
    "pt": ("instituto nacional de PI", "universidade", "associação de produtores", "ministério"),
}

# (title, first sentence, "also" sentence, closing sentence)
# {a}: activity, {t}: topic, {o}: organisation, {n}, {m}: numbers
NEED_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "Request for {a} on {t}",
        "Our {o} needs {a} on {t}.",
        "We would also welcome {a}.",
        "About {n} staff would take part, and we hope to start within {m} months.",
    ),
    "fr": (
        "Demande d'appui : {a} sur {t}",
        "Notre institution ({o}) sollicite {a} sur {t}.",
        "Nous sollicitons aussi {a}.",
        "Environ {n} agents y participeraient et nous souhaitons commencer d'ici {m} mois.",
    ),
    "es": (
        "Solicitud de {a} sobre {t}",
        "Nuestra institución ({o}) necesita {a} sobre {t}.",
        "También nos serviría {a}.",
        "Participarían unas {n} personas y quisiéramos empezar en {m} meses.",
    ),
    "ru": (
        "Запрос: {a} по {t}",
        "Нашему учреждению ({o}) нужно {a} по {t}.",
        "Также нам нужно {a}.",
        "Участвовать будут около {n} сотрудников, начать хотим в течение {m} месяцев.",
    ),
    "ar": (
        "طلب {a} بشأن {t}",
        "تحتاج {o} لدينا إلى {a} في مجال {t}.",
        "كما نحتاج إلى {a}.",
        "سيشارك نحو {n} موظفا ونأمل أن نبدأ خلال {m} أشهر.",
    ),
    "zh": (
        "关于{t}的{a}需求",
        "我们{o}需要关于{t}的{a}。",
        "同时也需要{a}。",
        "预计约{n}名工作人员参加，希望在{m}个月内启动。",
    ),
    "pt": (
        "Pedido de {a} sobre {t}",
        "Nossa instituição ({o}) precisa de {a} sobre {t}.",
        "Também precisamos de {a}.",
        "Cerca de {n} pessoas participariam e gostaríamos de começar em {m} meses.",
    ),
}
OFFER_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "{A} on {t}",
        "Our {o} offers {a} on {t} to partners in developing countries.",
        "We can also provide {a}.",
        "The programme lasts {m} months, online or on site, for up to {n} participants.",
    ),
    "fr": (
        "{A} sur {t}",
        "Notre institution ({o}) propose {a} sur {t} aux pays en développement.",
        "Nous pouvons aussi fournir {a}.",
        "Le programme dure {m} mois, à distance ou sur place, pour {n} participants au plus.",
    ),
    "es": (
        "{A} sobre {t}",
        "Nuestra institución ({o}) ofrece {a} sobre {t} a países en desarrollo.",
        "También ofrecemos {a}.",
        "El programa dura {m} meses, en línea o presencial, para hasta {n} participantes.",
    ),
    "ru": (
        "{A}: {t}",
        "Наше учреждение ({o}) предлагает {a} по {t} партнерам из развивающихся стран.",
        "Мы также предлагаем {a}.",
        "Программа длится {m} месяцев, очно или онлайн, для {n} участников.",
    ),
    "ar": (
        "{A} في مجال {t}",
        "تقدم {o} لدينا {a} في مجال {t} للشركاء في البلدان النامية.",
        "ويمكننا أيضا تقديم {a}.",
        "يستمر البرنامج {m} أشهر عن بعد أو حضوريا لما يصل إلى {n} مشاركا.",
    ),
    "zh": (
        "{t}{a}项目",
        "我们{o}为发展中国家的合作伙伴提供关于{t}的{a}。",
        "我们还可以提供{a}。",
        "项目为期{m}个月，可线上或线下开展，最多{n}名学员。",
    ),
    "pt": (
        "{A} sobre {t}",
        "Nossa instituição ({o}) oferece {a} sobre {t} a países em desenvolvimento.",
        "Também oferecemos {a}.",
        "O programa dura {m} meses, online ou presencial, para até {n} participantes.",
    ),
}

# Countries per language area (seekers and providers are drawn from these), and M49 regions
# that restricted offers target.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "en": ("KE", "GH", "NG", "IN", "PH", "BD", "NP", "ZA", "GB", "US", "AU", "SG", "UG", "ZM"),
    "fr": ("SN", "CI", "CM", "MG", "BF", "BJ", "ML", "TN", "FR", "CH", "BE", "CA", "HT", "NE"),
    "es": ("MX", "CO", "PE", "CL", "AR", "BO", "GT", "HN", "CU", "PY", "ES", "EC", "DO", "UY"),
    "ru": ("RU", "KZ", "KG", "UZ", "TJ", "AM", "BY", "AZ", "MD"),
    "ar": ("EG", "MA", "JO", "SD", "DZ", "SA", "OM", "LB", "IQ", "AE", "MR", "YE"),
    "zh": ("CN", "SG", "MY"),
    "pt": ("BR", "PT", "MZ", "AO", "CV", "GW", "ST"),
}
REGIONS = ("002", "202", "019", "419", "142", "150", "145", "035", "011", "014", "143")
RESOURCES = ("human", "technical", "financial", "in-kind")
ORG_TYPES = ("ip-office", "government", "academia", "business", "ngo", "igo", "innovation-hub")


@dataclass
class SyntheticCatalogue:
    offers: list[OfferDoc]
    needs: list[NeedDoc]
    offer_texts: list[str]  # the distinct offer texts ("title. description")
    need_texts: list[str]
    offer_text_ids: np.ndarray  # offers[i] uses offer_texts[offer_text_ids[i]]
    need_text_ids: np.ndarray
    seed: int = 0
    stats: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Text:
    title: str
    description: str
    language: str
    topic: int
    extra_topic: int | None
    assistance: tuple[str, ...]


def _compose(rng: random.Random, language: str, templates, need: bool) -> _Text:
    topic = rng.randrange(len(TOPICS))
    extra = rng.randrange(len(TOPICS)) if rng.random() < 0.3 else None
    kinds = rng.sample(sorted(ACTIVITIES), k=rng.choice((1, 1, 2, 2, 3)))
    title_t, first_t, also_t, last_t = templates[language]
    activity = ACTIVITIES[kinds[0]][language]
    topic_text = TOPICS[topic][2][language]
    values = {
        "a": activity,
        "A": activity[:1].upper() + activity[1:],
        "t": topic_text,
        "o": rng.choice(ORGS[language]),
        "n": rng.randrange(5, 300),
        "m": rng.randrange(2, 25),
    }
    sentences = [first_t.format(**values)]
    for kind in kinds[1:]:
        sentences.append(also_t.format(a=ACTIVITIES[kind][language]))
    if extra is not None:
        sentences.append(first_t.format(**{**values, "t": TOPICS[extra][2][language]}))
    sentences.append(last_t.format(**values))
    joiner = "" if language == "zh" else " "
    return _Text(
        title=title_t.format(**values),
        description=joiner.join(sentences),
        language=language,
        topic=topic,
        extra_topic=extra,
        assistance=tuple(kinds),
    )


def _facets(rng: random.Random, text: _Text) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Themes and IP areas as members fill them: mostly right, sometimes partial or loose."""
    theme, areas, _ = TOPICS[text.topic]
    themes = [theme]
    ip_areas = list(areas)
    if text.extra_topic is not None and rng.random() < 0.7:
        themes.append(TOPICS[text.extra_topic][0])
        ip_areas.extend(TOPICS[text.extra_topic][1])
    if rng.random() < 0.15:
        ip_areas = ip_areas[:1] if rng.random() < 0.5 else []
    if rng.random() < 0.1:
        ip_areas.append(TOPICS[rng.randrange(len(TOPICS))][1][0])
    return tuple(dict.fromkeys(themes)), tuple(dict.fromkeys(ip_areas))


def generate_catalogue(
    n_offers: int,
    n_needs: int,
    seed: int = 0,
    offer_pool: int = 3000,
    need_pool: int = 1000,
    now: datetime | None = None,
) -> SyntheticCatalogue:
    """N offers and M needs over pools of distinct texts (see module docstring)."""
    rng = random.Random(seed)
    now = now or datetime(2026, 1, 1, tzinfo=UTC)
    offer_pool = max(1, min(offer_pool, n_offers))
    need_pool = max(1, min(need_pool, max(n_needs, 1)))
    offer_texts = [
        _compose(rng, rng.choices(LANGUAGES, OFFER_LANGUAGE_WEIGHTS)[0], OFFER_TEMPLATES, False)
        for _ in range(offer_pool)
    ]
    need_texts = [
        _compose(rng, rng.choices(LANGUAGES, NEED_LANGUAGE_WEIGHTS)[0], NEED_TEMPLATES, True)
        for _ in range(need_pool)
    ]
    offer_ids = np.array([rng.randrange(offer_pool) for _ in range(n_offers)], dtype=np.int64)
    need_ids = np.array([rng.randrange(need_pool) for _ in range(n_needs)], dtype=np.int64)
    all_countries = sorted({c for group in COUNTRIES.values() for c in group})

    offers = []
    for i, text_id in enumerate(offer_ids.tolist()):
        text = offer_texts[text_id]
        themes, ip_areas = _facets(rng, text)
        restricted = rng.random()
        eligible_countries: tuple[str, ...] = ()
        eligible_regions: tuple[str, ...] = ()
        if restricted < 0.25:
            eligible_regions = tuple(rng.sample(REGIONS, k=rng.choice((1, 1, 2))))
        elif restricted < 0.4:
            eligible_countries = tuple(rng.sample(all_countries, k=rng.randrange(3, 15)))
        delivery = {text.language} | (
            set(rng.sample(LANGUAGES, k=rng.randrange(0, 3))) if rng.random() < 0.6 else set()
        )
        offers.append(
            OfferDoc(
                ref=f"O{i:07d}",
                title=text.title,
                description=text.description,
                language=text.language,
                country=rng.choice(COUNTRIES[text.language]),
                organisation_type=rng.choice(ORG_TYPES),
                themes=themes,
                ip_areas=ip_areas,
                assistance_types=text.assistance,
                resource_types=tuple(rng.sample(RESOURCES, k=rng.choice((1, 1, 2)))),
                eligible_countries=eligible_countries,
                eligible_regions=eligible_regions,
                delivery_languages=tuple(sorted(delivery)),
                published_at=now - timedelta(days=rng.randrange(0, 1100)),
                responsiveness=rng.random() if rng.random() < 0.7 else None,
            )
        )
    needs = []
    for i, text_id in enumerate(need_ids.tolist()):
        text = need_texts[text_id]
        themes, ip_areas = _facets(rng, text)
        needs.append(
            NeedDoc(
                ref=f"N{i:07d}",
                title=text.title,
                description=text.description,
                language=text.language,
                country=rng.choice(COUNTRIES[text.language]),
                organisation_type=rng.choice(ORG_TYPES),
                themes=themes,
                ip_areas=ip_areas,
                assistance_types=text.assistance,
                published_at=now - timedelta(days=rng.randrange(0, 700)),
                south_south_preferred=rng.random() < 0.2,
            )
        )
    return SyntheticCatalogue(
        offers=offers,
        needs=needs,
        offer_texts=[join_text(t.title, t.description) for t in offer_texts],
        need_texts=[join_text(t.title, t.description) for t in need_texts],
        offer_text_ids=offer_ids,
        need_text_ids=need_ids,
        seed=seed,
        stats={"offer_pool": offer_pool, "need_pool": need_pool},
    )
