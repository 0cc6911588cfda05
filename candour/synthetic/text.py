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
