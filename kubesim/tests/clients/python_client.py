"""kubesim against the official Python `kubernetes` client: CRUD, watch, quota 403, 404, 409."""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()


def pod(name, cpu="1", mem="1Gi"):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"app": "py"}),
        spec=client.V1PodSpec(
            restart_policy="Never",
            containers=[client.V1Container(
                name="main", image="busybox:1.36",
                resources=client.V1ResourceRequirements(requests={"cpu": cpu, "memory": mem}, limits={"memory": mem}),
            )],
        ),
    )


created = v1.create_namespaced_pod("default", pod("py-1"))
assert created.metadata.uid, "uid"
assert created.status.phase == "Pending", created.status.phase

pods = v1.list_namespaced_pod("default", label_selector="app=py")
assert [p.metadata.name for p in pods.items] == ["py-1"], pods.items

# A watch from the list's resourceVersion sees a change made afterwards (after the kubelet's own
# status writes, which may come first: the pod is being scheduled meanwhile).
rv = pods.metadata.resource_version
v1.patch_namespaced_pod("py-1", "default", {"metadata": {"labels": {"step": "2"}}})
w = watch.Watch()
events = []
for ev in w.stream(v1.list_namespaced_pod, "default", resource_version=rv, timeout_seconds=5):
    events.append((ev["type"], ev["object"].metadata.name, ev["object"].metadata.labels.get("step")))
    if events[-1][2] == "2":
        w.stop()
assert events and events[-1] == ("MODIFIED", "py-1", "2"), events
assert all(e[:2] == ("MODIFIED", "py-1") for e in events), events

# Quota: the real 403 as an ApiException.
try:
    v1.create_namespaced_pod("default", pod("py-2", cpu="3"))
    raise SystemExit("expected a quota rejection")
except ApiException as e:
    assert e.status == 403, e.status
    assert e.reason == "Forbidden", e.reason
    body = json.loads(e.body)
    assert body["reason"] == "Forbidden", body
    assert body["message"] == 'pods "py-2" is forbidden: exceeded quota: compute, requested: cpu=3, used: cpu=1, limited: cpu=2', body["message"]

try:
    v1.read_namespaced_pod("nope", "default")
    raise SystemExit("expected 404")
except ApiException as e:
    assert e.status == 404 and json.loads(e.body)["reason"] == "NotFound"

try:
    v1.create_namespaced_pod("default", pod("py-1"))
    raise SystemExit("expected 409")
except ApiException as e:
    assert e.status == 409 and json.loads(e.body)["reason"] == "AlreadyExists"

deleted = v1.delete_namespaced_pod("py-1", "default")
assert deleted.metadata.name == "py-1"

# A pod that runs and ends: watched to Succeeded, then its log read.
job = client.V1Pod(
    metadata=client.V1ObjectMeta(name="py-job"),
    spec=client.V1PodSpec(restart_policy="Never", containers=[client.V1Container(
        name="main", image="busybox:1.36", command=["sh", "-c", "echo hello from kubesim; echo done"],
        resources=client.V1ResourceRequirements(requests={"cpu": "100m", "memory": "64Mi"}, limits={"memory": "64Mi"}),
    )]),
)
v1.create_namespaced_pod("default", job)
w = watch.Watch()
phases = []
for ev in w.stream(v1.list_namespaced_pod, "default", field_selector="metadata.name=py-job", timeout_seconds=20):
    phases.append(ev["object"].status.phase)
    if ev["object"].status.phase in ("Succeeded", "Failed"):
        final = ev["object"]
        w.stop()
assert phases[-1] == "Succeeded", phases
assert "Running" in phases, phases
term = final.status.container_statuses[0].state.terminated
assert term.exit_code == 0 and term.reason == "Completed", term
assert v1.read_namespaced_pod_log("py-job", "default") == "hello from kubesim\ndone\n"

# exec over the channel WebSocket: output per stream and the exit code from the Status.
from kubernetes.stream import stream
box = client.V1Pod(
    metadata=client.V1ObjectMeta(name="py-box"),
    spec=client.V1PodSpec(restart_policy="Never", containers=[client.V1Container(
        name="main", image="busybox:1.36", command=["sleep-forever"],
        resources=client.V1ResourceRequirements(requests={"cpu": "100m", "memory": "64Mi"}, limits={"memory": "64Mi"}),
    )]),
)
v1.create_namespaced_pod("default", box)
w = watch.Watch()
for ev in w.stream(v1.list_namespaced_pod, "default", field_selector="metadata.name=py-box", timeout_seconds=20):
    if ev["object"].status.phase == "Running":
        w.stop()
assert stream(v1.connect_get_namespaced_pod_exec, "py-box", "default", command=["echo", "hi there"],
              stderr=True, stdin=False, stdout=True, tty=False) == "hi there\n"
resp = stream(v1.connect_get_namespaced_pod_exec, "py-box", "default",
              command=["sh", "-c", "echo out; echo oops >&2; exit 2"],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=10)
assert resp.read_stdout() == "out\n"
assert resp.read_stderr() == "oops\n"
assert resp.returncode == 2, resp.returncode
print("python client: ok")
