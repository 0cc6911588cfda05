import pytest

from candour.demo import data
from candour.feedback.models import SelfAssessment, SurveyResponse
from candour.notifications.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_feedback_is_built_once_and_sends_nothing():
    data.build(complaints=300)
    responses = SurveyResponse.objects.count()
    assert responses > 0
    assert SelfAssessment.objects.count() == 4
    assert not Message.objects.filter(idempotency_key__contains="survey").exists()
    data.build(complaints=300)
    assert SurveyResponse.objects.count() == responses and SelfAssessment.objects.count() == 4
