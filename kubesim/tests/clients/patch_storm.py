"""One of several concurrent clients merge-patching the same ConfigMap with the official Python client.

Each client writes its own key and a shared one, carrying no resourceVersion, so a real API server applies every one
of them (it retries its own optimistic write; the client never sees a 409). Any ApiException fails
the run. Usage: patch_storm.py KUBECONFIG CONFIGMAP WORKER COUNT
"""
import sys
import time

from kubernetes import client, config

config.load_kube_config(config_file=sys.argv[1])
name, worker, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
v1 = client.CoreV1Api()
start = time.monotonic()
for i in range(count):
    v1.patch_namespaced_config_map(
        name, "default", {"data": {f"w{worker}": str(i), "last": f"w{worker}-{i}"}},
        _content_type="application/merge-patch+json",
    )
print(f"worker {worker}: {count} merge patches in {time.monotonic() - start:.2f} s")
