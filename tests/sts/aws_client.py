#!/usr/bin/python3
"""aws_client.py — one signed AWS JSON 1.1 call, for tests only, signed by botocore's own
SigV4 signer (Debian's awscli vendors botocore), so the stand-in's verifier is checked against
AWS's implementation rather than against itself.

    aws_client.py --endpoint https://127.0.0.1:PORT --ca CA.pem --credentials FILE
                  [--region eu-west-1] [--source 127.0.0.2] [--tamper body|signature]
                  [--access-key ASIA...] [--skew SECONDS] [--service ecs|ssm]
                  TARGET JSON

TARGET is the X-Amz-Target (AmazonEC2ContainerServiceV20141113.ExecuteCommand,
AmazonSSM.TerminateSession, ...); the service's signing name is taken from it unless
--service says otherwise. FILE is an AWS credentials file ([default]). --source binds the
client to that address; --tamper changes the body or the signature after signing;
--access-key signs with the secret from FILE but claims another key; --skew signs as if the
clock were off by SECONDS. Prints "HTTP_STATUS BODY" on one line; exits 0 once a reply came.
"""
import argparse
import configparser
import datetime
import http.client
import ssl
import sys
from unittest import mock

import awscli  # noqa: F401  (must come first: it sets up the vendored botocore)
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ap = argparse.ArgumentParser()
ap.add_argument("--endpoint", required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--credentials", required=True)
ap.add_argument("--region", default="eu-west-1")
ap.add_argument("--source")
ap.add_argument("--tamper", choices=["body", "signature"])
ap.add_argument("--access-key")
ap.add_argument("--skew", type=int, default=0)
ap.add_argument("--service")
ap.add_argument("target")
ap.add_argument("json")
a = ap.parse_args()

cp = configparser.RawConfigParser()
cp.read(a.credentials)
sec = cp["default"]
creds = Credentials(a.access_key or sec["aws_access_key_id"], sec["aws_secret_access_key"],
                    sec.get("aws_session_token"))
service = a.service or ("ssm" if a.target.startswith("AmazonSSM.") else "ecs")
host = a.endpoint.split("://", 1)[1].rstrip("/")
req = AWSRequest(method="POST", url=a.endpoint.rstrip("/") + "/", data=a.json.encode(),
                 headers={"X-Amz-Target": a.target,
                          "Content-Type": "application/x-amz-json-1.1"})
if a.skew:
    when = datetime.datetime.utcnow() + datetime.timedelta(seconds=a.skew)
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = when
        SigV4Auth(creds, service, a.region).add_auth(req)
else:
    SigV4Auth(creds, service, a.region).add_auth(req)
headers = dict(req.headers.items())
body = a.json.encode()
if a.tamper == "body":
    body = body.replace(b"}", b' ,"x":1}', 1) if b"}" in body else body + b" "
if a.tamper == "signature":
    auth = headers["Authorization"]
    last = auth[-1]
    headers["Authorization"] = auth[:-1] + ("0" if last != "0" else "1")
headers["Host"] = host
headers["Content-Length"] = str(len(body))
ctx = ssl.create_default_context(cafile=a.ca)
hostname, port = host.rsplit(":", 1)
conn = http.client.HTTPSConnection(hostname, int(port), context=ctx, timeout=30,
                                   source_address=(a.source, 0) if a.source else None)
conn.request("POST", "/", body=body, headers=headers)
r = conn.getresponse()
print(r.status, r.read().decode())
sys.exit(0)
