from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "candour.investigations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from candour.complaints import services as complaint_services
        from candour.complaints import states
        from candour.demo import data as demo_data
        from candour.investigations import demo, permissions, services, sweeps  # noqa: F401 - registers

        # Independence and conflicts of interest refuse an assignment; quality review, initial views and
        # contributing organisations' parts must be done before a response can be issued.
        if services.assignment_check not in complaint_services.ASSIGNMENT_CHECKS:
            complaint_services.ASSIGNMENT_CHECKS.append(services.assignment_check)
        from candour.complaints import letters as complaint_letters
        from candour.investigations import letters

        if letters.response_delivery_problem not in complaint_services.DELIVERY_CHECKS:
            complaint_services.DELIVERY_CHECKS.append(letters.response_delivery_problem)
        if letters.add_to_response_letter not in complaint_letters.LETTER_CONTEXT_HOOKS:
            complaint_letters.LETTER_CONTEXT_HOOKS.append(letters.add_to_response_letter)
        if services.response_checks not in complaint_services.RESPONSE_CHECKS:
            complaint_services.RESPONSE_CHECKS.append(services.response_checks)
        if services.escalation_guard not in states.TRANSITIONS["escalate"].guards:
            states.add_guard("escalate", services.escalation_guard)
        if demo.build not in demo_data.EXTENDERS:
            demo_data.EXTENDERS.append(demo.build)
