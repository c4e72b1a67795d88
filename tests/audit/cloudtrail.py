#!/usr/bin/python3
"""tests/audit/cloudtrail.py — CloudTrail log files as AWS delivers them to S3, made up for the
tests (suite 35) and the benchmark (tests/bench/bench-audit). Records follow AWS's documented
format (CloudTrail record contents, eventVersion 1.08/1.09; the IAM guide's AssumeRoleWithSAML
example; ECS Exec's ExecuteCommand): userIdentity with accessKeyId and
sessionContext.sourceIdentity, requestParameters cluster/task/container/command, and
responseElements.session.sessionId with the token hidden, as CloudTrail writes it.

  cloudtrail.py fixture OUTDIR LOGINS.json
      The fixture set of suite 35 for the logins given (a JSON list of objects with
      access_key_id, source_identity, assertion, session_name, time): per login an
      AssumeRoleWithSAML and an ExecuteCommand, plus an ExecuteCommand by a key no bastion
      issued, a StartSession, a failed ExecuteCommand, and noise, spread over a gzip file,
      a plain file and a directory tree in S3's layout.
  cloudtrail.py year OUTDIR FILES RECORDS_PER_FILE
      A year-like set: FILES gzip files in AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/,
      RECORDS_PER_FILE records each, about 1 in 20 an ExecuteCommand.
"""
import datetime
import gzip
import json
import os
import random
import sys
import uuid

ACCOUNT = "123456789012"
REGION = "eu-west-3"
ROLE = "BastionOperator"
ROLE_ARN = "arn:aws:iam::%s:role/%s" % (ACCOUNT, ROLE)
PROVIDER_ARN = "arn:aws:iam::%s:saml-provider/corp-idp" % ACCOUNT


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def base(t, source, name, ident):
    return {
        "eventVersion": "1.09" if source == "ecs.amazonaws.com" else "1.08",
        "userIdentity": ident,
        "eventTime": ts(t),
        "eventSource": source,
        "eventName": name,
        "awsRegion": REGION,
        "sourceIPAddress": "198.51.100.10",
        "userAgent": "aws-cli/2.15.0 Python/3.11 Linux/6.1 exe/x86_64.debian.12 command/ecs.execute-command",
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


def assumed(akid, session_name, source_identity):
    ident = {
        "type": "AssumedRole",
        "principalId": "AROAEXAMPLEROLEID0001:%s" % session_name,
        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, ROLE, session_name),
        "accountId": ACCOUNT,
        "accessKeyId": akid,
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID0001",
                              "arn": ROLE_ARN, "accountId": ACCOUNT, "userName": ROLE},
            "webIdFederationData": {},
            "attributes": {"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"},
        },
    }
    if source_identity:
        ident["sessionContext"]["sourceIdentity"] = source_identity
    return ident


def assume_role_with_saml(t, akid, assertion, session_name, source_identity, subject,
                          issuer="https://idp.example.test/metadata"):
    r = base(t, "sts.amazonaws.com", "AssumeRoleWithSAML", {
        "type": "SAMLUser", "principalId": "idp.example.test:%s" % subject,
        "userName": subject, "identityProvider": "idp.example.test"})
    r["requestParameters"] = {
        "sAMLAssertionID": assertion, "roleSessionName": session_name,
        "sourceIdentity": source_identity, "durationSeconds": 3600,
        "roleArn": ROLE_ARN, "principalArn": PROVIDER_ARN}
    r["responseElements"] = {
        "credentials": {"accessKeyId": akid, "expiration": "Jan 1, 2027, 1:00:00 AM"},
        "assumedRoleUser": {"assumedRoleId": "AROAEXAMPLEROLEID0001:%s" % session_name,
                            "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, ROLE, session_name)},
        "subject": subject, "subjectType": "persistent", "issuer": issuer,
        "audience": "https://signin.aws.amazon.com/saml", "nameQualifier": "abcdEXAMPLE=",
        "sourceIdentity": source_identity}
    r["readOnly"] = True
    return r


def execute_command(t, akid, session_name, source_identity, cluster, task, container, command,
                    error=None):
    r = base(t, "ecs.amazonaws.com", "ExecuteCommand", assumed(akid, session_name, source_identity))
    r["requestParameters"] = {"cluster": cluster, "container": container, "command": command,
                              "interactive": True, "task": task}
    if error:
        r["errorCode"] = error
        r["errorMessage"] = "User is not authorized to perform: ecs:ExecuteCommand"
        r["responseElements"] = None
        return r
    sid = "ecs-execute-command-%s" % uuid.uuid4().hex[:17]
    r["responseElements"] = {
        "clusterArn": "arn:aws:ecs:%s:%s:cluster/%s" % (REGION, ACCOUNT, cluster),
        "containerArn": "arn:aws:ecs:%s:%s:container/%s/%s/%s" % (REGION, ACCOUNT, cluster, task, uuid.uuid4()),
        "containerName": container, "interactive": True,
        "session": {"sessionId": sid,
                    "streamUrl": "wss://ssmmessages.%s.amazonaws.com/v1/data-channel/%s?role=publish_subscribe&cell-number=AAEAAQ" % (REGION, sid),
                    "tokenValue": "HIDDEN_DUE_TO_SECURITY_REASONS"},
        "taskArn": "arn:aws:ecs:%s:%s:task/%s/%s" % (REGION, ACCOUNT, cluster, task)}
    return r


def start_session(t, akid, session_name, source_identity, target):
    r = base(t, "ssm.amazonaws.com", "StartSession", assumed(akid, session_name, source_identity))
    r["requestParameters"] = {"target": target}
    sid = "%s-%s" % (session_name, uuid.uuid4().hex[:17])
    r["responseElements"] = {"sessionId": sid, "tokenValue": "Value hidden due to security reasons.",
                             "streamUrl": "wss://ssmmessages.%s.amazonaws.com/v1/data-channel/%s" % (REGION, sid)}
    return r


def noise(t, akid, session_name, source_identity, i):
    name = ["DescribeTasks", "ListTasks", "DescribeClusters", "GetCallerIdentity"][i % 4]
    src = "sts.amazonaws.com" if name == "GetCallerIdentity" else "ecs.amazonaws.com"
    r = base(t, src, name, assumed(akid, session_name, source_identity))
    r["requestParameters"] = {"cluster": "prod", "tasks": ["0123456789abcdef0123456789abcdef"]} if src == "ecs.amazonaws.com" else None
    r["responseElements"] = None
    r["readOnly"] = True
    return r


def s3_dir(out, t):
    return os.path.join(out, "AWSLogs", ACCOUNT, "CloudTrail", REGION,
                        "%04d" % t.year, "%02d" % t.month, "%02d" % t.day)


def s3_name(t, n):
    return "%s_CloudTrail_%s_%s_%s.json.gz" % (ACCOUNT, REGION, t.strftime("%Y%m%dT%H%MZ"),
                                               "%016x" % n)


def write(path, records, gz):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps({"Records": records}).encode()
    if gz:
        with gzip.open(path, "wb", compresslevel=6) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def fixture(out, logins):
    gz_recs, plain_recs, tree = [], [], []
    for i, lg in enumerate(logins):
        t = datetime.datetime.strptime(lg["time"], "%Y-%m-%dT%H:%M:%SZ")
        a = (lg["access_key_id"], lg["session_name"], lg["source_identity"])
        gz_recs.append(assume_role_with_saml(t, lg["access_key_id"], lg["assertion"],
                                             lg["session_name"], lg["source_identity"],
                                             lg.get("subject", lg["session_name"])))
        gz_recs.append(noise(t + datetime.timedelta(seconds=5), *a, i))
        (plain_recs if i % 2 else tree).append(
            execute_command(t + datetime.timedelta(seconds=10), *a, "prod",
                            "0123456789abcdef0123456789abc%03d" % i, "app",
                            "/bin/sh -c 'echo login %d'" % i))
    t0 = datetime.datetime.strptime(logins[0]["time"], "%Y-%m-%dT%H:%M:%SZ")
    # a key no bastion issued: another way into the account, listed, never dropped
    plain_recs.append(execute_command(t0 + datetime.timedelta(seconds=20), "ASIAOUTSIDER00000001",
                                      "mallory", "mallory", "prod", "feedfacefeedfacefeedfacefeedface",
                                      "app", "/bin/bash"))
    # StartSession straight at SSM: the session policy should have denied it
    lg = logins[0]
    tree.append(start_session(t0 + datetime.timedelta(seconds=30), lg["access_key_id"],
                              lg["session_name"], lg["source_identity"],
                              "ecs:prod_0123456789abcdef0123456789abc000_0123456789abcdef0123456789abc000-1234567890"))
    # a refused exec by a bastion login: listed with its error
    tree.append(execute_command(t0 + datetime.timedelta(seconds=40), lg["access_key_id"],
                                lg["session_name"], lg["source_identity"], "payments",
                                "00000000000000000000000000000001", "db", "/bin/sh",
                                error="AccessDeniedException"))
    write(os.path.join(out, "s3", s3_dir("", t0).lstrip("/"), s3_name(t0, 1)), gz_recs, True)
    write(os.path.join(out, "plain.json"), plain_recs, False)
    write(os.path.join(out, "tree", s3_dir("", t0).lstrip("/"), s3_name(t0, 2)), tree, True)
    # not log files, inside the tree: skipped by name (a digest) or reported (garbage)
    os.makedirs(os.path.join(out, "tree", "AWSLogs", ACCOUNT, "CloudTrail-Digest"), exist_ok=True)
    with open(os.path.join(out, "tree", "AWSLogs", ACCOUNT, "CloudTrail-Digest", "x.txt"), "w") as f:
        f.write("not a log\n")
    with open(os.path.join(out, "tree", "AWSLogs", ACCOUNT, "garbage.json"), "w") as f:
        f.write("{\"Records\": [")


def year(out, files, per_file):
    rnd = random.Random(35)
    t = datetime.datetime(2025, 1, 1)
    step = datetime.timedelta(seconds=365 * 86400 // max(files, 1))
    keys = ["ASIABENCH%011d" % i for i in range(200)]
    for n in range(files):
        recs = []
        for i in range(per_file):
            akid = rnd.choice(keys)
            who = "user%03d" % (keys.index(akid) % 50)
            tt = t + datetime.timedelta(seconds=i)
            k = rnd.randrange(40)
            if k < 2:
                recs.append(execute_command(tt, akid, who, who, "prod",
                                            "%032x" % rnd.getrandbits(128), "app", "/bin/sh"))
            elif k == 2:
                recs.append(assume_role_with_saml(tt, akid, "_%032x" % rnd.getrandbits(128),
                                                  who, who, who))
            else:
                recs.append(noise(tt, akid, who, who, i))
        write(os.path.join(s3_dir(out, t), s3_name(t, n)), recs, True)
        t += step


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "fixture":
        fixture(sys.argv[2], json.load(open(sys.argv[3])))
    elif len(sys.argv) == 5 and sys.argv[1] == "year":
        year(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
