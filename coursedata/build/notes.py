"""Caveats and source inconsistencies shown in the codebook, one list per dataset.

They are statements about the sources that a reader of a table needs; the build code keeps the
figures as published and these notes say what we noticed.
"""

from __future__ import annotations

VOLGOGRAD = [
    "Answer types. Table 1-3, the goals block and the partner-criteria block are stated to be "
    "multiple choice. Elsewhere the report does not say; we call a question single when its "
    "options exclude each other (yes/no, frequency, satisfaction levels, membership) and "
    "multiple when they do not (lists of sources, interests, functions, advantages); "
    "volgograd_questions.answer_type_basis records which rule applied.",
    "Satisfaction with information: the report's comment on this question puts NGO "
    "dissatisfaction above three quarters, but the published 'not satisfied' share is 49.2 %. "
    "The question is worded as being about information on the authorities' work, while the "
    "comment reads the officials' answers as being about information on NGOs; the report does "
    "not settle which, and question_en follows the question's wording.",
    "The text says NGO and LSG ratings of Table 1 problems differ 'from 3 to 10 times'; the "
    "published pairs differ by up to 35 times (corruption 42.4 vs 1.2) and excessive NGO "
    "demands differ 15.6 times (76.3 vs 4.9).",
    "Council functions, LSG: two figures are given 'respectively' for 'recommendations' (28 and "
    "16.3) and for 'issues concerning NGOs' (20.7 and 8.7) without saying what each refers to; "
    "both are kept, the second under an item id ending in _second_figure.",
    "'Difficult to answer' 71.2 % (grant support) is published without a group; it is kept "
    "with group = all and base_n = 348.",
    "Some pairs are printed LSG first (contests 28.5 / 18.2, legal databases 76.8 / 15.2, "
    "authorities' interest 56.3 / 11.7 ...); the group column follows the wording, not the order.",
    "Approximate figures: 'около 10 %' (NGOs never asking for support) and 'менее 20 %' (LSG "
    "in contact 'from time to time') are flagged in value_qualifier.",
    "28.7 % of NGOs in public councils is glossed in the text as '1/3'. The text after Table 2 "
    "says local government is largely ready to involve NGOs in project review, while only "
    "14.8 % of LSG respondents chose that proposal.",
    "Summary statements that only restate or add up published shares ('more than 30 %', "
    "'about 40 % of NGOs satisfied', 'almost 85 % of LSG') are not rows; the exact "
    "shares they summarise are.",
    "Not every share is of all respondents (column share_of). The reasons for not interacting "
    "(28 % tried and failed, 9.9 % see no need) are shares of the NGOs that do not interact, a "
    "number the report does not give, so base_n is empty. The officials' 68.7 % (requests "
    "mostly fulfilled) and 29.8 % (not fulfilled) are shares of NGO requests, not of officials. "
    "Grant support (18.2 % and 3.5 %) is a share of projects.",
    "Pairs that measure different things (comparable_across_groups = false, reason in note): "
    "the officials' 80 % 'consider themselves constantly involved in interaction' is a "
    "self-rating, not a contact frequency like the NGOs' 32.2 % 'regularly in contact'; the "
    "NGOs' 27.2 % (respondents whose requests were mostly fulfilled) and the officials' 68.7 % "
    "(requests fulfilled) differ in what they count; the 'never' pair of the support-request "
    "question answers two different questions; awards and grant support are unclear for one "
    "group. Charts and tests should not set such figures side by side as one measure.",
    "base_n is the size of the group, an upper bound. The report never gives the number who "
    "answered a question, and for most blocks no single number up to the group size reproduces "
    "all published shares (see volgograd_bases).",
    "The report numbers both of its first two sections '1.' (list formatting); source_ref uses "
    "section 1 and section 2. Tables 1-3 sit in the third, unnumbered section.",
]

SONKO_TRENDS = (
    "Staff (2014-2015) and several activity types (2014-2015: education, culture, health, "
    "anti-corruption) jump and fall back, which suggests a change in coverage; compare "
    "trends across 2014-2016 with care."
)
SONKO = [
    "Region names in the workbook contain Latin look-alike letters ('Hижегородская', "
    "'Ямало-Hенецкий'); the normaliser maps them.",
    SONKO_TRENDS,
    "Crimea and Sevastopol have no figures before 2015 ('-' in the source, missing here).",
]

POVERTY = [
    "Zero poverty rates in the compiled CSV (all district rows; Chechnya 2003-2011; Nenets, "
    "Khanty-Mansi, Yamalo-Nenets, Jewish AO and Chukotka 1995-1999; Kamchatka 2000-2001) are "
    "placeholders for missing figures: kept as missing with zero_in_source = true.",
]

SUBSISTENCE = [
    "In regions_data_2020.csv the rows named 'Архангельская область' and 'Тюменская область' "
    "hold the figures of those regions without their autonomous okrugs (its population and "
    "poverty columns equal Rosstat's 'без АО' rows); they are keyed RU-ARK-XAO and RU-TYU-XAO.",
]

COMPOSITION = [
    "The 'all population' column of the source (always 100) is not repeated. Two kinds of "
    "gap: empty cells (missing here) and region-years with 0 in all three groups, which "
    "cannot be shares of the poor and are kept missing with zero_row_in_source = true.",
]
