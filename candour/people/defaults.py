"""The defaults each organisation starts from: training modules and what each role is expected to do,
drawn from the UK Central Government Complaint Standards. Every organisation may change its own copy."""

from candour.organisations.roles import Role

INVESTIGATION_MODULE = "investigating-complaints"

CASEWORK = [Role.COMPLAINT_HANDLER, Role.INVESTIGATOR, Role.COMPLAINTS_MANAGER]
LEADERSHIP = [Role.SENIOR_LEADER, Role.GOVERNANCE_MEMBER]

# code, title, description, roles that require it, refresh period in months
MODULES = [
    (
        "identifying-complaints",
        "Identifying a complaint",
        "Recognising a complaint in any channel, welcoming it positively, and spotting matters that belong to "
        "another route.",
        [*CASEWORK, Role.SENIOR_LEADER, Role.TRAINER],
        24,
    ),
    (
        "early-resolution",
        "Early resolution",
        "Resolving complaints quickly at the first stage, with reasonable adjustments and clear explanations.",
        [Role.COMPLAINT_HANDLER, Role.COMPLAINTS_MANAGER],
        24,
    ),
    (
        INVESTIGATION_MODULE,
        "Investigating complaints",
        "Identifying the points of complaint, planning a fair and thorough investigation, and giving parties "
        "the chance to respond.",
        [Role.INVESTIGATOR, Role.COMPLAINTS_MANAGER],
        24,
    ),
    (
        "final-responses",
        "Writing final responses",
        "A balanced account of what happened against what should have happened, the decision and how it was "
        "reached, and what the person can do next.",
        CASEWORK,
        24,
    ),
    (
        "remedies",
        "Remedies",
        "Putting things right: apologies, explanations, remedial action and financial redress, consistently.",
        [Role.INVESTIGATOR, Role.COMPLAINTS_MANAGER, Role.SENIOR_LEADER],
        36,
    ),
    (
        "challenging-conversations",
        "Managing challenging conversations and behaviour",
        "Keeping conversations constructive, recognising unacceptable behaviour, and looking after yourself and "
        "colleagues afterwards.",
        CASEWORK,
        12,
    ),
    (
        "learning-from-complaints",
        "Learning from complaints",
        "Capturing what complaints tell us about the system and using it to improve services, without blame.",
        [*CASEWORK, *LEADERSHIP],
        36,
    ),
    (
        "governance-senior-leaders",
        "Governance for senior leaders",
        "Reviewing complaint information regularly, holding the organisation to account for the learning, and "
        "reporting on it each year.",
        LEADERSHIP,
        36,
    ),
]

# role: (summary, expectations, practical examples)
RESPONSIBILITIES = {
    Role.COMPLAINT_HANDLER: (
        "You welcome complaints and resolve them early and fairly.",
        [
            "Welcome complaints in a positive way, in whatever channel they arrive.",
            "Reassure people that complaining will not harm the service they receive.",
            "Offer and make reasonable adjustments at every stage.",
            "Acknowledge complaints within the expected timescale and agree how often you will update people.",
            "Identify the points of complaint and the outcome the person wants.",
            "Spot matters that belong to another route and co-ordinate or signpost.",
            "Tell colleagues who are complained about as soon as possible, and make sure they are offered support.",
            "Describe what went wrong in the system, not who is to blame.",
        ],
        [
            "Phoning a complainant to check you have understood what they want, before writing back.",
            "Noticing three similar complaints in a week and raising the pattern with your manager.",
        ],
    ),
    Role.INVESTIGATOR: (
        "You investigate complaints thoroughly, fairly and independently.",
        [
            "Investigate only where you were not involved in the events.",
            "Tell the key parties how the issues will be looked into and who will give the final response.",
            "Give parties the chance to respond to emerging information.",
            "Compare what happened with what should have happened, citing the law, policy or guidance.",
            "Share initial views in complex cases before the final response.",
            "Recommend consistent remedies and say what learning will be taken.",
        ],
        [
            "Sharing your initial view with the complainant and the service before finalising the response.",
            "Recording a root cause in the process, not the person, when a letter went to the wrong address.",
        ],
    ),
    Role.COMPLAINTS_MANAGER: (
        "You make sure complaints are handled well and that colleagues are supported.",
        [
            "Assign complaints so that investigators are independent and trained.",
            "Make sure colleagues are trained, resourced and given protected time.",
            "Debrief colleagues after challenging interactions and offer support.",
            "Check the quality of responses against the Standards.",
            "Make sure learning is captured and improvement actions are followed through.",
        ],
        [
            "Holding a debrief with a colleague after a difficult phone call and arranging time away from the desk.",
            "Reviewing a month's responses with the team and agreeing one change to the template.",
        ],
    ),
    Role.SENIOR_LEADER: (
        "You are accountable for complaints and for acting on what they teach us.",
        [
            "Make sure every colleague knows how they can create and deliver a fair and learning culture.",
            "Make sure there are structures for fair and robust investigations.",
            "Review complaint information regularly and be held accountable for using the learning.",
            "Make sure colleagues are supported and trained, including in challenging conversations and behaviour.",
            "Report each year how learning from complaints has improved services.",
        ],
        [
            "Opening a team meeting with a complaint that led to a better service, and thanking those involved.",
            "Agreeing resources for an improvement action that the governance board identified.",
        ],
    ),
    Role.GOVERNANCE_MEMBER: (
        "You review complaint information and hold senior leaders to account for the learning.",
        [
            "Review complaint information at every governance meeting.",
            "Ask what has changed as a result of complaints, and for the evidence.",
            "Make sure the annual report includes a self-assessment against the Standards.",
        ],
        ["Asking for evidence that an improvement action closed last quarter has reduced complaints."],
    ),
    Role.TRAINER: (
        "You make sure colleagues are trained to meet the Standards.",
        [
            "Keep the training catalogue current and matched to each role.",
            "Record completions accurately and follow up training that is about to expire.",
            "Include practical examples of a fair and learning culture in training.",
        ],
        ["Using an anonymised complaint from last year as a case study in early resolution training."],
    ),
}
