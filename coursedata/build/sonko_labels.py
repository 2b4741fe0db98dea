"""Our ids, English translations and groups for the row labels of 1-СОНКО sheets 2 and 3.

Keys are Rosstat's labels with whitespace collapsed, typos included ("сохранениеи",
"пожарови"): a label that changes in a new release fails the build instead of being guessed.
"""

from __future__ import annotations

# fmt: off
# label_ru -> (activity_id, activity_en, activity_group)
ACTIVITIES: dict[str, tuple[str, str, str]] = {
    "Всего": ("total", "All socially oriented NGOs", "total"),
    "профилактика социально сиротства, поддержка материнства и детства": (
        "orphanhood_prevention_motherhood", "Preventing social orphanhood, supporting motherhood "
        "and childhood", "social"),
    "повышение качества жизни людей пожилого возраста": (
        "older_people_quality_of_life", "Improving the quality of life of older people", "social"),
    "социальная адаптация инвалидов и их семей": (
        "disability_adaptation", "Social adaptation of disabled people and their families",
        "social"),
    "другие виды социальной поддержки и защиты граждан": (
        "other_social_support", "Other social support and protection of citizens", "social"),
    "подготовка населения в области защиты от чрезвычайных ситуаций": (
        "emergency_preparedness", "Preparing the population for emergencies", "other"),
    "оказание помощи пострадавшим в результате стихийных бедствий, экологических, техногенных "
    "или иных катастроф": (
        "disaster_relief", "Helping victims of natural, ecological, technological or other "
        "disasters", "social"),
    "охрана окружающей среды и защита животных": (
        "environment_animals", "Environmental protection and animal welfare", "other"),
    "охрана и содержание объектов и территорий, имеющих историческое, культовое, культурное или "
    "природоохранное значение, и мест захоронений": (
        "heritage_sites", "Protecting heritage sites, nature reserves and burial places", "other"),
    "оказание юридической помощи на безвозмездной или на льготной основе гражданам, правовое "
    "просвещение населения, деятельность по защите прав и свобод человека и гражданина": (
        "legal_aid_citizens", "Free or low-cost legal aid to citizens, legal education, human "
        "rights", "social"),
    "оказание юридической помощи на безвозмездной или на льготной основе некоммерческим "
    "организациям": ("legal_aid_ngos", "Free or low-cost legal aid to NGOs", "other"),
    "профилактика социально опасных форм поведения граждан, содействие такой деятельности": (
        "prevention_dangerous_behaviour", "Preventing socially dangerous behaviour", "social"),
    "благотворительная деятельность": ("charity", "Charitable activity", "social"),
    "содействие благотворительной деятельности": (
        "charity_promotion", "Promoting charitable activity", "other"),
    "деятельность в области добровольчества (волонтерства)": (
        "volunteering", "Volunteering", "other"),
    "деятельность в области образования, просвещения, науки, содействие такой деятельности": (
        "education_science", "Education, enlightenment and science", "other"),
    "деятельность в области культуры и искусства, содействие такой деятельности": (
        "culture_arts", "Culture and the arts", "other"),
    "деятельность в области здравоохранения, профилактики и охраны здоровья граждан, пропаганды "
    "здорового образа жизни, содействие такой деятельности": (
        "health", "Health care, prevention, healthy lifestyles", "other"),
    "содействие патриотическому, духовно-нравственному воспитанию детей и молодежи": (
        "patriotic_moral_education", "Patriotic and moral education of children and youth",
        "other"),
    "деятельность в области улучшения морально-психологического состояния граждан и духовного "
    "развития личности": (
        "psychological_wellbeing", "Improving citizens' psychological state and personal "
        "development", "other"),
    "деятельность в области физической культуры и спорта, содействие такой деятельности": (
        "sport", "Physical culture and sport", "other"),
    "развитие межнационального сотрудничества, сохранениеи защита самобытности, культуры, языка "
    "и традиций народов Российской Федерации": (
        "interethnic_cooperation", "Interethnic cooperation, protecting the cultures and "
        "languages of the peoples of Russia", "other"),
    "поддержка общественно значимых молодежных инициатив, проектов, детского и молодежного "
    "движения, детских и молодежных организаций": (
        "youth_initiatives", "Supporting youth initiatives, projects and organisations", "other"),
    "содействие деятельности по производствуи (или) распространению социальной рекламы": (
        "social_advertising", "Producing or distributing social advertising", "other"),
    "антикоррупционная деятельность, включая содействие формирования в обществе активного "
    "неприятия коррупции": ("anti_corruption", "Anti-corruption activity", "other"),
    "проведение поисковой работы, направленной на выявление неизвестных воинских захоронений и "
    "непогребённых останков защитников Отечества, установление имён погибших и пропавших без "
    "вести при защите Отечества": (
        "war_graves_search", "Searching for unknown war graves and the names of the fallen",
        "other"),
    "участие в профилактике и (или) тушении пожарови проведении аварийно-спасательных работ": (
        "firefighting_rescue", "Fire prevention, firefighting and rescue work", "other"),
    "социальная и культурная адаптация и интеграция мигрантов": (
        "migrant_integration", "Social and cultural adaptation and integration of migrants",
        "social"),
    "мероприятия по медицинской реабилитации и социальной реабилитации, социальной и трудовой "
    "реинтеграции лиц, осуществляющих незаконное потребление наркотических средств или "
    "психотропных веществ": (
        "drug_rehabilitation", "Medical and social rehabilitation of people who use drugs",
        "social"),
    "содействие повышению мобильности трудовых ресурсов": (
        "labour_mobility", "Promoting labour mobility", "other"),
    "увековечивание памяти жертв политических репрессий": (
        "repression_memory", "Commemorating victims of political repression", "other"),
    "иные виды деятельности": ("other_activities", "Other activities", "other"),
    "оказание социальных услуг населению Российской Федерации в сферах деятельности социально "
    "ориентированных некоммерческих организаций": (
        "social_services", "Providing social services to the population", "social"),
}

# label_ru -> (source_id, source_en, source_group)
FUNDING_SOURCES: dict[str, tuple[str, str, str]] = {
    "Всего поступило": ("total", "Total receipts", "total"),
    "поступления из федерального бюджета": ("federal_budget", "Federal budget", "budget"),
    "гранты от некоммерческих неправительственных организаций, участвующих в развитии "
    "институтов гражданского общества (предоставленные за счет субсидий из федерального "
    "бюджета)": (
        "grants_from_federal_subsidies", "Grants of non-governmental grant operators funded by "
        "federal subsidies (e.g. the Presidential Grants Fund)", "state_grants"),
    "поступления из бюджетов субъектов Российской Федерации": (
        "regional_budgets", "Regional budgets", "budget"),
    "поступления из муниципальных (местных) бюджетов": (
        "municipal_budgets", "Municipal (local) budgets", "budget"),
    "поступления из бюджетов государственных внебюджетных фондов": (
        "extrabudgetary_funds", "State extra-budgetary funds", "budget"),
    "поступления (включая пожертвования), гранты от российских физических лиц, за исключением "
    "денежных средств и иного имущества, полученного по завещанию в порядке наследования": (
        "individuals", "Donations and grants from Russian individuals (except bequests)",
        "private"),
    "денежные средства и иное имущество, полученное по завещанию в порядке наследования": (
        "bequests", "Bequests", "private"),
    "поступления (включая пожертвования), гранты от российских некоммерческих организаций, за "
    "исключением грантов от некоммерческих неправительственных организаций, участвующих в "
    "развитии институтов гражданского общества": (
        "russian_ngos", "Donations and grants from other Russian NGOs", "private"),
    "поступления (включая пожертвования) от российских коммерческих организаций, за "
    "исключением дохода от целевого капитала": (
        "russian_companies", "Donations from Russian companies", "private"),
    "поступления от иностранных государств, их государственных органов, международных и "
    "иностранных организаций": (
        "foreign_organisations", "Foreign states, international and foreign organisations",
        "foreign"),
    "поступления от иностранных граждан и лиц без гражданства": (
        "foreign_individuals", "Foreign citizens and stateless persons", "foreign"),
    "доход от целевого капитала": ("endowment_income", "Endowment income", "own_income"),
    "доходы (выручка) от реализации товаров, работ, услуг, имущественных прав (кроме доходов от "
    "целевого капитала)": (
        "sales_revenue", "Revenue from sales of goods, works and services", "own_income"),
    "внереализационные доходы (кроме доходов от целевого капитала)": (
        "non_operating_income", "Non-operating income", "own_income"),
    "денежные средства и иное имущество, полученное безвозмездно от хозяйственных обществ, "
    "учрежденных организацией, за исключением денежных средств, недвижимого имущества, ценных "
    "бумаг, полученных на формирование или пополнения целевого капитала": (
        "own_companies", "Transfers from companies founded by the organisation", "own_income"),
    "иные поступления": ("other_receipts", "Other receipts", "other"),
}
# fmt: on
