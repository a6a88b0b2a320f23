"""List paging with the official Python client: a continue token serves the first page's snapshot,
and a token older than the server's history is the 410 Expired with an inconsistent token."""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
history = int(sys.argv[2])
v1 = client.CoreV1Api()


def cm(name):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data={"k": "v"})


for i in range(6):
    v1.create_namespaced_config_map("default", cm(f"page-{i}"))

first = v1.list_namespaced_config_map("default", limit=2)
assert [c.metadata.name for c in first.items] == ["page-0", "page-1"], first.items
token = first.metadata._continue
assert token and first.metadata.remaining_item_count == 4, first.metadata
# Changes after the first page: a new object, a deleted one, a changed one.
v1.create_namespaced_config_map("default", cm("page-9"))
v1.delete_namespaced_config_map("page-3", "default")
v1.patch_namespaced_config_map("page-4", "default", {"data": {"k": "changed"}})
rest = v1.list_namespaced_config_map("default", limit=10, _continue=token)
names = [c.metadata.name for c in rest.items]
assert names == ["page-2", "page-3", "page-4", "page-5"], names
assert rest.items[2].data == {"k": "v"}, rest.items[2].data
assert rest.metadata.resource_version == first.metadata.resource_version, (rest.metadata, first.metadata)
assert not rest.metadata._continue

# Past the history window the token is expired: 410 with the inconsistent token.
first = v1.list_namespaced_config_map("default", limit=2)
for i in range(history + 1):
    v1.patch_namespaced_config_map("page-5", "default", {"data": {"k": str(i)}})
try:
    v1.list_namespaced_config_map("default", limit=2, _continue=first.metadata._continue)
    raise SystemExit("expected 410")
except ApiException as e:
    assert e.status == 410, e.status
    body = json.loads(e.body)
    assert body["reason"] == "Expired", body
    assert body["message"].startswith("The provided continue parameter is too old to display a consistent list result."), body
    inconsistent = body["metadata"]["continue"]
rest = v1.list_namespaced_config_map("default", limit=10, _continue=inconsistent)
assert [c.metadata.name for c in rest.items] == ["page-2", "page-4", "page-5", "page-9"], rest.items
print("paging: ok")
