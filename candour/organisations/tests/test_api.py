import pytest

pytestmark = pytest.mark.django_db


def test_anyone_can_list_the_organisations_that_accept_complaints(client, tree):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert set(rows) == {"dept", "agency", "sibling"}
    assert rows["agency"]["parent"] == "dept" and rows["agency"]["nation"] == "wales"
    assert rows["dept"]["parent"] is None


def test_the_openapi_schema_describes_it(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/organisations" in schema["paths"]
