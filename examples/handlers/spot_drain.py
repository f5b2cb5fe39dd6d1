#!/usr/bin/env python3
"""A Spot interruption handler in Python, standard library only.

Every POLL seconds (AWS advises 5) it reads each running Spot instance's metadata service with
IMDSv2, keeping one token per instance until its TTL runs out (a 401 means: fetch a new one).
When an interruption notice appears it works out how long is left (the notice's `time` minus now:
on the level's clock when the exercise starts it with libfaketime), launches one on-demand
replacement in another zone in the same security groups, through the exercise's control
endpoint, and it acknowledges new incidents. Run it with

    fleetops exercise 03-spot-reclaim --realtime --speed 10 --handler 'python3 examples/handlers/spot_drain.py'

or by hand with the variables the exercise prints (FLEETOPS_CONTROL, FLEETOPS_CONTROL_TOKEN).
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

CONTROL = os.environ["FLEETOPS_CONTROL"]
AUTH = {"Authorization": f"Bearer {os.environ['FLEETOPS_CONTROL_TOKEN']}"}
POLL = float(os.environ.get("POLL", "5"))
# Seconds to wait for an answer. On the level's clock (libfaketime) these are simulated seconds, a
# tenth of a real second at --speed 10 per simulated second: a busy machine can hold the world up
# for longer, and a command is answered only once the world's next second has applied it.
TIMEOUT = 60
# Status of a request that got no answer in TIMEOUT: not an answer, so the state is read again.
NO_ANSWER = -1
TOKEN_TTL = 21600
OTHER_ZONE = {"use1-az1": "use1-az2", "use1-az2": "use1-az1"}


def call(method, url, body=None, headers=None):
    """(status, text) of one HTTP request: status 0 when nothing listens (the exercise is over),
    NO_ANSWER when nothing came back in TIMEOUT."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (TimeoutError, urllib.error.URLError) as error:
        if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            return NO_ANSWER, ""
        return 0, ""
    except OSError:
        return 0, ""


class Metadata:
    """One instance's IMDS, read with a token kept until it expires."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.token = None
        self.expires = 0.0

    def fetch_token(self):
        status, text = call("PUT", f"{self.endpoint}/latest/api/token",
                            headers={"X-aws-ec2-metadata-token-ttl-seconds": str(TOKEN_TTL)})
        if status != 200:
            return False
        self.token, self.expires = text, time.time() + TOKEN_TTL - 60
        return True

    def get(self, path):
        """The value at path, or None (404: nothing there yet, or the instance is gone)."""
        for _ in range(2):
            if (self.token is None or time.time() > self.expires) and not self.fetch_token():
                return None
            status, text = call("GET", f"{self.endpoint}{path}", headers={"X-aws-ec2-metadata-token": self.token})
            if status == 200:
                return text
            if status != 401:
                return None
            self.token = None  # revoked or expired: one new token, then try again
        return None


def post(command):
    status, text = call("POST", f"{CONTROL}/commands", command.encode(), {**AUTH, "Content-Type": "text/plain"})
    if status == NO_ANSWER:
        # Not sent again: it may yet be applied, and a second launch would be a second instance.
        print(f"{command} -> no answer in {TIMEOUT} s; not sent again", flush=True)
    else:
        print(f"{command} -> {status} {text.strip()}", flush=True)


def main():
    watched, replaced, acked = {}, set(), set()
    while True:
        started = time.time()
        status, text = call("GET", f"{CONTROL}/state", headers=AUTH)
        if status == NO_ANSWER:
            continue
        if status != 200:
            return 0 if status == 0 else 1
        state = json.loads(text)
        if state["finished"]:
            return 0
        for inst in state["instances"]:
            if inst["market"] != "spot" or not inst["imds"] or inst["id"] in replaced:
                continue
            imds = watched.setdefault(inst["id"], Metadata(inst["imds"]))
            notice = imds.get("/latest/meta-data/spot/instance-action")
            if notice is None:
                continue
            action = json.loads(notice)
            at = datetime.strptime(action["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            print(f"{inst['id']}: {action['action']} in {at.timestamp() - time.time():.0f} s", flush=True)
            launch = f"launch {inst['type']} --az {OTHER_ZONE.get(inst['zone'], 'use1-az1')}"
            if inst["workload"]:
                launch += f" --workload {inst['workload']}"
            if inst["securityGroups"]:
                launch += f" --sg {','.join(inst['securityGroups'])}"
            post(launch + (f" --name {inst['name']}-od" if inst["name"] else ""))
            replaced.add(inst["id"])
        for incident in state["incidents"]:
            if incident["state"] == "detected" and incident["id"] not in acked:
                post(f"ack {incident['id']}")
                acked.add(incident["id"])
        # Every POLL seconds from the start of the last round, however long the round took.
        time.sleep(max(0.0, POLL - (time.time() - started)))


if __name__ == "__main__":
    sys.exit(main())
