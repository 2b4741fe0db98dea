"""Transcription of Tables 1-3 of the Volgograd report (seed 003).

Column order in the report: Table 1 "СО НКО, ОМСУ"; Tables 2 and 3 "НКО, МСУ" — so the first
figure of every row is the NGO share and the second the local-government share. The running text
that repeats Table 1 lists some pairs the other way round ("66,3% (НКО – 9,7%)"); those repeats
agree with the table and are not transcribed twice. All three blocks are stated to be
multiple-choice ("возможность выбрать несколько вариантов").

Each table: (question_id, anchor, question_en, question_ru, items) with items as
(item_id, item_en, item_ru as published, ngo_share, lsg_share).
"""

from __future__ import annotations

# fmt: off
TABLES = [
    ("t1_problems", "Table 1",
     "Which problems hinder interaction between NGOs and local government?",
     "Проблемы взаимодействия СО НКО и ОМСУ", [
         ("ngo_disunity", "Disunity of NGOs in interaction",
          "Разобщенность СО НКО при осуществлении взаимодействия", 9.7, 66.3),
         ("low_ngo_activity", "Low NGO activity", "Невысокая активность НКО", 15.2, 73.8),
         ("excessive_ngo_demands", "Excessive NGO demands on local government",
          "Завышенные требования СО НКО к МСУ", 4.9, 76.3),
         ("low_ngo_professionalism", "Low professionalism of NGOs",
          "Невысокий уровень профессионализма СО НКО", 10.4, 81.8),
         ("imperfect_legislation", "Imperfect legislation, no mechanisms of interaction",
          "Несовершенство законодательства, отсутствие механизмов взаимодействия", 11.2, 39.8),
         ("subjective_partner_choice", "Authorities are subjective in choosing partners",
          "Субъективность органов власти в выборе партнера", 44.1, 12.6),
         ("negative_view_of_ngos", "Authorities view NGO activity negatively",
          "Негативная оценка властями деятельности СО НКО", 49.6, 7.4),
         ("bureaucracy", "Bureaucracy of government bodies", "Бюрократизм структур власти",
          61.6, 3.5),
         ("corruption", "Corruption of officials", "Коррумпированность чиновников", 42.4, 1.2),
         ("authorities_unaware_of_ngos", "Authorities poorly informed about what NGOs can do",
          "Недостаточная информированность органов власти о возможностях НКО", 24.3, 6.5),
         ("personal_ties", "Interaction rests on personal ties and contacts",
          "Взаимодействие строится на личных связях и контактах", 70.3, 8.9),
         ("hard_to_get_authority_info", "Hard to get information about the authorities' work",
          "Трудности в получении информации о деятельности органов власти", 9.2, 3.6),
         ("hard_to_get_ngo_info", "Hard to get information about NGOs' work",
          "Трудности в получении информации о деятельности СО НКО", 4.3, 7.5),
     ]),
    ("t2_proposals_to_lsg", "Table 2",
     "What should local government do to improve relations with NGOs?",
     "Предложения органам муниципальной власти", [
         ("easier_access_to_information", "Ease access to information on the authorities' work",
          "Облегчить доступ информации о конкретной деятельности власти", 21.5, 47.2),
         ("involve_ngos_in_expertise", "Involve NGOs more in reviewing projects",
          "Шире привлекать НКО к экспертизе проектов", 10.2, 14.8),
         ("more_advisory_councils", "Create more advisory councils",
          "Создавать больше консультативных советов", 8.8, 68.3),
         ("open_contests", "Make contests for works and services open",
          "Обеспечить открытость конкурсов на выполнение работ и услуг", 74.1, 10.4),
         ("prepare_projects_for_contests",
          "Organise preparation of projects for regional and federal contests",
          "Организовать подготовку проектов для представления на региональные и федеральные "
          "конкурсы", 75.3, 28.1),
     ]),
    ("t3_proposals_to_ngo", "Table 3",
     "What should NGOs do to improve interaction with the authorities?",
     "Предложения о деятельности НКО", [
         ("propose_cooperation", "Approach authorities with cooperation proposals, not requests",
          "Обращаться к органам власти с предложениями о сотрудничестве (не с просьбами)",
          35.3, 68.2),
         ("raise_professionalism", "Raise the professionalism of NGO work",
          "Повысить профессионализм деятельности НКО", 27.6, 64.5),
         ("coordinate_with_other_ngos", "Coordinate interaction with other NGOs",
          "Координировать взаимодействие с другими НКО", 30.3, 44.2),
         ("use_project_methods", "Use project methods more widely in interaction",
          "Шире внедрять в практики взаимодействия проектные технологии", 71.1, 31.3),
         ("more_presence_in_advisory_bodies",
          "Expand NGO presence in advisory bodies of local government",
          "Расширять присутствие НКО в совещательных (консультативных) органах при МСУ",
          14.1, 40.2),
     ]),
]
# fmt: on
