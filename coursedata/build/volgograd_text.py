"""Transcription of the figures in the running text (sections 1-2) of the Volgograd report.

Source: Volgograd Institute of Civil Society, analytical note of 20.02.2021 (seed 003, copied to
datasets/raw/volgograd_2021_report.txt). Numbers are typed exactly as published (a stray space in
"65, 3 %" is read as 65.3); nothing is corrected. Item wording in Russian is the report's own
phrase (shortened where the sentence runs on); the English is our translation.

Each question: (question_id, anchor, question_en, question_ru, answer_type, basis, items).
Each item: (item_id, item_en, item_ru, ngo_share, lsg_share); ``item_ru`` is one string, or a
pair (NGO wording, LSG wording) when the report words the option differently for each group.
A share of None means the report gives no figure for that group.
"""

from __future__ import annotations

S1 = "section 1"
S2 = "section 2"
STATED = "stated in the report"
EXCLUSIVE = "not stated; single because the options exclude each other"
LIST = "not stated; multiple because the options do not exclude each other"
LIST_SUM = (
    "not stated; multiple because the options do not exclude each other and shares add past 100"
)

# fmt: off
QUESTIONS = [
    ("s1_interaction", S1, "«На вопрос о наличии взаимодействия…»",
     "Does your organisation interact with the other sector?", "Наличие взаимодействия",
     "single", EXCLUSIVE, [
         ("yes", "Yes, interacts", ("ответили положительно", "включенность во взаимодействие"),
          73.6, 97.4),
         ("no", "No", "отрицательно", 24.0, None),
     ]),
    ("s1_contact_frequency", S1, "«32,2% НКО сельских районов области регулярно контактируют…»",
     "How often do you have contact with the other sector?", "Частота контактов",
     "single", EXCLUSIVE, [
         ("regularly", "Regularly / constantly",
          ("регулярно контактируют с властью", "постоянно включены в процесс взаимодействия"),
          32.2, 80.0),
         ("sometimes", "Sometimes", "иногда", 28.3, None),
         ("rarely", "Rarely", "редко", 32.5, None),
         ("occasionally", "From time to time", "«от случая к случаю»", None, 20.0),
     ]),
    ("s1_reasons_no_interaction", S1, "«При этом 28% представителей НКО, которые не "
     "взаимодействуют…»", "Why does your NGO not interact with local government?",
     "Причины отсутствия взаимодействия", "single", EXCLUSIVE, [
         ("tried_but_failed", "Tried to establish relations but failed",
          "пытались установить взаимоотношения, но не удалось", 28.0, None),
         ("not_necessary", "Do not consider it necessary", "не считают это необходимым",
          9.9, None),
     ]),
    ("s1_support_requests", S1, "«На вопрос об обращении НКО к органам местной власти…»",
     "How often do NGOs ask local government for support (NGO view) / does local government "
     "handle NGO requests (LSG view)?", "Обращения НКО за поддержкой", "single", EXCLUSIVE, [
         ("regularly_or_often", "Regularly or quite often",
          "регулярно или достаточно часто", 53.7, None),
         ("in_exceptional_cases", "Only in exceptional cases", "в исключительных случаях",
          33.0, None),
         ("regularly", "Regularly", "регулярно работают с обращениями НКО", None, 65.3),
         ("sometimes", "Sometimes", "иногда", None, 18.5),
         ("rarely", "Rarely", "редко", None, 2.5),
         ("never", "Never", ("не обращались никогда", "никогда"), 10.0, 10.8),
     ]),
    ("s1_request_outcomes", S1, "«Результаты таких обращений описываются…»",
     "What happened to NGO requests to local government?", "Результаты обращений",
     "single", EXCLUSIVE, [
         ("mostly_fulfilled", "Mostly fulfilled",
          ("«чаще выполнялись»", "практически выполняются"), 27.2, 68.7),
         ("mostly_not_fulfilled", "Mostly not fulfilled", "«чаще не выполнялись»", 43.5, None),
         ("never_fulfilled", "Never fulfilled", "«не выполнялись никогда»", 28.6, None),
         ("not_fulfilled", "Not fulfilled", "не выполняются", None, 29.8),
     ]),
    ("s2_goals", S2, "«Цели взаимодействия представители СО НКО и МСУ определяют…»",
     "What are the goals of interaction?", "Цели взаимодействия", "multiple", STATED, [
         ("working_groups_commissions", "Joint working groups and commissions",
          ("участие в работе комиссий и рабочих групп",
           "участие в совместных рабочих группах, комиссиях"), 6.8, 50.3),
         ("project_support", "Support for NGOs' (social) projects",
          ("получение поддержки в реализации своих проектов",
           "поддержка НКО в реализации социальных проектов"), 68.4, 41.0),
         ("petitions_for_target_groups", "Petitions for help to the NGO's target groups",
          ("ходатайства об оказании помощи опекаемой организацией лицам",
           "прием ходатайств об оказании помощи целевым группам НКО"), 14.8, 17.6),
         ("consultative_work", "Consultative work", "консультативная работа", 4.9, 17.3),
         ("service_orders", "Orders to perform works and provide services",
          ("получение заказов на оказание услуг",
           "получение заказов на выполнение работ, оказание услуг"), 7.2, 13.8),
         ("budget_grants", "Budget funding (grants) for NGOs",
          ("получение целевого бюджетного финансирования (грантов)",
           "получение НКО бюджетного финансирования (грантов)"), 42.3, 9.8),
         ("free_property_premises", "Free transfer of property or premises to NGOs",
          ("безвозмездное получение имущества и/или помещения",
           "безвозмездная передача имущества/помещений НКО"), 21.9, 3.5),
         ("business_links", "Help in linking NGOs with business",
          "содействие в установлении связи НКО с бизнесом", None, 2.1),
     ]),
    ("s2_interest", S2, "«Интерес к взаимодействию СО НКО с органами власти ранжировали…»",
     "Why is interaction with the other sector of interest?", "Интерес к взаимодействию",
     "multiple", LIST_SUM, [
         ("project_funding_help", "Help with financing the organisation's projects",
          "помощь в финансировании проектов", 56.8, 20.5),
         ("larger_projects", "Larger-scale projects",
          ("возможность осуществления более масштабных проектов",
           "расширение масштабов проектов НКО"), 22.6, 46.1),
         ("solving_administrative_issues", "Solving issues in administrative bodies",
          "решение вопросов в административных учреждениях", 31.3, 57.2),
         ("information_on_authorities", "Information about the authorities' work",
          "информированность о деятельности органов власти", 7.5, 30.4),
         ("lobbying_for_business_help", "Lobbying the authorities for more business help to NGOs",
          "лоббирование органов власти для увеличения помощи НКО со стороны бизнеса",
          4.3, None),
         ("difficult_to_answer", "Difficult to answer (purpose of interaction)",
          "затруднились ответить о назначении процесса взаимодействия", 17.4, 3.6),
     ]),
    ("s2_information_sources", S2, "«В Волгоградской области самыми популярными источниками…»",
     "Which sources of information about the other sector do you use?",
     "Источники информации", "multiple", LIST_SUM, [
         ("mass_media", "Print and electronic media", "печатные и электронные СМИ", 41.2, 52.3),
         ("internet", "Internet", "Интернет", 85.8, 98.5),
         ("legal_databases", "Documents in legal reference databases",
          "документы в консультационно-правовых базах", 15.2, 76.8),
         ("joint_events", "Joint events of officials and civic activists",
          "совместные мероприятия с участием чиновников и гражданских активистов", 30.7, 69.8),
         ("personal_communication", "Personal communication", "личное общение", 25.6, 45.0),
         ("hotlines", "Hotlines", "«горячие линии»", 9.4, 14.7),
         ("answers_from_authorities", "Answers to questions in government bodies",
          "«ответы на вопросы в органах власти»", 4.7, 16.3),
     ]),
    ("s2_information_satisfaction", S2, "«Уровень удовлетворенности информированностью…»",
     "Are you satisfied with how well you are informed about the authorities' work?",
     "Удовлетворенность информированностью", "single", EXCLUSIVE, [
         ("fully", "Yes, fully", "«да, вполне»", 25.3, 56.4),
         ("partly", "Not fully", "«не полностью»", 32.3, 30.4),
         ("not_satisfied", "Not satisfied", "«не удовлетворен»", 49.2, 6.8),
     ]),
    ("s2_contest_participation", S2, "«О своем участии в таких конкурсах заявили…»",
     "Have you taken part in regional or federal project-funding contests?",
     "Участие в конкурсах проектов", "single", EXCLUSIVE, [
         ("participated", "Took part in contests", "заявили о своем участии в конкурсах",
          18.2, 28.5),
         ("no_project_experience", "No experience of developing and running projects",
          "отсутствие опыта разработки и реализации проектов", 68.8, 42.1),
     ]),
    ("s2_grant_support", S2, "«По словам опрошенных представителей ОМСУ финансовую поддержку…»",
     "Did your projects receive support from grant-making foundations?",
     "Поддержка проектов грантодающими фондами", "single", EXCLUSIVE, [
         ("received_grant_support", "Received support from grant-making foundations",
          "получали финансовую поддержку грантодающих фондов", 3.5, 18.2),
     ]),
    ("s2_council_membership", S2, "«Наиболее распространенной институциональной формой…»",
     "Is your NGO a member of a public council, working group or coordination council?",
     "Участие НКО в общественных советах", "single", EXCLUSIVE, [
         ("member", "Member", "входят", 28.7, None),
         ("not_member", "Not a member", "не входят", 70.2, None),
     ]),
    ("s2_council_functions", S2, "«Достаточно интересен и важен вопрос о функциях…»",
     "What are the main functions of these councils?", "Функции общественных советов",
     "multiple", LIST, [
         ("discuss_ngo_issues", "Discussing issues that affect NGOs",
          ("обсуждение вопросов, затрагивающих деятельность СО НКО",
           "обсуждение вопросов, касающихся СО НКО"), 36.3, 20.7),
         ("discuss_ngo_issues_second_figure", "Discussing issues that affect NGOs (second figure)",
          "обсуждение вопросов, касающихся СО НКО", None, 8.7),
         ("programme_cooperation", "Cooperation in implementing specific programmes",
          ("обсуждение взаимодействия при реализации конкретных программ",
           "обеспечение взаимодействия при реализации конкретных программ"), 41.2, 40.7),
         ("public_initiatives", "Discussing (draft) public initiatives",
          ("обсуждение общественных инициатив", "обсуждение проектов общественных инициатив"),
          12.3, 25.0),
         ("project_expertise", "Expert review of projects", "экспертиза проектов", 4.8, None),
         ("recommendations", "Recommendations to authorities on specific issues",
          ("подготовка рекомендаций органам власти в отдельных сферах",
           "подготовка рекомендаций по отдельным вопросам"), 1.7, 28.0),
         ("recommendations_second_figure", "Recommendations on specific issues (second figure)",
          "подготовка рекомендаций по отдельным вопросам", None, 16.3),
     ]),
    ("s2_awards", S2, "«Некоторым маркером выстраивания системы взаимодействия…»",
     "Have NGO activists received awards (certificates, letters of thanks) in the last 3 years?",
     "Поощрение гражданских активистов", "single", EXCLUSIVE, [
         ("awarded", "Awarded in the last 3 years",
          ("отмечены грамотами (благодарственными письмами, дипломами)", "уровень поощрения"),
          16.2, 21.2),
     ]),
    ("s2_partner_criteria", S2, "«Сельские ОМСУ такими критериями считают…»",
     "What are the criteria for choosing NGO partners?", "Критерии выбора партнеров",
     "multiple", STATED, [
         ("matches_authority_plans", "NGO events match the authorities' work plans",
          ("соответствие мероприятия плану работы администрации",
           "соответствие мероприятий НКО планам работы органов власти"), 40.3, 68.7),
         ("helps_population_groups", "NGO focus on helping particular population groups",
          ("нацеленность НКО на помощь определенным слоям населения",
           "нацеленность СО НКО на помощь определенным слоям населения"), 18.4, 37.7),
         ("readiness_for_dialogue", "NGO interest in joint work, readiness for dialogue",
          "заинтересованность НКО в совместной работе, готовность к диалогу", 42.7, 35.6),
         ("scale_of_activity", "Scale of the organisation's activity",
          "масштаб деятельности организации", 10.6, 38.2),
         ("constructive_competent", "Constructive approach, competence (and responsibility)",
          ("конструктивность подходов, компетентность",
           "конструктивность подходов, компетентность и ответственность НКО"), 7.4, 25.1),
         ("personal_ties", "Personal ties", "личные связи", 62.6, 0.0),
     ]),
    ("s2_partnership_advantages", S2, "«Определяя преимущества партнерства…»",
     "What are the advantages of partnership with municipal bodies?",
     "Преимущества партнерства", "multiple", LIST_SUM, [
         ("authorities_interested", "Authorities' interest in cooperation",
          "заинтересованность структур власти в сотрудничестве", 33.6, 67.5),
         ("authorities_reliable", "Authorities keep their commitments",
          "обязательность структур власти", 9.9, 68.8),
         ("safe_cooperation", "Safety of cooperation", "безопасность сотрудничества", 11.7, 31.6),
         ("support_for_organisation", "Possibility of support for the organisation",
          "возможность поддержки организации", 51.3, 53.2),
         ("personal_qualities", "Personal qualities of the sectors' representatives",
          "личные качества представителей секторов", 16.7, 15.4),
     ]),
    ("s2_authority_interest", S2, "«Степень заинтересованности местной органов власти…»",
     "How interested are local authorities in cooperating with NGOs?",
     "Заинтересованность органов власти в сотрудничестве", "multiple", LIST_SUM, [
         ("sincere_interest", "Sincere interest in cooperation",
          "искренняя заинтересованность в предстоящем сотрудничестве", 11.7, 56.3),
         ("some_interest", "Some interest in cooperation", "некоторый интерес к сотрудничеству",
          16.3, 43.8),
         ("ready_on_some_issues", "Ready to cooperate on particular issues",
          "готовность сотрудничать по отдельным вопросам", 27.4, 42.1),
         ("declarations_instead", "Attempt to replace real interaction with declarations",
          "попытка заменить реальное взаимодействие декларациям", 58.7, 9.2),
         ("negative_attitude", "Negative attitude to interaction with NGOs",
          "негативное отношение к взаимодействию с СО НКО в целом", 47.2, 5.3),
     ]),
    ("s2_overall_satisfaction", S2, "«На обобщенный вопрос об удовлетворенности развитием…»",
     "Are you satisfied with how interaction between local government and NGOs develops?",
     "Удовлетворенность развитием взаимодействия", "single", EXCLUSIVE, [
         ("fully", "Fully satisfied", "«полностью удовлетворены»", 12.6, 45.7),
         ("partly", "Partly satisfied", "«частично удовлетворены»", 24.8, 39.9),
         ("not_satisfied", "Not satisfied",
          ("«не удовлетворены»", "неудовлетворительно оценили уровень взаимодействия"),
          56.3, 14.1),
         ("difficult_to_answer", "Difficult to answer", "затруднились ответить", 5.2, None),
     ]),
]

# Row-level remarks: (question_id, item_id, group) -> (value_qualifier, note).
# What a share is a share of (subgroup, requests, projects) is in volgograd_bases.SHARE_OF.
REMARKS = {
    ("s1_contact_frequency", "occasionally", "lsg"): (
        "less_than", "published as 'менее 20%' (less than 20 %); 20.0 is the bound, not a share"),
    ("s1_support_requests", "never", "ngo"): (
        "approx", "published as 'около 10 %' (about 10 %)"),
    ("s2_council_membership", "member", "ngo"): (
        "exact", "the report glosses 28.7 % as 'i.e. 1/3'"),
    ("s2_council_functions", "discuss_ngo_issues", "lsg"): (
        "exact", "first of two figures given 'respectively' (20.7 and 8.7) without saying "
        "what each refers to"),
    ("s2_council_functions", "discuss_ngo_issues_second_figure", "lsg"): (
        "exact", "second of two figures given 'respectively' (20.7 and 8.7)"),
    ("s2_council_functions", "recommendations", "lsg"): (
        "exact", "first of two figures given 'respectively' (28 and 16.3) without saying "
        "what each refers to"),
    ("s2_council_functions", "recommendations_second_figure", "lsg"): (
        "exact", "second of two figures given 'respectively' (28 and 16.3)"),
    ("s2_awards", "awarded", "lsg"): (
        "exact", "'уровень поощрения' for local government; the report does not say whether "
        "this is awards received or awards given"),
}

# A figure published without saying which group it belongs to (kept with group "all").
UNGROUPED = [
    ("s2_grant_support", "difficult_to_answer", "Difficult to answer", "затруднились ответить",
     71.2, "published as 'Большинство респондентов (71,2%)' without naming the group"),
]
# fmt: on
