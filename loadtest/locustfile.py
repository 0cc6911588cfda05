"""Locust load test for Candour: complainants submitting complaints and staff browsing, on loopback.

Run it through `python -m loadtest.run` (make loadtest), which starts gunicorn and PostgreSQL data and sets:
  LOADTEST_PLAN        JSON file: {"target": "api"|"none", "organisations": [...], "staff": [...], "references":
                       [...], "password": ..., "queue_path": ..., "case_path": ..., "run": ...}
  LOADTEST_ACCEPTED    file this process appends every accepted submission to (one JSON object per line)
  LOADTEST_COMPLAINANTS / LOADTEST_STAFF   how many of each simulated user
The complainant target is pluggable (TARGETS below): "api" posts to the public JSON API with an Idempotency-Key;
a public form target can be added when that page lands.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read()) if os.environ.get("LOADTEST_PLAN") else {}  # noqa: SIM115
ACCEPTED = os.environ.get("LOADTEST_ACCEPTED", os.devnull)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def record(entry: dict) -> None:
    with open(ACCEPTED, "a") as f:
        f.write(json.dumps(entry) + "\n")


def submit_api(user: HttpUser, key: str, slug: str) -> str | None:
    payload = {
        "description": f"I applied months ago and have heard nothing back. [loadtest {PLAN.get('run')} {key}]",
        "summary": "Delay in processing my application",
        "outcome_sought": "A decision",
        "complainant_name": "Load Test",
        "complainant_email": "load.test@example.com",
    }
    with user.client.post(
        f"/api/v1/organisations/{slug}/complaints",
        json=payload,
        headers={"Idempotency-Key": key},
        name="/api/v1/organisations/[slug]/complaints",
        catch_response=True,
    ) as response:
        if response.status_code in (200, 201):
            response.success()
            return response.json()["reference"]
        response.failure(f"{response.status_code}: {response.text[:200]}")
    return None


TARGETS = {"api": submit_api}


class Complainant(HttpUser):
    """A member of the public sending a complaint; sometimes the submission is retried (same key)."""

    wait_time = between(1, 5)
    fixed_count = int(os.environ.get("LOADTEST_COMPLAINANTS", "200"))

    @task
    def complain(self):
        submit = TARGETS.get(PLAN.get("target"))
        if submit is None:
            self.client.get("/", name="/ (no public intake on main yet)")
            return
        key = uuid.uuid4().hex
        slug = random.choice(PLAN["organisations"])
        reference = submit(self, key, slug)
        if reference is None:
            return
        record({"key": key, "reference": reference})
        if random.random() < 0.05:  # a double click or a retry after a timeout
            again = submit(self, key, slug)
            if again is not None:
                record({"key": key, "reference": again, "retry": True})


class Staff(HttpUser):
    """A colleague who signs in and works through the queue and case pages."""

    wait_time = between(1, 3)
    fixed_count = int(os.environ.get("LOADTEST_STAFF", "50"))

    def on_start(self):
        username = random.choice(PLAN["staff"])
        page = self.client.get("/staff/sign-in/", name="/staff/sign-in/")
        token = CSRF.search(page.text)
        form = {"username": username, "password": PLAN["password"]}
        form["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.client.post(
            "/staff/sign-in/",
            data=form,
            headers={"Referer": self.host + "/staff/sign-in/"},
            name="/staff/sign-in/",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"sign-in refused: {response.status_code}")
        self.references = PLAN["references"].get(username) or []

    @task(3)
    def queue(self):
        self.client.get(PLAN["queue_path"], name="work queue")

    @task(2)
    def case(self):
        if self.references and PLAN.get("case_path"):
            reference = random.choice(self.references)
            self.client.get(PLAN["case_path"].format(reference=reference), name="case page")
        else:
            self.client.get(PLAN["queue_path"], name="work queue")
