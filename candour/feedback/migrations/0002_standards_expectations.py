"""The expectations of the UK Central Government Complaint Standards, one row each, per section.

They are editable afterwards (staff page, `services.save_expectation`); self-assessments keep the wording
they rated.
"""

from django.db import migrations

EXPECTATIONS = {
    1: [
        "Complaints can be made in many ways (online, e-mail, letter, phone, in person) and the process is "
        "published: who can complain, how, and what happens next.",
        "People are reassured that complaining will not affect the service they receive.",
        "Reasonable adjustments are made at every stage, and the needs of vulnerable people are met.",
        "People are signposted to independent advice and support.",
        "Complaints are acknowledged within the expected timescale.",
        "Colleagues who are complained about are told as soon as possible and offered support.",
        "Matters that belong to another route (appeal, tribunal, court, disciplinary, FOI, service request) are "
        "spotted and co-ordinated or signposted.",
        "Older, anonymous and general complaints get a recorded decision, not an automatic refusal.",
    ],
    2: [
        "The key issues and the outcome the person wants are identified.",
        "Timescales and how often parties will be updated are agreed, and parties are updated regularly.",
        "Key parties are told how the issues will be looked into, what information is needed, who will be "
        "spoken to and who will give the final response.",
        "Parties have the chance to respond to emerging information.",
        "Where possible, the investigator was not involved in the events complained about.",
        "Colleagues are trained, resourced and given protected time to handle complaints.",
    ],
    3: [
        "Responses give a balanced account comparing what happened with what should have happened, citing the "
        "legislation, standards, policy or guidance that applies.",
        "In complex cases initial views are shared before the final response.",
        "Where things went wrong there is a sincere apology and explanation, and remedies are consistent.",
        "Responses say what learning will be taken and how.",
        "People are told their right to escalate, including to the Ombudsman through a Member of Parliament.",
        "Final responses cover the complaint as understood, what was investigated and how, how the decision was "
        "reached, the impact of any failing, what will happen as a result and what the person can do next.",
    ],
    4: [
        "Senior leaders make sure every colleague knows how they can create and deliver a fair and learning "
        "culture, and colleagues can show how they contribute through practical examples.",
        "Senior leaders make sure appropriate structures are in place to deliver fair and robust investigations "
        "of complaints.",
        "Governance structures ensure senior leaders regularly review information arising from complaints and are "
        "held accountable for using the learning to improve services.",
        "Colleagues are trained to identify and respond to complaints in a way that meets the Complaint Standards.",
        "Colleagues are supported and trained in all aspects of dealing with complaints, including managing "
        "challenging conversations and behaviour.",
        "Clear processes show how learning from complaints is captured and used to improve services, and annual "
        "reports give details.",
        "Feedback from complainants and colleagues directly involved is captured and used to show performance "
        "against the Complaint Standards.",
        "Parent departments have meaningful strategic oversight of their related organisations' complaint "
        "handling and how they meet the Standards.",
    ],
}


def add(apps, schema_editor):
    Expectation = apps.get_model("feedback", "Expectation")
    for section, texts in EXPECTATIONS.items():
        for number, text in enumerate(texts, start=1):
            Expectation.objects.get_or_create(section=section, number=number, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
