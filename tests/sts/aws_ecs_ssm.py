"""aws_ecs_ssm.py — the ECS and SSM operations of the loopback stand-in (tests/sts/fake_sts.py):
ECS ExecuteCommand and DescribeTasks, SSM StartSession, ResumeSession and TerminateSession,
in AWS's JSON 1.1 wire format, authorized by tests/sts/aws_policy.py. Python stdlib only.

The HTTP layer (fake_sts.py) has already verified the SigV4 signature; it calls
    status, body_dict, rec = Services.call(target, body_bytes, caller)
caller: {"arn", "role_id", "account", "policy" (session policy text or None), "access_key",
"region", "source_ip", "session_name"}; rec: fields for the request log.

The world (tasks, tags, the role policy, keys to treat as expired) comes from the --world JSON
file, re-read whenever it changes; see fake_sts.py's docstring for its format.
"""
import hashlib
import json
import os
import secrets
import threading
import time
import uuid

import aws_policy

ECS_PREFIX = "AmazonEC2ContainerServiceV20141113."
SSM_PREFIX = "AmazonSSM."
ALLOW_ALL = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
STARTED = time.time() - 600    # when the world's tasks "started", unless it says
NOT_ENABLED = ("The execute command failed because execute command was not enabled when the "
               "task was run or the execute command agent isn't running. Wait and try the "
               "command again or run a new task with execute command enabled and try again.")


class ApiError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class World:
    """The --world file, re-read when its mtime or size changes."""

    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.data = {}
        self.role_policy = ALLOW_ALL
        self.error = None     # why the file as it is now cannot be used (then: the last good)
        self.lock = threading.Lock()

    def get(self):
        with self.lock:
            if not self.path:
                return self.data, self.role_policy
            try:
                st = os.stat(self.path)
                stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                return self.data, self.role_policy
            if stamp != self.stamp:
                self.stamp = stamp
                try:
                    with open(self.path) as f:
                        data = json.load(f)
                    rp = data.get("role_policy")
                    pol = ALLOW_ALL
                    if rp is not None:
                        pol, err = aws_policy.parse(json.dumps(rp))
                        if err:
                            raise ValueError("role_policy: " + err)
                    self.data, self.role_policy, self.error = data, pol, None
                except (OSError, ValueError, AttributeError) as e:
                    self.error = "%s: %s: %s" % (self.path, type(e).__name__, e)
            return self.data, self.role_policy

    def key_expired(self, akid):
        data, _ = self.get()
        keys = data.get("expired_keys", [])
        return "*" in keys or akid in keys


class Sessions:
    """Exec and SSM sessions, kept in the --sessions file across restarts (a token only as its
    SHA-256); a waiter (the stub plugin's data channel) wakes on every change."""

    def __init__(self, path):
        self.path = path
        self.cond = threading.Condition()
        self.by_id = {}
        if path and os.path.exists(path):
            with open(path) as f:
                self.by_id = json.load(f)

    def add(self, sess):
        with self.cond:
            self.by_id[sess["id"]] = sess
            self._save()
            self.cond.notify_all()

    def get(self, sid):
        with self.cond:
            s = self.by_id.get(sid)
            return dict(s) if s else None

    def update(self, sid, **changes):
        with self.cond:
            s = self.by_id.get(sid)
            if s is None:
                return None
            s.update(changes)
            self._save()
            self.cond.notify_all()
            return dict(s)

    def token_ok(self, sid, token):
        with self.cond:
            s = self.by_id.get(sid)
            want = s["token_sha256"] if s else ""
        got = hashlib.sha256(token.encode()).hexdigest()
        return bool(want) and secrets.compare_digest(want, got)

    def wait_change(self, sid, status, timeout):
        """Block until the session's status is no longer STATUS, or TIMEOUT passes."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                s = self.by_id.get(sid)
                if s is None or s["status"] != status:
                    return dict(s) if s else None
                left = deadline - time.monotonic()
                if left <= 0:
                    return dict(s)
                self.cond.wait(left)

    def _save(self):
        if not self.path:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.by_id, f, sort_keys=True, indent=1)
        os.replace(tmp, self.path)


def _hex(n):
    return secrets.token_hex((n + 1) // 2)[:n]


def _token():
    # like AWS's: opaque, base64-ish, well under the model's 300 characters
    return secrets.token_urlsafe(150)[:200]


class Services:
    def __init__(self, world, sessions, stream_base):
        self.world = world
        self.sessions = sessions
        self.stream_base = stream_base     # "wss://127.0.0.1:PORT"

    # ---- entry --------------------------------------------------------------------------

    def call(self, target, body, caller):
        rec = {}
        if target.startswith(ECS_PREFIX):
            service, op = "ecs", target[len(ECS_PREFIX):]
            handler = {"ExecuteCommand": self.execute_command,
                       "DescribeTasks": self.describe_tasks}.get(op)
        elif target.startswith(SSM_PREFIX):
            service, op = "ssm", target[len(SSM_PREFIX):]
            handler = {"StartSession": self.start_session,
                       "ResumeSession": self.resume_session,
                       "TerminateSession": self.terminate_session}.get(op)
        else:
            service, op, handler = None, target, None
        rec.update({"service": service, "action": op})
        try:
            if handler is None:
                raise ApiError("UnknownOperationException", "")
            try:
                req = json.loads(body.decode("utf-8") or "{}")
            except (UnicodeDecodeError, ValueError):
                raise ApiError("SerializationException", "Start of structure or map found "
                               "where not expected.")
            if not isinstance(req, dict):
                raise ApiError("SerializationException", "Expected a JSON object")
            self.world.get()
            if self.world.error:     # the test's own mistake, said as loudly as AWS can
                raise ApiError("InternalFailure", "the stand-in's world file: " +
                               self.world.error, 500)
            out = handler(req, caller, rec)
            rec.setdefault("decision", "allow")
            return 200, out, rec
        except ApiError as e:
            rec["error"] = e.code
            key = "message" if service == "ecs" else "Message"
            body = {"__type": e.code}
            if e.message:
                body[key] = e.message
            return e.status, body, rec

    # ---- authorization ------------------------------------------------------------------

    def authorize(self, caller, action, resources, extra_ctx, rec):
        _, role_policy = self.world.get()
        policies = [("identity", role_policy)]
        if caller.get("policy") is not None:
            sp, err = aws_policy.parse(caller["policy"])
            if err:      # STS refused such a policy already; defensive
                raise ApiError("AccessDeniedException", "session policy: " + err)
            policies.append(("session", sp))
        now = time.time()
        ctx = {"aws:SourceIp": caller["source_ip"], "aws:ViaAWSService": "false",
               "aws:SecureTransport": "true", "aws:PrincipalArn": caller["role_arn"],
               "aws:PrincipalAccount": caller["account"], "aws:PrincipalType": "AssumedRole",
               "aws:userid": caller["role_id"], "aws:RequestedRegion": caller["region"],
               "aws:CurrentTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
               "aws:EpochTime": str(int(now))}
        if caller.get("source_identity"):
            ctx["aws:SourceIdentity"] = caller["source_identity"]
        ctx.update(extra_ctx)
        d = aws_policy.evaluate(policies, action, resources, ctx)
        rec["decision"] = d.effect
        if not d.allowed:
            rec["denied_by"] = d.kind
            rec["denied_resource"] = d.resource
            raise ApiError("AccessDeniedException", d.message(caller["arn"]))

    # ---- ECS ----------------------------------------------------------------------------

    def _arn(self, caller, service, rest, region=True):
        return "arn:aws:%s:%s:%s:%s" % (service, caller["region"] if region else "",
                                        caller["account"], rest)

    @staticmethod
    def _cluster_name(ref):
        ref = ref or "default"
        return ref.split(":cluster/", 1)[1] if ref.startswith("arn:") and ":cluster/" in ref \
            else ref

    @staticmethod
    def _task_id(ref):
        return ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref

    @staticmethod
    def _tag_ctx(tags, prefixes=("aws", "ecs")):
        return {"%s:ResourceTag/%s" % (p, k): v for k, v in (tags or {}).items()
                for p in prefixes}

    def _task(self, cluster, task_id):
        data, _ = self.world.get()
        c = data.get("clusters", {}).get(cluster)
        return c, (c or {}).get("tasks", {}).get(task_id)

    @staticmethod
    def _runtime_id(task_id, i, ct):
        return ct.get("runtimeId") or "%s-%010d" % (task_id, 1000000000 + i)

    def execute_command(self, req, caller, rec):
        for k in ("command", "interactive", "task"):
            if k not in req:
                raise ApiError("InvalidParameterException", "%s is required" % k)
        cluster = self._cluster_name(req.get("cluster"))
        task_id = self._task_id(str(req["task"]))
        cluster_arn = self._arn(caller, "ecs", "cluster/" + cluster)
        task_arn = self._arn(caller, "ecs", "task/%s/%s" % (cluster, task_id))
        c, t = self._task(cluster, task_id)
        rec.update({"cluster": cluster, "task": task_id, "container": req.get("container")})
        ctx = {"ecs:cluster": cluster_arn, "ecs:task": task_arn}
        if req.get("container"):
            ctx["ecs:container-name"] = req["container"]
        self.authorize(caller, "ecs:ExecuteCommand",
                       [(cluster_arn, self._tag_ctx((c or {}).get("tags"))),
                        (task_arn, self._tag_ctx((t or {}).get("tags")))], ctx, rec)
        if c is None:
            raise ApiError("ClusterNotFoundException", "Cluster not found.")
        if t is None:
            raise ApiError("InvalidParameterException", "The specified task is not found. "
                           "Specify a valid task and try again.")
        if req["interactive"] is not True:
            raise ApiError("InvalidParameterException",
                           "Interactive is the only mode supported currently.")
        containers = t.get("containers", [])
        name = req.get("container")
        if name is None:
            if len(containers) != 1:
                raise ApiError("InvalidParameterException", "Container name must be "
                               "specified for a task with more than one container.")
            idx = 0
        else:
            idx = next((i for i, ct in enumerate(containers) if ct.get("name") == name), None)
            if idx is None:
                raise ApiError("InvalidParameterException",
                               "The container %s is not found in the task." % name)
        ct = containers[idx]
        if t.get("lastStatus", "RUNNING") != "RUNNING":
            raise ApiError("InvalidParameterException",
                           "The execute command failed because the task is not running.")
        if not t.get("enableExecuteCommand", True):
            raise ApiError("InvalidParameterException", NOT_ENABLED)
        if not t.get("agentConnected", True) or ct.get("agentStatus", "RUNNING") != "RUNNING":
            raise ApiError("TargetNotConnectedException",
                           "The execute command failed due to an internal error. Try again "
                           "later.")
        sid = "ecs-execute-command-" + _hex(17)
        token = _token()
        target = "ecs:%s_%s_%s" % (cluster, task_id, self._runtime_id(task_id, idx, ct))
        self.sessions.add(self._session(sid, "ecs", caller, target, token,
                                        cluster=cluster, task=task_id,
                                        container=ct["name"], command=req["command"]))
        rec.update({"session_id": sid, "container": ct["name"], "command": req["command"],
                    "token_sha256": hashlib.sha256(token.encode()).hexdigest()})
        return {"clusterArn": cluster_arn,
                "containerArn": self._arn(caller, "ecs", "container/%s/%s/%s" % (
                    cluster, task_id, ct.get("uuid", uuid.uuid5(uuid.NAMESPACE_OID,
                                                                task_id + ct["name"])))),
                "containerName": ct["name"], "interactive": True, "taskArn": task_arn,
                "session": {"sessionId": sid, "streamUrl": self._stream(sid),
                            "tokenValue": token}}

    def describe_tasks(self, req, caller, rec):
        tasks = req.get("tasks")
        if not isinstance(tasks, list) or not tasks or len(tasks) > 100:
            raise ApiError("InvalidParameterException", "Tasks cannot be empty.")
        cluster = self._cluster_name(req.get("cluster"))
        cluster_arn = self._arn(caller, "ecs", "cluster/" + cluster)
        ids = [self._task_id(str(x)) for x in tasks]
        rec.update({"cluster": cluster, "tasks": ids})
        c, _ = self._task(cluster, ids[0])
        self.authorize(caller, "ecs:DescribeTasks",
                       [(self._arn(caller, "ecs", "task/%s/%s" % (cluster, i)),
                         self._tag_ctx((self._task(cluster, i)[1] or {}).get("tags")))
                        for i in ids], {"ecs:cluster": cluster_arn}, rec)
        if c is None:
            raise ApiError("ClusterNotFoundException", "Cluster not found.")
        out, failures = [], []
        for i in ids:
            arn = self._arn(caller, "ecs", "task/%s/%s" % (cluster, i))
            t = c.get("tasks", {}).get(i)
            if t is None:
                failures.append({"arn": arn, "reason": "MISSING"})
                continue
            out.append(self._describe(caller, cluster, cluster_arn, i, arn, t,
                                      "TAGS" in (req.get("include") or [])))
        return {"tasks": out, "failures": failures}

    def _describe(self, caller, cluster, cluster_arn, task_id, arn, t, with_tags):
        started = t.get("startedAt", STARTED)
        conts = []
        for i, ct in enumerate(t.get("containers", [])):
            status = "RUNNING" if t.get("enableExecuteCommand", True) else None
            conts.append({
                "containerArn": self._arn(caller, "ecs", "container/%s/%s/%s" % (
                    cluster, task_id, ct.get("uuid", uuid.uuid5(uuid.NAMESPACE_OID,
                                                                task_id + ct["name"])))),
                "taskArn": arn, "name": ct["name"], "image": ct.get("image", "busybox:latest"),
                "runtimeId": self._runtime_id(task_id, i, ct),
                "lastStatus": t.get("lastStatus", "RUNNING"), "networkInterfaces": [],
                "healthStatus": "UNKNOWN", "cpu": "0",
                "managedAgents": [{"name": "ExecuteCommandAgent", "lastStartedAt": started,
                                   "lastStatus": ct.get("agentStatus", status)}]
                if status else []})
        d = {"taskArn": arn, "clusterArn": cluster_arn, "containers": conts,
             "taskDefinitionArn": self._arn(caller, "ecs", "task-definition/%s:1" %
                                            t.get("family", "app")),
             "lastStatus": t.get("lastStatus", "RUNNING"), "desiredStatus": "RUNNING",
             "enableExecuteCommand": bool(t.get("enableExecuteCommand", True)),
             "launchType": "FARGATE", "cpu": "256", "memory": "512",
             "createdAt": started - 30, "startedAt": started, "version": 3, "attachments": [],
             "availabilityZone": caller["region"] + "a", "connectivity": "CONNECTED",
             "group": "family:" + t.get("family", "app"), "platformVersion": "1.4.0",
             "platformFamily": "Linux"}
        if with_tags:
            d["tags"] = [{"key": k, "value": v} for k, v in (t.get("tags") or {}).items()]
        return d

    # ---- SSM ----------------------------------------------------------------------------

    def _session(self, sid, kind, caller, target, token, **more):
        s = {"id": sid, "kind": kind, "status": "Connected", "target": target,
             "access_key": caller["access_key"], "caller_arn": caller["arn"],
             "owner": caller["role_id"], "source_ip": caller["source_ip"],
             "created": time.time(), "region": caller["region"],
             "account": caller["account"],
             "token_sha256": hashlib.sha256(token.encode()).hexdigest(),
             "terminated_by": None, "terminated_at": None, "data_channel_opens": 0}
        s.update(more)
        return s

    def _stream(self, sid):
        return "%s/v1/data-channel/%s?role=publish_subscribe&cell-number=AAEAAQ" % (
            self.stream_base, sid)

    def _session_arn(self, caller, sid):
        return self._arn(caller, "ssm", "session/" + sid)

    def _session_ctx(self, s):
        # the tags SSM puts on a session (aws:ssmmessages:session-id = the starter's
        # aws:userid, aws:ssmmessages:target-id = the target), as ssm:resourceTag/... keys
        if s is None:
            return {}
        return {"ssm:resourceTag/aws:ssmmessages:session-id": s["owner"],
                "ssm:resourceTag/aws:ssmmessages:target-id": s["target"]}

    def _session_id(self, req, rec):
        sid = req.get("SessionId")
        if not isinstance(sid, str) or not 1 <= len(sid) <= 96:
            raise ApiError("ValidationException", "1 validation error detected: Value at "
                           "'sessionId' failed to satisfy constraint: Member must have length "
                           "between 1 and 96")
        rec["session_id"] = sid
        return sid

    def terminate_session(self, req, caller, rec):
        sid = self._session_id(req, rec)
        s = self.sessions.get(sid)
        self.authorize(caller, "ssm:TerminateSession",
                       [(self._session_arn(caller, sid), self._session_ctx(s))], {}, rec)
        if s is not None and s["status"] != "Terminated":
            self.sessions.update(sid, status="Terminated", terminated_at=time.time(),
                                 terminated_by=caller["access_key"])
        rec["session_known"] = s is not None
        return {"SessionId": sid}

    def resume_session(self, req, caller, rec):
        sid = self._session_id(req, rec)
        s = self.sessions.get(sid)
        self.authorize(caller, "ssm:ResumeSession",
                       [(self._session_arn(caller, sid), self._session_ctx(s))], {}, rec)
        if s is None or s["status"] == "Terminated":
            raise ApiError("DoesNotExistException", "Session with id %s does not exist or is "
                           "already terminated." % sid)
        token = _token()
        self.sessions.update(sid, resumed_by=caller["access_key"],
                             token_sha256=hashlib.sha256(token.encode()).hexdigest())
        rec["token_sha256"] = hashlib.sha256(token.encode()).hexdigest()
        return {"SessionId": sid, "TokenValue": token, "StreamUrl": self._stream(sid)}

    def start_session(self, req, caller, rec):
        target = req.get("Target")
        if not isinstance(target, str) or not target:
            raise ApiError("ValidationException", "1 validation error detected: Value null at "
                           "'target' failed to satisfy constraint: Member must not be null")
        rec["target"] = target
        doc = req.get("DocumentName") or "SSM-SessionManagerRunShell"
        resources = [self._target_arn(caller, target)]
        resources.append(doc if doc.startswith("arn:") else
                         "arn:aws:ssm:%s::document/%s" % (caller["region"], doc)
                         if doc.startswith("AWS-") or doc.startswith("SSM-") else
                         self._arn(caller, "ssm", "document/" + doc))
        self.authorize(caller, "ssm:StartSession", resources, {}, rec)
        found = None
        if target.startswith("ecs:") and target.count("_") >= 2:
            cluster, task_id, runtime = target[4:].split("_", 2)
            _, t = self._task(cluster, task_id)
            for i, ct in enumerate((t or {}).get("containers", [])):
                if self._runtime_id(task_id, i, ct) == runtime:
                    found = t
        if found is None or not found.get("agentConnected", True):
            raise ApiError("TargetNotConnected", "%s is not connected." % target)
        sid = "%s-%s" % (caller["session_name"], _hex(17))
        token = _token()
        self.sessions.add(self._session(sid, "ssm", caller, target, token))
        rec["session_id"] = sid
        return {"SessionId": sid, "TokenValue": token, "StreamUrl": self._stream(sid)}

    def _target_arn(self, caller, target):
        if target.startswith("ecs:") and target.count("_") >= 2:
            cluster, task_id, _ = target[4:].split("_", 2)
            return self._arn(caller, "ecs", "task/%s/%s" % (cluster, task_id))
        if target.startswith("mi-"):
            return self._arn(caller, "ssm", "managed-instance/" + target)
        return self._arn(caller, "ec2", "instance/" + target)

    # ---- the plugin's side: the data channel --------------------------------------------

    def data_channel(self, sid, token, wait, close, source_ip):
        """(status, body, rec) for the stub plugin's long poll: authenticated by the session's
        token alone (as the real data channel is), answers once the session is no longer
        Connected or WAIT seconds passed. CLOSE: the shell in the container exited."""
        rec = {"service": "ssmmessages", "action": "OpenDataChannel", "session_id": sid,
               "source_ip": source_ip}
        if not self.sessions.token_ok(sid, token or ""):
            rec["decision"] = "bad-token"
            return 403, {"__type": "AccessDeniedException",
                         "Message": "The token for the session is not valid."}, rec
        s = self.sessions.get(sid)
        if close:
            rec["action"] = "CloseDataChannel"
            if s["status"] == "Connected":
                self.sessions.update(sid, status="Terminated", terminated_at=time.time(),
                                     terminated_by="agent:exit")
        elif s["status"] == "Connected":
            self.sessions.update(sid, data_channel_opens=s["data_channel_opens"] + 1)
        s = self.sessions.wait_change(sid, "Connected", max(0.0, min(float(wait), 60.0)))
        rec.update({"decision": "allow", "status": s["status"]})
        return 200, {"SessionId": sid, "Status": s["status"],
                     "TerminatedBy": s.get("terminated_by")}, rec
