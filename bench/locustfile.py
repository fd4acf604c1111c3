"""The load of `bench/load.py`: what a visitor of the public site does, read-only.

Pages are chosen from the addresses `load.py` found on the demo installation (given in the
environment as JSON), so every request is a real page of the installation under test.
"""

import json
import os
import random

from locust import FastHttpUser, constant, task

PAGES = json.loads(os.environ["SEKRETARIAT_LOAD_PAGES"])
QUERIES = json.loads(os.environ["SEKRETARIAT_LOAD_QUERIES"])


class Visitor(FastHttpUser):
    # No think time: each client asks again as soon as it is answered (a load test, not a
    # model of people), so the figures are what the server can do.
    wait_time = constant(0)

    @task(6)
    def page(self):
        path = random.choice(PAGES)
        self.client.get(path, name=_name(path))

    @task(3)
    def search(self):
        self.client.get("/soeg/", params={"q": random.choice(QUERIES)}, name="/soeg/?q=")

    @task(1)
    def front_page(self):
        self.client.get("/", name="/")


def _name(path: str) -> str:
    """Requests grouped by kind of page in the statistics ('/moeder/<id>/', '/fora/<navn>/')."""
    parts = [("<id>" if part.isdigit() else part) for part in path.strip("/").split("/")]
    if parts[0] == "sager":
        parts = ["sager", "<journalnr>"]
    elif parts[0] == "fora" and len(parts) > 1:
        parts[1] = "<forum>"
    return "/" + "/".join(parts) + "/"
