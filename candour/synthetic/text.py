"""Word lists and sentence templates for synthetic complaints. Nothing here is a real person.

Values never contain tabs, backslashes or newlines, so rows can go straight into PostgreSQL COPY.
Phone numbers are in Ofcom's drama range; e-mail addresses use example.com.
"""

FIRST_NAMES = (
    "Aisha Alan Alice Amir Amy Andrew Angharad Ann Bethan Bilal Brian Callum Carys Catherine Chloe Ciaran Claire "
    "Colin Connor Daniel David Deborah Declan Dylan Eilidh Elaine Eleanor Emma Eoin Fatima Fiona Gareth Grace Graham "
    "Hamish Hannah Harpreet Harry Helen Huw Ian Imran Isla Jack James Jane Janet Joanne John Karen Kerry Kieran Laura "
    "Leanne Liam Lowri Lucy Mairead Margaret Mark Martin Mary Megan Mohammed Morag Neil Niamh Nisha Oliver Olivia Owen "
    "Patrick Paul Peter Priya Rachel Rhys Robert Rory Ruth Sam Sarah Sean Shona Sian Sophie Stephen Stuart Susan "
    "Tariq Thomas Tomos Una Victoria Wei William Yusuf Zainab"
).split()
SURNAMES = (
    "Ahmed Anderson Baker Begum Bell Brown Campbell Clarke Cooper Davies Doherty Edwards Evans Fraser Gallagher Green "
    "Griffiths Hall Harris Hughes Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan Lewis Macdonald Martin "
    "McLaughlin Mitchell Moore Morgan Morris Murphy Murray O'Neill Owen Patel Phillips Powell Price Quinn Reid Roberts "
    "Robertson Robinson Rose Scott Shah Singh Smith Stewart Taylor Thomas Thompson Walker Watson White Williams Wilson "
    "Wood Wright Young"
).split()
PLACES = {
    "england": "Birmingham Bristol Carlisle Derby Exeter Hull Leeds Leicester Liverpool London Manchester Newcastle "
    "Norwich Nottingham Plymouth Sheffield Southampton York".split(),
    "wales": "Aberystwyth Bangor Bridgend Cardiff Carmarthen Llandudno Merthyr Newport Swansea Wrexham".split(),
    "scotland": "Aberdeen Ayr Dumfries Dundee Edinburgh Glasgow Inverness Oban Perth Stirling".split(),
    "northern-ireland": "Armagh Ballymena Bangor Belfast Coleraine Derry Enniskillen Lisburn Newry Omagh".split(),
}
STREETS = "High Street|Station Road|Church Lane|Mill Road|Park Avenue|Victoria Street|Queen Street|New Road".split("|")

# Services an organisation might run, by the kind of body; each becomes a service area.
SERVICES = [
    "Applications and renewals", "Payments and refunds", "Appointments", "Customer contact centre",
    "Online account", "Records and certificates", "Grants and funding", "Licensing", "Inspections",
    "Appeals and reviews", "Correspondence", "Debt recovery", "Eligibility assessments", "Digital services",
]  # fmt: skip
BODY_WORDS = [
    "Licensing", "Records", "Grants", "Pensions", "Land Registry", "Standards", "Inspection", "Benefits",
    "Passport", "Courts", "Maritime", "Rural Payments", "Health Protection", "Skills", "Heritage", "Statistics",
    "Water", "Energy", "Housing", "Transport", "Veterans", "Charities", "Companies", "Planning", "Food Standards",
]  # fmt: skip

MONTHS = "January February March April May June July August September October November December".split()

SUMMARIES = [
    "Delay in processing my {service_l}",
    "Poor communication about my {service_l}",
    "Wrong decision on my {service_l}",
    "Lost documents sent for {service_l}",
    "Rude treatment at the {place} office",
    "No reply to my letters about {service_l}",
    "Charged twice for {service_l}",
    "Could not get through on the phone",
    "Online account locked for weeks",
    "Reasonable adjustments not made",
    "Appointment cancelled without notice",
    "Information given was wrong",
]
DESCRIPTIONS = [
    "I applied in {month} and have still heard nothing. I have phoned the {place} office {n} times and each time "
    "I was told someone would call me back. Nobody has. The delay means {impact}.",
    "I sent my documents by recorded delivery in {month}. Your staff now say they never arrived. I have proof of "
    "delivery. Having to start again means {impact}.",
    "On {n} {month} I was told on the phone that my {service_l} was approved. Then a letter said the opposite. "
    "Nobody can explain which is right and {impact}.",
    "I asked for letters in large print because of my eyesight. I keep getting standard letters and cannot read "
    "them. I have asked {n} times. This means {impact}.",
    "When I went to the {place} office the person at the desk was dismissive and would not let me speak to a "
    "manager. I left upset and {impact}.",
    "Your website would not let me finish my {service_l}. The helpline said it was a known fault but gave no "
    "date for a fix. Meanwhile {impact}.",
    "I was charged twice in {month} for my {service_l}. I was promised a refund within 10 days but it has been "
    "{n} weeks. As a result {impact}.",
    "My appointment in {place} was cancelled the day before, for the {ordinal} time. I had arranged time off "
    "work and childcare. {impact_cap}.",
]
IMPACTS = [
    "I cannot start my new job",
    "I have fallen behind with my rent",
    "I have had to take unpaid leave",
    "my business has lost orders",
    "I have been caused a great deal of worry and distress",
    "my health has suffered",
    "my family cannot travel as planned",
    "I am out of pocket",
]
ORDINALS = ["second", "third", "fourth"]
OUTCOMES_SOUGHT = [
    "An apology and a decision within two weeks.",
    "A refund of the money taken twice.",
    "My application processed without further delay.",
    "An explanation of what went wrong and an assurance it will not happen again.",
    "Compensation for the costs I have had to pay.",
    "Letters in a format I can read from now on.",
    "A named person to contact about my case.",
]
POINTS = [
    "The time taken to deal with my {service_l}",
    "Calls and letters not answered",
    "Conflicting information given by staff",
    "Documents lost after delivery",
    "Reasonable adjustments not put in place",
    "The attitude of staff at the {place} office",
    "The online service not working",
    "Money taken in error and not refunded",
    "The decision itself and how it was reached",
]
RESPONSE_PARTS = {
    "understanding": "You told us about {summary_l} and that you would like {sought_l}",
    "what_was_investigated": "We looked at each of the points you raised about our {service_l} service.",
    "how_it_was_investigated": "We read your case records, listened to call recordings and spoke to the team in "
    "{place}.",
    "decision_reasoning": "Our published service standard says we reply within 10 working days. We compared "
    "what happened with that standard.",
    "impact": "We understand this caused you worry and meant {impact}.",
    "what_will_happen": "We have shared what happened with the team so that the process can be improved.",
}
APOLOGY = "We are sorry. We did not meet our standard, we accept responsibility, and we have explained why above."
REMEDY_TEXT = {
    "apology": "Written apology for the delay and poor communication.",
    "explanation": "Full explanation of how the decision was reached.",
    "remedial_action": "Case reconsidered and record amended.",
    "financial": "Payment for worry and distress caused.",
    "service_improvement": "Guidance to staff updated and call-back process changed.",
}
REDRESS_BANDS = (25, 50, 75, 100, 150, 250, 500, 1000)

# ---- learning, improvement actions, surveys and governance ------------------------------------------------
# Learning describes the system, never who: no word here is a first name or surname above (tested), so no
# text can name a colleague or a complainant (learning.services.check_no_colleague_names, publish_summary).

# Theme -> (its usual root cause, what went wrong, improvement actions). Root causes are learning's defaults.
THEMES = {
    "Processing delays": ("Resourcing", [
        "Applications for {service_l} waited in a queue with no owner and no daily check, so nothing flagged it.",
        "Casework staff were moved to other work in a busy month and the {service_l} backlog was not reported.",
        "The target for {service_l} was measured from the date a case was scanned, not the date it arrived.",
    ], [
        "Give every {service_l} queue a named owner and a daily check of the oldest cases.",
        "Report the {service_l} backlog to the senior team weekly, with a trigger for extra staff.",
    ]),
    "Missed call backs": ("Process", [
        "Call-back requests were kept in a shared inbox with no tracking, so some were never picked up.",
        "The phone system dropped call-back requests made after 5pm without telling anyone.",
        "Promised call backs about {service_l} had no time slot, so they clashed with the busiest hours.",
    ], [
        "Move call-back requests into a tracked queue with a daily check.",
        "Send a text message the day before a promised call back, with the time slot.",
    ]),
    "Inconsistent advice": ("Staff knowledge or training", [
        "Two versions of the {service_l} guidance were in use; the older one had not been withdrawn.",
        "The phone script and the website gave different answers about {service_l}.",
        "New starters were trained on a process for {service_l} that had changed the month before.",
    ], [
        "Withdraw the old {service_l} guidance and publish one version, with a review date.",
        "Check the phone script against the website every time the {service_l} process changes.",
    ]),
    "Online form failures": ("IT system", [
        "The upload step of the {service_l} form timed out for large files and showed a generic error.",
        "A release to the online account broke saving part-finished {service_l} applications for two weeks.",
        "The form rejected addresses with a flat number in the first line.",
    ], [
        "Raise the upload limit and show a clear message when a file is too big.",
        "Add the saving of part-finished applications to the release test plan.",
    ]),
    "Duplicate payments": ("Third-party provider", [
        "The payment provider retried timed-out card payments without checking the first had succeeded.",
        "Refunds for double payments for {service_l} were approved but sat in a batch nobody released.",
    ], [
        "Ask the payment provider to check for a successful payment before retrying.",
        "Release refund batches daily and report any older than five working days.",
    ]),
    "Out-of-date addresses": ("Process", [
        "A change of address made by phone was not copied to the letters system, which kept the old address.",
        "Letters about {service_l} used the address held when the case was opened, not the current one.",
    ], [
        "Copy changes of address made by phone to the letters system the same day.",
        "Read the current address from the customer record when each letter is printed.",
    ]),
    "Reasonable adjustments": ("Staff knowledge or training", [
        "There was no prompt to ask about reasonable adjustments, and the training did not cover it.",
        "A request for large print was noted on the case but not on the letters system, so standard letters went out.",
        "Adjustments agreed for {service_l} were not passed on when the case moved between teams.",
    ], [
        "Add a reasonable-adjustments prompt to the first call script and the online form.",
        "Carry agreed adjustments across to the letters system and every team handling the case.",
    ]),
    "Lost documents": ("Process", [
        "Posted documents were scanned in one building and stored in another with no tracking between them.",
        "Original documents for {service_l} were returned by second-class post without a record of sending.",
    ], [
        "Track posted documents between scanning and storage, with a weekly reconciliation.",
        "Return original documents by tracked post and record the tracking number on the case.",
    ]),
    "Poor communication": ("Communication", [
        "Letters about {service_l} used internal terms and did not say what would happen next.",
        "Nobody told customers when the {service_l} process was paused, so they chased for updates.",
        "Decision letters did not explain the reasons, only the rule that was applied.",
    ], [
        "Rewrite the {service_l} decision letters in plain English, tested with customers.",
        "Send an update whenever a case is paused, with the reason and a new date.",
    ]),
    "Wrong decisions": ("Policy", [
        "The eligibility rules for {service_l} were ambiguous and were read differently by different teams.",
        "A policy change was applied to applications made before it took effect.",
    ], [
        "Clarify the {service_l} eligibility rules and add worked examples to the guidance.",
        "Add the date a policy applies from to every policy change notice.",
    ]),
    "Appointment cancellations": ("Resourcing", [
        "Appointments were booked beyond the staff rota, so late cancellations were certain in holiday periods.",
        "The booking system did not warn when an appointment had already been moved twice.",
    ], [
        "Book appointments only against the published rota.",
        "Flag appointments moved twice so a manager arranges the next one personally.",
    ]),
    "Staff attitude": ("Staff knowledge or training", [
        "Front-desk staff had no guidance on handling upset customers and no route to a manager.",
        "The team had no time between calls, and the quality checks did not look at tone.",
    ], [
        "Train front-desk teams in handling difficult conversations, with a route to a manager.",
        "Add tone and empathy to the quality checks of recorded calls.",
    ]),
    "Account access": ("IT system", [
        "Accounts locked after three failed sign-ins and could only be unlocked by a team working office hours.",
        "The identity check for the online account failed for people with one name.",
    ], [
        "Let people unlock their account themselves with a one-time code.",
        "Fix the identity check for people with one name and test the other name patterns.",
    ]),
    "Information not shared between teams": ("Communication", [
        "Notes made by one team about {service_l} could not be seen by the team that took the case over.",
        "Handovers between teams relied on e-mail, and some were never read.",
    ], [
        "Record handover notes on the case, visible to every team that handles it.",
        "Agree a handover checklist between the teams dealing with {service_l}.",
    ]),
    "Supplier failures": ("Third-party provider", [
        "The contractor missed its deadlines for {service_l} and the contract had no way to escalate.",
        "A supplier changed its process without telling us, so requests were rejected for a month.",
    ], [
        "Add service levels and an escalation route to the {service_l} contract.",
        "Require suppliers to tell us of process changes a month ahead.",
    ]),
}
# The theme a busy organisation's complaints spike in last month, so the emerging-theme flag has data.
SPIKE_THEME = (
    "Payment page failures",
    "Third-party provider",
    "A supplier update to the payment page failed card payments on some browsers for three weeks.",
)
EVIDENCE = [
    "Change released on {day} {month}; the {service_l} guidance and the release note are on the team site.",
    "New process in use from {day} {month}. A sample of {n} cases checked in the following fortnight followed it.",
    "Guidance updated and {n} colleagues briefed by {day} {month}; attendance record kept by the team.",
    "Supplier confirmed the change in writing on {day} {month}; the first {n} transactions after it were checked.",
    "Letters rewritten and approved on {day} {month}; {n} customers tested the new wording.",
    "Report now produced every week from {day} {month}; the first {n} weeks were reviewed by the senior team.",
    "System change deployed on {day} {month} after testing; no faults reported in the {n} days since.",
]
EXPECTED_IMPACT = [
    "Fewer complaints about {theme_l}.",
    "Complaints about {theme_l} halved within six months.",
    "Customers of {service_l} get it right first time more often.",
    "No repeat of the problems with {theme_l}.",
]
HOW_MEASURED = [
    "Complaints tagged “{theme}” per month, six months before and after.",
    "Monthly complaints about {service_l} and the quality checks of {n} cases a month.",
    "Complaints tagged “{theme}” and the customer survey's score for being kept informed.",
]
VERIFIED_EFFECTIVE = [
    "Complaints about this fell in the months after the change.",
    "Quality checks show the new process followed in every sampled case, and complaints fell.",
    "No complaints tagged with this theme in the three months since.",
]
VERIFIED_NOT_EFFECTIVE = [
    "Complaints about this did not fall: the change was made but the cause lies elsewhere.",
    "The change helped one team only; complaints from the others continued.",
]
YOU_SAID = [
    "You told us about {theme_l}.",
    "You said that {theme_l} made dealing with us harder than it should be.",
    "Several of you complained about {theme_l} when using our {service_l} service.",
]
WE_DID = ["{description}", "We listened and changed how we work: {description_l}"]
GOVERNANCE_BODY_NAMES = ["Audit and Risk Committee", "Customer Experience Board", "Executive Committee",
                         "Quality and Performance Board"]  # fmt: skip
DISCUSSION = [
    "The board reviewed the quarter's figures: {received} complaints were received. {theme} was the most common "
    "theme in the learning recorded. The board asked for the learning from upheld stage 2 complaints to be shared "
    "with operational teams.",
    "{received} complaints were received in the quarter. The board discussed timeliness at stage 1, the open "
    "improvement actions and the learning about {theme_l}, and reviewed progress on earlier decisions.",
    "The committee noted {received} complaints in the quarter and the themes behind the upheld ones, led by "
    "{theme_l}. Members challenged the pace of the overdue actions and asked for dates.",
    "Figures for the quarter: {received} complaints received. The board looked at the Ombudsman cases, redress paid "
    "and what the surveys said, and agreed the learning about {theme_l} needs a wider fix.",
]
DECISIONS = [
    "Share the learning about {theme_l} with every operational team.",
    "Report stage 2 learning to operational teams each month.",
    "Review redress bands against the Ombudsman's guidance.",
    "Ask internal audit to sample complaint responses for quality.",
    "Bring the overdue improvement actions back with new dates.",
    "Commission a deep dive into complaints about {theme_l}.",
    "Publish a quarterly summary of what has changed because of complaints.",
    "Check the complaints procedure against the Complaint Standards before the next review.",
]
DECISION_NOTES = {
    "in_progress": ["Work started; first update at the next review.", "Terms of reference agreed."],
    "done": ["Completed and reported back to the board.", "Done; the summary is on the intranet."],
    "dropped": ["Overtaken by the new operating model.", "No longer needed: covered by another action."],
}
REVIEW_ACTIONS = [
    "Introduce a call-back tracker and report its use to the next review.",
    "Bring revised redress bands to the next review.",
    "Set up a monthly learning forum for the casework teams.",
    "Produce a plan to bring stage 1 timeliness back above target.",
    "Report on the {theme_l} deep dive with recommendations.",
    "Agree a quality-check sample of responses each month.",
]
SURVEY_COMMENTS = [
    "I had to chase for updates.",
    "The person who called me was helpful and explained everything.",
    "The letter was hard to follow.",
    "I was glad to get an apology.",
    "It took too long to hear anything.",
    "Clear and fair, thank you.",
    "I still do not understand why the decision was made.",
    "I would have liked a phone call rather than a letter.",
    "Nothing has changed since I complained.",
    "Easy to complain online.",
]
COLLEAGUE_COMMENTS = [
    "The case needed more time than the target allowed.",
    "Good support from my manager throughout.",
    "I had no training on stage 2 investigations.",
    "The complainant's expectations were hard to manage.",
]
