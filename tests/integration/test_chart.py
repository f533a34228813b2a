"""The Helm chart (charts/crm), the images and skaffold.yaml agree and are valid.

Offline: helm-python-sdk bundles Helm v4 as a shared library (no helm binary,
no cluster, no network; the NATS chart dependency is vendored in
charts/crm/charts/); kubernetes-validate holds the Kubernetes OpenAPI schemas.
The chart is linted, rendered with its default values, with
charts/crm/ci/external-values.yaml and with charts/crm/ci/cluster-values.yaml
(CloudNativePG, a 3-node NATS JetStream cluster, consumer-lag HPAs), and every
rendered object is validated in strict mode (unknown fields are errors) against
Kubernetes 1.30 and the newest version kubernetes-validate ships. CRD kinds (the
Prometheus Operator's ServiceMonitor, PodMonitor and PrometheusRule, CNPG's
Cluster, Pooler and Database) have no schema there: they are checked to render,
and their fields one by one in the tests that name them.

The list of deployables is crm_shared.deployables (itself checked against the
folders of services/ and each service's settings in
tests/unit/platform/test_deployables.py), so a new service without its chart
entry (with its ports and peers), Deployment, migration Job or skaffold artifact
fails here; the one root Dockerfile builds every service from its SERVICE and
PACKAGE build arguments.
"""

from __future__ import annotations

import ast
import base64
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import helm_python as helm
import jsonschema
import kubernetes_validate
import pytest
import yaml
from crm_shared import deployables
from crm_shared.grpc_client import grpc_target
from kubernetes_validate import utils as kv_utils
from referencing import Registry, Resource
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "crm"
DOCKERFILE = REPO / "Dockerfile"
SKAFFOLD = REPO / "skaffold.yaml"
RELEASE = "crm"
NAMESPACE = "crm"
GATEWAY = "gateway"

KUBE_VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]
# API groups of custom resources: no schema in kubernetes-validate.
CRD_API_GROUPS = {"monitoring.coreos.com", "postgresql.cnpg.io"}

VALUES_SETS: dict[str, Path | None] = {
    "default": None,
    "external": CHART / "ci" / "external-values.yaml",
    "cluster": CHART / "ci" / "cluster-values.yaml",
}

HELM_WARNING = 2  # lint severities: 1 info, 2 warning, 3 error


SERVICES = sorted(d.name for d in deployables.DEPLOYABLES)
BACKENDS = [d.name for d in deployables.BACKENDS]
# The gateway and the backends: a database, NATS and the service token each.
WITH_DATABASE = sorted(d.name for d in deployables.WITH_DATABASE)
WEB = deployables.WEB.name
assert GATEWAY == deployables.GATEWAY.name


def package(service: str) -> str:
    return deployables.by_name(service).package


def prefix(service: str) -> str:
    return deployables.by_name(service).env_prefix + "_"


def fullname(service: str) -> str:
    return f"{RELEASE}-{service}"


@cache
def values(values_id: str) -> dict[str, Any] | None:
    path = VALUES_SETS[values_id]
    if path is None:
        return None
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@cache
def merged_values(values_id: str) -> dict[str, Any]:
    with helm.Chart.load(CHART) as chart:
        return chart.merge_values(values(values_id))


@cache
def rendered(values_id: str) -> tuple[dict[str, Any], ...]:
    """Every object the chart renders (hooks included), in template order."""
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values(values_id), name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs: list[dict[str, Any]] = []
    for path, text in sorted(files.items()):
        if not path.endswith((".yaml", ".yml")):
            continue  # NOTES.txt
        for doc in yaml.safe_load_all(text):
            if doc is None:
                continue
            assert isinstance(doc, dict), f"{path}: a manifest is not a mapping"
            docs.append(doc)
    return tuple(docs)


def objects(values_id: str, kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in rendered(values_id) if d["kind"] == kind}


def ours(values_id: str, kind: str) -> dict[str, dict[str, Any]]:
    """The objects of the crm chart's own templates (not the NATS chart's)."""
    return {n: d for n, d in objects(values_id, kind).items() if d["metadata"]["labels"].get("app.kubernetes.io/part-of") == "crm"}


def api_group(doc: dict[str, Any]) -> str:
    api_version: str = doc["apiVersion"]
    return api_version.split("/")[0] if "/" in api_version else ""


def only_container(pod_spec: dict[str, Any]) -> dict[str, Any]:
    containers = pod_spec["containers"]
    assert len(containers) == 1
    return containers[0]


VALUES_IDS = list(VALUES_SETS)


# --- inputs ------------------------------------------------------------------


def test_services_exist() -> None:
    assert GATEWAY in SERVICES
    assert BACKENDS, "no backend service folder under services/"


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_chart_has_an_entry_per_deployable(values_id: str) -> None:
    assert sorted(merged_values(values_id)["services"]) == SERVICES


def test_default_values_are_the_deployables() -> None:
    """Ports, image names and gRPC peers in values.yaml as crm_shared.deployables has them."""
    services = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))["services"]
    for d in deployables.DEPLOYABLES:
        entry = services[d.name]
        assert entry["image"]["repository"] == f"crm/{d.name}", d.name
        assert entry.get("package", d.package) == d.package, d.name
        assert entry.get("grpcPort") == d.grpc_port, d.name
        assert entry.get("metricsPort") == d.metrics_port, d.name
        assert entry.get("httpPort") == d.http_port, d.name
        assert tuple(entry.get("grpcPeers", ())) == d.grpc_peers, d.name


# --- lint ----------------------------------------------------------------------


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_lint_clean(values_id: str, kube_version: str) -> None:
    report = helm.lint(CHART, values(values_id), strict=True, namespace=NAMESPACE, kube_version=f"v{kube_version}")
    problems = [m for m in report["messages"] if m["severity"] >= HELM_WARNING]
    assert not problems, problems
    assert not report["errors"], report["errors"]
    assert report["total_charts_linted"] == 1


def test_render_fails_on_contradictory_database_settings() -> None:
    bad = {"services": {BACKENDS[0]: {"database": {"existingSecret": "x", "url": "postgresql+asyncpg://h/db"}}}}
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmError, match="existingSecret or url"):
        chart.render(bad, name=RELEASE, namespace=NAMESPACE)


# --- schema validation -------------------------------------------------------------


@cache
def _validator(kube_version: str, kind: str, api_version: str) -> jsonschema.protocols.Validator:
    """kubernetes_validate.validate's strict schema for a kind, built once: the
    library builds it again for every object (most of this test's time)."""
    version = [v for v in kv_utils.all_versions() if kv_utils.major_minor(v) <= kv_utils.major_minor(kube_version)][-1]
    folder = f"kubernetes-json-schema/v{version}-local-strict"
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = kv_utils.schema_contents(f"{folder}/{kind.lower()}-{group}.json", kube_version)
    definitions = kv_utils.schema_contents(f"{folder}/_definitions.json", kube_version)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_manifests_are_schema_valid(values_id: str, kube_version: str) -> None:
    errors: list[str] = []
    validated = 0
    for doc in rendered(values_id):
        where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        if api_group(doc) in CRD_API_GROUPS:
            # Custom resource: kubernetes-validate has no schema; check its shape.
            if not (doc.get("metadata", {}).get("name") and isinstance(doc.get("spec"), dict)):
                errors.append(f"{where}: custom resource without metadata.name or spec")
            continue
        try:
            validator = _validator(kube_version, doc["kind"], doc["apiVersion"])
        except FileNotFoundError:
            errors.append(f"{where}: no schema for {doc['apiVersion']} {doc['kind']} in Kubernetes {kube_version}")
            continue
        for exc in validator.iter_errors(doc):
            path = "/".join(str(p) for p in exc.path)
            errors.append(f"{where}: {path}: {exc.message}")
        validated += 1
    assert not errors, "\n".join(errors)
    assert validated >= len(SERVICES)


# --- one of everything per service -----------------------------------------------


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_every_service_has_its_objects(values_id: str) -> None:
    expected = {fullname(s) for s in SERVICES}
    headless = {f"{fullname(b)}-headless" for b in BACKENDS}
    for kind in ("Deployment", "Service", "ConfigMap"):
        # Besides its settings, the gateway has a ConfigMap of users (its user directory);
        # each backend has a headless Service too.
        names = {n for n in ours(values_id, kind) if not (kind == "ConfigMap" and n == f"{fullname(GATEWAY)}-users")}
        assert names == (expected | headless if kind == "Service" else expected), kind
    if merged_values(values_id)["networkPolicy"]["enabled"]:
        assert set(objects(values_id, "NetworkPolicy")) == expected
    svc_values = merged_values(values_id)["services"]
    assert set(objects(values_id, "HorizontalPodAutoscaler")) == {
        fullname(s) for s in SERVICES if svc_values[s]["hpa"]["enabled"]
    }
    assert set(ours(values_id, "PodDisruptionBudget")) == {
        fullname(s) for s in SERVICES if svc_values[s]["pdb"]["enabled"]
    }


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_service_monitors_follow_the_switch(values_id: str) -> None:
    monitors = ours(values_id, "ServiceMonitor")
    if merged_values(values_id)["serviceMonitor"]["enabled"]:
        assert set(monitors) == {fullname(s) for s in SERVICES}
        for doc in monitors.values():
            assert doc["apiVersion"] == "monitoring.coreos.com/v1"
            assert doc["spec"]["endpoints"][0]["path"] == "/metrics"
    else:
        assert monitors == {}


def test_default_values_render_service_monitors() -> None:
    assert objects("default", "ServiceMonitor")
    assert not objects("external", "ServiceMonitor")


# --- deployments ---------------------------------------------------------------------


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_deployments_have_probes_and_are_hardened(values_id: str) -> None:
    for service in SERVICES:
        deployment = objects(values_id, "Deployment")[fullname(service)]
        pod = deployment["spec"]["template"]["spec"]
        container = only_container(pod)
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}

        for probe in ("readinessProbe", "livenessProbe"):
            assert probe in container, f"{service}: no {probe}"
        if service in (GATEWAY, WEB):
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        else:
            for probe in ("readinessProbe", "livenessProbe"):
                assert container[probe]["grpc"]["port"] == ports["grpc"], f"{service}: {probe}"

        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        sc = container["securityContext"]
        assert sc["runAsNonRoot"] is True
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"]["drop"] == ["ALL"]
        assert sc["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False

        volumes = {v["name"]: v for v in pod["volumes"]}
        tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]], f"{service}: no emptyDir at /tmp"

        env = {e["name"]: e for e in container.get("env", [])}
        if service in WITH_DATABASE:
            db = env[f"{prefix(service)}DATABASE_URL"]
            assert "secretKeyRef" in db["valueFrom"], f"{service}: DATABASE_URL must come from a Secret"
        else:
            assert f"{prefix(service)}DATABASE_URL" not in env, service
        assert container["envFrom"] == [{"configMapRef": {"name": fullname(service)}}]


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_backend_settings_use_the_env_prefix(values_id: str) -> None:
    nats_from_secret = bool(merged_values(values_id)["nats"]["existingSecret"])
    for service in BACKENDS:
        p = prefix(service)
        data = objects(values_id, "ConfigMap")[fullname(service)]["data"]
        assert {f"{p}GRPC_PORT", f"{p}METRICS_PORT", f"{p}LOG_LEVEL"} <= set(data)
        container = only_container(objects(values_id, "Deployment")[fullname(service)]["spec"]["template"]["spec"])
        env_names = {e["name"] for e in container["env"]}
        assert (f"{p}NATS_URL" in env_names) is nats_from_secret
        assert (f"{p}NATS_URL" in data) is not nats_from_secret


def _grpc_port(service: dict[str, Any]) -> int:
    (port,) = [p["port"] for p in service["spec"]["ports"] if p["name"] == "grpc"]
    return int(port)


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_gateway_addresses_name_the_backends_headless_services(values_id: str) -> None:
    """The gateway and every service calling a peer resolve the peer's headless Service
    (dns:///, one address per ready pod) so crm_shared.grpc_client spreads calls over its pods."""
    data = objects(values_id, "ConfigMap")[fullname(GATEWAY)]["data"]
    services = objects(values_id, "Service")
    callers = {GATEWAY: BACKENDS} | {d.name: list(d.grpc_peers) for d in deployables.BACKENDS}
    for caller, peers in callers.items():
        config = objects(values_id, "ConfigMap")[fullname(caller)]["data"]
        for backend in peers:
            headless = services[f"{fullname(backend)}-headless"]
            assert headless["spec"]["clusterIP"] == "None"
            assert headless["spec"]["selector"] == services[fullname(backend)]["spec"]["selector"]
            assert _grpc_port(headless) == _grpc_port(services[fullname(backend)])
            address = f"dns:///{fullname(backend)}-headless:{_grpc_port(headless)}"
            assert config[f"{prefix(caller)}{prefix(backend)}ADDR"] == address, caller
            assert grpc_target(address) == address  # the form crm_shared.grpc_client resolves
    assert data["GATEWAY_DEV_AUTH"] == "false"
    assert data["GATEWAY_HTTP_PORT"] == "8080"


def test_without_client_side_balancing_callers_use_the_cluster_ip_services() -> None:
    with helm.Chart.load(CHART) as chart:
        files = chart.render({"grpc": {"clientSideBalancing": False}}, name=RELEASE, namespace=NAMESPACE)
    config_maps = {d["metadata"]["name"]: d for d in yaml.safe_load_all(files["crm/templates/configmap.yaml"]) if d}
    services = objects("default", "Service")
    for backend in BACKENDS:
        address = f"{fullname(backend)}:{_grpc_port(services[fullname(backend)])}"
        assert config_maps[fullname(GATEWAY)]["data"][f"GATEWAY_{prefix(backend)}ADDR"] == address


# --- migrations ----------------------------------------------------------------------


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_every_backend_has_a_migration_hook_job(values_id: str) -> None:
    jobs = objects(values_id, "Job")
    for service in BACKENDS:
        job = jobs.get(f"{fullname(service)}-migrate")
        assert job is not None, f"{service}: no migration Job"
        hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
        # The chart's own CNPG database exists only once the release is applied: first
        # install migrates after it; upgrades before rolling out, as always.
        install = "post-install" if merged_values(values_id)["postgresql"]["cnpg"]["enabled"] else "pre-install"
        assert {install, "pre-upgrade"} <= hooks
        pod = job["spec"]["template"]["spec"]
        container = only_container(pod)
        assert container["command"] == ["python", "-m", package(service), "migrate"]
        env = {e["name"] for e in container["env"]}
        for setting in ("DATABASE_URL", "NATS_URL", "GRPC_PORT", "METRICS_PORT"):
            assert f"{prefix(service)}{setting}" in env, f"{service}: migration Job lacks {setting}"
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        # Its pods must not be picked up by the service's Service.
        selector = objects(values_id, "Service")[fullname(service)]["spec"]["selector"]
        labels = job["spec"]["template"]["metadata"]["labels"]
        assert not all(labels.get(k) == v for k, v in selector.items())


def test_chart_created_database_secret_precedes_the_migration() -> None:
    secrets = objects("external", "Secret")
    svc_values = merged_values("external")["services"]
    with_url = [s for s in SERVICES if (svc_values[s].get("database") or {}).get("url")]
    assert with_url, "external-values.yaml should exercise database.url"
    for service in with_url:
        secret = secrets[f"{fullname(service)}-db"]
        assert "pre-install" in secret["metadata"]["annotations"]["helm.sh/hook"]
        assert int(secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < 0


# --- replicas, disruption budgets, spread -----------------------------------------------


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def test_every_deployment_runs_two_replicas_by_default_with_a_pdb_and_spread() -> None:
    deployments = objects("default", "Deployment")
    hpas = objects("default", "HorizontalPodAutoscaler")
    pdbs = objects("default", "PodDisruptionBudget")
    assert set(deployments) == {fullname(s) for s in SERVICES}
    for name, deployment in deployments.items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        # The HPA owns the replica count: never below 2.
        assert "replicas" not in deployment["spec"], name
        assert hpas[name]["spec"]["minReplicas"] == 2, name
        assert hpas[name]["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        pdb = pdbs[name]["spec"]
        assert pdb["minAvailable"] == 1 and _matches(pdb["selector"]["matchLabels"], pod_labels), name
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, name
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert [c["topologyKey"] for c in spread] == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"], name
        for constraint in spread:
            assert constraint["whenUnsatisfiable"] == "ScheduleAnyway" and constraint["maxSkew"] == 1, name
            assert _matches(constraint["labelSelector"]["matchLabels"], pod_labels), name
    # Without an HPA a Deployment still runs 2 (a service that sets replicas, 1 in the external set, runs that).
    with helm.Chart.load(CHART) as chart:
        no_hpa = {"services": {s: {"hpa": {"enabled": False}} for s in SERVICES}}
        files = chart.render(no_hpa, name=RELEASE, namespace=NAMESPACE)
    replicas = {d["metadata"]["name"]: d["spec"]["replicas"] for d in yaml.safe_load_all(files["crm/templates/deployment.yaml"]) if d}
    assert replicas == {fullname(s): 2 for s in SERVICES}
    assert objects("external", "Deployment")[fullname("approval")]["spec"]["replicas"] == 1


def _lead_routing_settings(values_id: str, monkeypatch):
    """lead-routing's settings loaded from the environment its ConfigMap gives the pod."""
    from lead_routing.config import Settings

    for name, value in objects(values_id, "ConfigMap")[fullname("lead-routing")]["data"].items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CRM_SERVICE_TOKEN_KEY", "k" * 40)
    return Settings()


def test_backends_drain_within_their_grace_period(monkeypatch) -> None:
    for service in BACKENDS:
        data = objects("default", "ConfigMap")[fullname(service)]["data"]
        pod = objects("default", "Deployment")[fullname(service)]["spec"]["template"]["spec"]
        delay, grace = float(data[f"{prefix(service)}DRAIN_DELAY_S"]), float(data[f"{prefix(service)}SHUTDOWN_GRACE_S"])
        assert delay > 0, service  # Kubernetes stops sending calls before the service refuses them
        assert delay + grace < pod["terminationGracePeriodSeconds"], service
    loaded = _lead_routing_settings("default", monkeypatch)
    assert (loaded.drain_delay_s, loaded.shutdown_grace_s) == (5, 20)
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmError, match="terminationGracePeriodSeconds"):
        chart.render({"drain": {"delaySeconds": 10, "graceSeconds": 25}}, name=RELEASE, namespace=NAMESPACE)


# --- the cluster options: CloudNativePG, a NATS cluster, consumer-lag HPAs ------------------

CLUSTER = "cluster"
PG_CLUSTER = f"{RELEASE}-pg"
POOLER = f"{RELEASE}-pg-pooler-rw"


def _role(service: str) -> str:
    return package(service)


def test_cluster_values_run_postgresql_through_cloudnativepg() -> None:
    cnpg = merged_values(CLUSTER)["postgresql"]["cnpg"]
    (cluster,) = objects(CLUSTER, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1" and cluster["metadata"]["name"] == PG_CLUSTER
    assert cluster["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"  # uninstall keeps the data
    spec = cluster["spec"]
    assert spec["instances"] == 3
    assert spec["storage"] == {"size": cnpg["storage"]["size"], "storageClass": cnpg["storage"]["storageClass"]}
    assert spec["affinity"]["enablePodAntiAffinity"] is True
    # One login role per service, its password from a basic-auth Secret, and a database it owns.
    roles = {r["name"]: r for r in spec["managed"]["roles"]}
    assert set(roles) == {_role(s) for s in WITH_DATABASE}  # not the console: it has no database
    databases = {d["spec"]["name"]: d["spec"] for d in objects(CLUSTER, "Database").values()}
    assert set(databases) == set(roles)
    secrets = objects(CLUSTER, "Secret")
    for service in WITH_DATABASE:
        role = roles[_role(service)]
        assert role["login"] is True and role["superuser"] is False and role["ensure"] == "present"
        assert databases[_role(service)] == {
            "cluster": {"name": PG_CLUSTER}, "name": _role(service), "owner": _role(service),
            "ensure": "present", "databaseReclaimPolicy": "retain",
        }
        password_secret = secrets[role["passwordSecret"]["name"]]
        assert password_secret["type"] == "kubernetes.io/basic-auth"
        assert password_secret["metadata"]["labels"]["cnpg.io/reload"] == "true"
        assert password_secret["stringData"]["username"] == _role(service)
        password = password_secret["stringData"]["password"]
        assert len(password) >= 32
        # Its DATABASE_URL (the Secret its pods read) logs in as that role, through the pooler.
        ref = _env(objects(CLUSTER, "Deployment")[fullname(service)]["spec"]["template"]["spec"])[
            f"{prefix(service)}DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        url = make_url(secrets[ref["name"]]["stringData"][ref["key"]])
        assert (url.drivername, url.username, url.password, url.host, url.port, url.database) == (
            "postgresql+asyncpg", _role(service), password, POOLER, 5432, _role(service))
        # Both Secrets exist before the migration Jobs, which run after the Cluster is applied.
        for secret in (password_secret, secrets[ref["name"]]):
            assert "pre-install" in secret["metadata"]["annotations"]["helm.sh/hook"]
            assert int(secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < 0


def test_the_pooler_keeps_asyncpgs_prepared_statements_in_transaction_mode() -> None:
    (pooler,) = objects(CLUSTER, "Pooler").values()
    assert pooler["metadata"]["name"] == POOLER
    spec = pooler["spec"]
    assert spec["cluster"] == {"name": PG_CLUSTER} and spec["type"] == "rw"
    assert spec["instances"] == merged_values(CLUSTER)["postgresql"]["cnpg"]["pooler"]["instances"] >= 2
    assert spec["pgbouncer"]["poolMode"] == "transaction"
    assert int(spec["pgbouncer"]["parameters"]["max_prepared_statements"]) >= 100
    assert all(isinstance(v, str) for v in spec["pgbouncer"]["parameters"].values())  # CNPG takes strings
    assert spec["template"]["spec"]["containers"] == []
    # Transaction pooling without it would break every statement asyncpg prepares: refused.
    bad = {"postgresql": {"cnpg": {"enabled": True, "pooler": {"parameters": {"max_prepared_statements": "0"}}}}}
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmError, match="max_prepared_statements"):
        chart.render(bad, name=RELEASE, namespace=NAMESPACE)


def test_cluster_values_run_a_three_node_jetstream_cluster_with_three_copies_per_stream(monkeypatch) -> None:
    (statefulset,) = objects(CLUSTER, "StatefulSet").values()
    assert statefulset["metadata"]["name"] == f"{RELEASE}-nats"
    assert statefulset["spec"]["replicas"] == 3
    # nats.conf (NATS's own syntax, JSON-like): JetStream on file storage, routes to the 3 pods.
    conf = objects(CLUSTER, "ConfigMap")[f"{RELEASE}-nats-config"]["data"]["nats.conf"]
    assert re.search(r'"jetstream": \{[^}]*"store_dir": "/data"', conf)
    routes = re.findall(rf"nats://{RELEASE}-nats-(\d)\.{RELEASE}-nats-headless:6222", conf)
    assert sorted(routes) == ["0", "1", "2"]
    assert objects(CLUSTER, "PodDisruptionBudget")[f"{RELEASE}-nats"]["spec"]["maxUnavailable"] == 1
    (client_port,) = objects(CLUSTER, "Service")[f"{RELEASE}-nats"]["spec"]["ports"]
    assert "WEB_NATS_URL" not in objects(CLUSTER, "ConfigMap")[fullname(WEB)]["data"]
    for service in WITH_DATABASE:
        data = objects(CLUSTER, "ConfigMap")[fullname(service)]["data"]
        assert data[f"{prefix(service)}NATS_URL"] == f"nats://{RELEASE}-nats:{client_port['port']}", service
    for service in BACKENDS:
        # Every service provisions the streams with 3 copies; without the cluster, 1.
        assert objects(CLUSTER, "ConfigMap")[fullname(service)]["data"][f"{prefix(service)}STREAM_REPLICAS"] == "3"
        assert objects("default", "ConfigMap")[fullname(service)]["data"][f"{prefix(service)}STREAM_REPLICAS"] == "1"
    assert "GATEWAY_STREAM_REPLICAS" not in objects(CLUSTER, "ConfigMap")[fullname(GATEWAY)]["data"]
    # The variable the chart sets is the one the service reads.
    assert _lead_routing_settings(CLUSTER, monkeypatch).stream_replicas == 3
    # Their pods may reach NATS and PostgreSQL pods of the release only (the console neither).
    for name, policy in objects(CLUSTER, "NetworkPolicy").items():
        egress = {e["ports"][0]["port"]: e.get("to") for e in policy["spec"]["egress"]}
        if name == fullname(WEB):
            assert not {4222, 5432} & set(egress), name
            continue
        assert egress[4222] == [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": RELEASE}}}], name
        assert egress[5432] == [{"podSelector": {"matchLabels": {"cnpg.io/cluster": PG_CLUSTER}}}], name


def test_consumers_scale_on_their_lag_through_the_prometheus_adapter() -> None:
    lag = merged_values(CLUSTER)["consumerLag"]
    (rule,) = objects(CLUSTER, "PrometheusRule").values()
    (group,) = rule["spec"]["groups"]
    records = {r["labels"]["crm_service"]: r for r in group["rules"]}
    svc_values = merged_values(CLUSTER)["services"]
    consumers = [s for s in SERVICES if svc_values[s].get("consumerLag")]
    assert set(consumers) == set(BACKENDS)
    for service in consumers:
        hpa = objects(CLUSTER, "HorizontalPodAutoscaler")[fullname(service)]["spec"]
        by_type = {m["type"]: m for m in hpa["metrics"]}
        assert by_type["Resource"]["resource"]["name"] == "cpu"
        external = by_type["External"]["external"]
        assert external["metric"]["name"] == lag["metricName"]
        assert external["target"] == {"type": "AverageValue", "averageValue": "100"}
        # The adapter's series for that selector is the chart's recording rule.
        record = records[service]
        assert record["record"] == lag["metricName"]
        assert _matches(external["metric"]["selector"]["matchLabels"], record["labels"])
        pattern = svc_values[service]["consumerLag"]["consumers"]
        assert f'{lag["sourceMetric"]}{{consumer_name=~"{pattern}"}}' in record["expr"]
    # No lag metric without the switch (default values): CPU only, and no rule.
    for hpa in objects("default", "HorizontalPodAutoscaler").values():
        assert [m["type"] for m in hpa["spec"]["metrics"]] == ["Resource"]
    assert not objects("default", "PrometheusRule")
    # Each service's pattern takes its own durable consumers and no one else's (finance's
    # durables, named "finance-...", read from its source: importing the service is slow).
    source = REPO / "services/finance-reconciliation/src/finance_reconciliation/entrypoints/consumers.py"
    durables = [
        node.value.value
        for node in ast.parse(source.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and any(isinstance(t, ast.Name) and t.id.endswith("_DURABLE") for t in node.targets)
    ]
    assert len(durables) >= 4
    for service in consumers:
        pattern = re.compile(svc_values[service]["consumerLag"]["consumers"])
        assert all(bool(pattern.fullmatch(d)) is (service == "finance-reconciliation") for d in durables), service
    assert re.fullmatch(svc_values["lead-routing"]["consumerLag"]["consumers"], "lead-routing-rerank")


# --- service identity ---------------------------------------------------------------


def _env(pod_spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in only_container(pod_spec).get("env", [])}


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_every_pod_gets_the_service_token_key_from_one_secret(values_id: str) -> None:
    token = merged_values(values_id)["serviceToken"]
    secret_name = token["existingSecret"] or f"{RELEASE}-service-token"
    deployments = objects(values_id, "Deployment")
    # Not the web console: it calls the gateway with the signed-in user's token only.
    assert "CRM_SERVICE_TOKEN_KEY" not in _env(deployments.pop(fullname(WEB))["spec"]["template"]["spec"])
    pods = {f"Deployment {n}": d["spec"]["template"]["spec"] for n, d in deployments.items()}
    pods |= {f"Job {n}": d["spec"]["template"]["spec"] for n, d in objects(values_id, "Job").items()}
    assert len(pods) > len(WITH_DATABASE)
    for where, pod in pods.items():
        env = _env(pod)
        key = env["CRM_SERVICE_TOKEN_KEY"]["valueFrom"]["secretKeyRef"]
        assert (key["name"], key["key"]) == (secret_name, token["existingSecretKey"]), where
        previous = env["CRM_SERVICE_TOKEN_PREVIOUS_KEYS"]["valueFrom"]["secretKeyRef"]
        assert (previous["name"], previous["key"], previous["optional"]) == (
            secret_name,
            token["previousKeysSecretKey"],
            True,
        ), where
    secrets = objects(values_id, "Secret")
    if token["existingSecret"]:
        assert secret_name not in secrets
        return
    # Made by the chart: before the migration Jobs, a random key of 64 characters,
    # read back (lookup) on upgrades instead of being made again.
    secret = secrets[secret_name]
    annotations = secret["metadata"]["annotations"]
    assert {"pre-install", "pre-upgrade"} <= set(annotations["helm.sh/hook"].split(","))
    assert int(annotations["helm.sh/hook-weight"]) < 0
    assert len(base64.b64decode(secret["data"]["CRM_SERVICE_TOKEN_KEY"])) == 64
    template = (CHART / "templates" / "service-token-secret.yaml").read_text(encoding="utf-8")
    assert 'lookup "v1" "Secret"' in template


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_the_gateway_reads_its_user_directory_from_a_mounted_config_map(values_id: str) -> None:
    directory = merged_values(values_id)["services"][GATEWAY]["userDirectory"]
    data = objects(values_id, "ConfigMap")[fullname(GATEWAY)]["data"]
    path = data["GATEWAY_USER_DIRECTORY_PATH"]
    pod = objects(values_id, "Deployment")[fullname(GATEWAY)]["spec"]["template"]["spec"]
    mount = next(m for m in only_container(pod)["volumeMounts"] if path.startswith(m["mountPath"] + "/"))
    assert "subPath" not in mount  # a changed ConfigMap must reach the running pod
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    users = objects(values_id, "ConfigMap")[volume["configMap"]["name"]]
    listed = json.loads(users["data"][path.rsplit("/", 1)[1]])
    assert listed == directory["users"]
    for backend in BACKENDS:
        assert "GATEWAY_USER_DIRECTORY_PATH" not in objects(values_id, "ConfigMap")[fullname(backend)]["data"]


def test_the_gateway_takes_each_tenants_esign_secrets_from_a_secret(monkeypatch) -> None:
    from gateway.config import Settings

    pod = objects("external", "Deployment")[fullname(GATEWAY)]["spec"]["template"]["spec"]
    ref = _env(pod)["GATEWAY_ESIGN_SECRETS"]["valueFrom"]["secretKeyRef"]
    assert (ref["name"], ref["key"]) == ("crm-esign", "secrets.json")
    for config_map in objects("external", "ConfigMap").values():
        assert "GATEWAY_ESIGN_SECRETS" not in config_map.get("data", {})  # never in plain config
    # The Secret's value as values.yaml documents it loads, tenant by tenant.
    documented = re.search(r"--from-literal=secrets\.json='([^']+)'", (CHART / "values.yaml").read_text("utf-8"))
    assert documented, "values.yaml shows the format of GATEWAY_ESIGN_SECRETS"
    monkeypatch.setenv("GATEWAY_ESIGN_SECRETS", documented[1])
    loaded = Settings(dev_auth=True).esign_secrets
    assert {t: {p: s.get_secret_value() for p, s in ps.items()} for t, ps in loaded.items()} == json.loads(
        documented[1]
    )


DOCS = "document-versioning"


def _pods_of(values_id: str, service: str) -> dict[str, dict[str, Any]]:
    """The service's Deployment pod and its migration Job's pod on an upgrade (both open the blob store)."""
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values(values_id), name=RELEASE, namespace=NAMESPACE, is_upgrade=True)
    jobs = [d for d in yaml.safe_load_all(files["crm/templates/migration-job.yaml"]) if d]
    return {
        "Deployment": objects(values_id, "Deployment")[fullname(service)]["spec"]["template"]["spec"],
        "Job": next(j for j in jobs if j["metadata"]["name"] == f"{fullname(service)}-migrate")["spec"]["template"]["spec"],
    }


def _service_settings(values_id: str, service: str):
    """The service's settings as its pod would read them: the ConfigMap, secrets filled in."""
    from document_versioning.config import Settings

    data = dict(objects(values_id, "ConfigMap")[fullname(service)]["data"])
    env = {k: v for k, v in data.items() if k.startswith(prefix(service))}
    for name, entry in _env(_pods_of(values_id, service)["Deployment"]).items():
        if name.startswith(prefix(service)) and "valueFrom" in entry:
            env[name] = "from-a-secret"
    env |= {"CRM_SERVICE_TOKEN_KEY": "k" * 40, f"{prefix(service)}NATS_URL": "nats://nats:4222"}
    return Settings(**{k.removeprefix(prefix(service)).lower(): v for k, v in env.items() if k != "CRM_SERVICE_TOKEN_KEY"},
                    service_token_key=env["CRM_SERVICE_TOKEN_KEY"])


def test_document_content_lives_on_a_volume_by_default() -> None:
    settings = _service_settings("default", DOCS)
    store = merged_values("default")["services"][DOCS]["blobStore"]["filesystem"]
    assert (settings.blob_store, settings.blob_dir) == ("filesystem", store["mountPath"])
    assert settings.max_content_bytes == 250 * 1024 * 1024
    claim = objects("default", "PersistentVolumeClaim")[f"{fullname(DOCS)}-blobs"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]  # several replicas share it
    assert claim["spec"]["resources"]["requests"]["storage"] == store["size"]
    assert claim["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    for where, pod in _pods_of("default", DOCS).items():
        mount = next(m for m in only_container(pod)["volumeMounts"] if m["name"] == "blobs")
        assert mount["mountPath"] == store["mountPath"] and not mount.get("readOnly"), where
        volume = next(v for v in pod["volumes"] if v["name"] == "blobs")
        assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"], where
    # On first install the migration (a pre-install hook, before the claim exists; nothing to move) mounts nothing.
    job = objects("default", "Job")[f"{fullname(DOCS)}-migrate"]["spec"]["template"]["spec"]
    assert all(v["name"] != "blobs" for v in job["volumes"])
    # Nobody else mounts it.
    for service in SERVICES:
        if service != DOCS:
            pod = objects("default", "Deployment")[fullname(service)]["spec"]["template"]["spec"]
            assert all(v["name"] != "blobs" for v in pod["volumes"]), service


def test_document_content_can_live_in_a_bucket_with_keys_from_a_secret() -> None:
    settings = _service_settings("external", DOCS)
    s3 = merged_values("external")["services"][DOCS]["blobStore"]["s3"]
    assert (settings.blob_store, settings.s3_bucket, settings.s3_endpoint, settings.s3_region) == (
        "s3", s3["bucket"], s3["endpoint"], s3["region"]
    )
    assert settings.size_limits().for_upload("acme", "图纸") == 524288000
    assert settings.size_limits().for_upload("acme", "合同") == 104857600
    assert "PersistentVolumeClaim" not in {d["kind"] for d in rendered("external")}
    for where, pod in _pods_of("external", DOCS).items():
        assert all(v["name"] != "blobs" for v in pod["volumes"]), where
        env = _env(pod)
        for name, key in (("S3_ACCESS_KEY_ID", s3["accessKeyIdKey"]), ("S3_SECRET_ACCESS_KEY", s3["secretAccessKeyKey"])):
            ref = env[prefix(DOCS) + name]["valueFrom"]["secretKeyRef"]
            assert (ref["name"], ref["key"]) == (s3["existingSecret"], key), where
    # The keys never sit in the ConfigMap.
    assert not [k for k in objects("external", "ConfigMap")[fullname(DOCS)]["data"] if "ACCESS_KEY" in k]


@pytest.mark.parametrize(
    ("store", "message"),
    [({"type": "nfs"}, "filesystem or s3"), ({"type": "s3", "s3": {"bucket": ""}}, "bucket is required")],
)
def test_render_fails_on_a_misconfigured_blob_store(store: dict[str, Any], message: str) -> None:
    bad = {"services": {DOCS: {"blobStore": store}}}
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmError, match=message):
        chart.render(bad, name=RELEASE, namespace=NAMESPACE)


# --- the web console ------------------------------------------------------------------------


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_the_console_calls_the_gateway_only_with_secure_cookies_and_keys_from_a_secret(values_id: str) -> None:
    from cryptography.fernet import Fernet

    svc = merged_values(values_id)["services"][WEB]
    data = objects(values_id, "ConfigMap")[fullname(WEB)]["data"]
    gateway_port = merged_values(values_id)["services"][GATEWAY]["httpPort"]
    assert data["WEB_GATEWAY_URL"] == f"http://{fullname(GATEWAY)}:{gateway_port}"
    assert (data["WEB_COOKIE_SECURE"], data["WEB_HTTP_PORT"]) == ("true", str(deployables.WEB.http_port))
    assert (data["WEB_PUBLIC_URL"], data["WEB_OIDC_ISSUER_URL"]) == (svc["env"]["PUBLIC_URL"], svc["env"]["OIDC_ISSUER_URL"])
    # No database, NATS, gRPC address nor dev issuer: it is a client of the REST API.
    assert not [k for k in data if k.endswith(("_ADDR", "NATS_URL", "DEV_AUTH", "STREAM_REPLICAS"))]
    pod = objects(values_id, "Deployment")[fullname(WEB)]["spec"]["template"]["spec"]
    env = _env(pod)
    assert set(env) == {"WEB_SESSION_KEYS"}
    ref = env["WEB_SESSION_KEYS"]["valueFrom"]["secretKeyRef"]
    keys = svc["sessionKeys"]
    assert (ref["name"], ref["key"]) == (keys["existingSecret"] or f"{fullname(WEB)}-session", keys["existingSecretKey"])
    secrets = objects(values_id, "Secret")
    if keys["existingSecret"]:
        assert ref["name"] not in secrets
    else:  # made by the chart: one Fernet key, kept on upgrades and uninstall
        secret = secrets[ref["name"]]
        Fernet(base64.b64decode(secret["data"][ref["key"]]))
        assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert f"{fullname(WEB)}-migrate" not in objects(values_id, "Job")
    # Its pods may reach the gateway's pods on its HTTP port, DNS, and HTTPS (the issuer): nothing else.
    if merged_values(values_id)["networkPolicy"]["enabled"]:
        policy = objects(values_id, "NetworkPolicy")[fullname(WEB)]["spec"]
        egress = {e["ports"][0]["port"]: e.get("to") for e in policy["egress"]}
        assert set(egress) == {53, gateway_port, 443}
        assert egress[gateway_port] == [{"podSelector": {"matchLabels": {
            "app.kubernetes.io/name": "crm", "app.kubernetes.io/instance": RELEASE, "app.kubernetes.io/component": GATEWAY}}}]
        (ingress,) = policy["ingress"]
        assert ingress["ports"] == [{"port": deployables.WEB.http_port, "protocol": "TCP"}]
        assert ingress.get("from", []) == merged_values(values_id)["networkPolicy"]["webIngressFrom"]
        # Where the gateway's callers are listed, the console is one of them.
        (gateway_ingress,) = objects(values_id, "NetworkPolicy")[fullname(GATEWAY)]["spec"]["ingress"]
        if merged_values(values_id)["networkPolicy"]["gatewayIngressFrom"]:
            assert any(WEB in e.get("values", []) for peer in gateway_ingress["from"]
                       for e in peer.get("podSelector", {}).get("matchExpressions", []))


def test_a_chart_made_session_key_is_read_back_on_upgrade() -> None:
    template = (CHART / "templates" / "session-secret.yaml").read_text(encoding="utf-8")
    assert 'lookup "v1" "Secret"' in template


# --- images and skaffold ----------------------------------------------------------------


def test_one_dockerfile_builds_every_service_from_a_pinned_base() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    (base,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert re.fullmatch(r"python:3\.11[\w.-]*-slim[\w.-]*@sha256:[0-9a-f]{64}", base), base
    # The web console's npm packages come from a Node stage, pinned the same way.
    (node,) = re.findall(r"^ARG NODE_IMAGE=(\S+)$", text, re.MULTILINE)
    assert re.fullmatch(r"node:20[\w.-]*-bookworm-slim@sha256:[0-9a-f]{64}", node), node
    assert re.findall(r"^FROM (.+)$", text, re.MULTILINE) == [
        "${NODE_IMAGE} AS web-assets",
        "${PYTHON_IMAGE} AS builder",
        "${PYTHON_IMAGE} AS runtime",
    ]
    assert "npm ci --omit=dev" in text and "WEB_NODE_MODULES=/app/node_modules" in text
    assert "**/node_modules" in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    # No default service: a build without SERVICE and PACKAGE fails instead of building another service's image.
    assert re.findall(r"^ARG (SERVICE|PACKAGE)\b(.*)$", text, re.MULTILINE) == [("SERVICE", "")] + [
        ("SERVICE", ""), ("PACKAGE", "")] * 2
    assert re.search(r"^USER 10001", text, re.MULTILINE)
    assert "WORKDIR /app/services/${SERVICE}" in text
    assert 'exec python -m \\"$CRM_PACKAGE\\"' in text
    assert not list(REPO.glob("services/*/Dockerfile")), "one Dockerfile at the root builds every service"


def test_skaffold_builds_and_deploys_every_service() -> None:
    config = yaml.safe_load(SKAFFOLD.read_text(encoding="utf-8"))
    assert re.fullmatch(r"skaffold/v4beta(\d+)", config["apiVersion"])
    assert int(config["apiVersion"].rsplit("beta", 1)[1]) >= 11
    artifacts = {a["image"]: a for a in config["build"]["artifacts"]}
    assert sorted(artifacts) == sorted(f"crm/{s}" for s in SERVICES)
    for service in SERVICES:
        artifact = artifacts[f"crm/{service}"]
        assert artifact["context"] == "."
        assert (REPO / artifact["docker"]["dockerfile"]) == DOCKERFILE
        assert artifact["docker"]["buildArgs"] == {"SERVICE": service, "PACKAGE": package(service)}

    (release,) = config["deploy"]["helm"]["releases"]
    assert (REPO / release["chartPath"]).resolve() == CHART
    assert release["name"] == RELEASE
    templates = release["setValueTemplates"]
    for service in SERVICES:
        var = "crm_" + service.replace("-", "_")
        assert templates[f"services.{service}.image.repository"] == f"{{{{.IMAGE_REPO_{var}}}}}"
        assert templates[f"services.{service}.image.tag"] == f"{{{{.IMAGE_TAG_{var}}}}}"
