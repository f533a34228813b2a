"""Two replicas of every service (the gateway too), each its own process,
against PostgreSQL (one database per service): consumers share the work of
their durable consumers, periodic jobs run on one replica at a time, and a
burst through both gateways does nothing twice — checked by counting what it
caused in every service's database, in the streams and at the 企业微信 robot."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.deployables import BACKENDS, GATEWAY, WITH_DATABASE
from crm_shared.events import subject_for
from prometheus_client.parser import text_string_to_metric_families

from scripts.localstack import Stack, load_rules, postgres_databases, start_stack, token
from tests.support.infra import free_port
from tests.support.replicated import count, eventually, inbox, outbox, postgres, query, settled

pytestmark = [pytest.mark.timeout(300), pytest.mark.scale_out]

# The web console (one process) has no database, no consumers and no jobs: nothing here to count twice.
REPLICAS = {d.name: 2 for d in WITH_DATABASE}
POOL_LEADS, OWN_LEADS = 160, 40  # 200 leads: the manager's go to the pool, the rep's are converted
KEQIAO = 20  # of the pool leads: routed to 柯桥 reps and assigned on arrival
POOL_PHONES, OWN_PHONES = "1390575", "1385741"  # + 4 digits
# Every periodic job of the services, ticking quickly so each runs many times during the test.
JOB_SETTINGS = {
    "LEAD_ROUTING_SLA_CHECK_INTERVAL_S": "1",
    # The whole pool re-ranked under the tenant's lock: at start (one replica, the other skipping), then rarely.
    "LEAD_ROUTING_RERANK_INTERVAL_S": "30",
    "OPPORTUNITY_TIMER_INTERVAL_S": "1",
    "APPROVAL_SLA_INTERVAL_S": "1",
    "FINANCE_RECONCILIATION_FOLLOW_UP_INTERVAL_S": "1",
    "FINANCE_RECONCILIATION_MATCHING_INTERVAL_S": "1",
    "DOCUMENT_VERSIONING_BLOB_SWEEP_INTERVAL_S": "1",
    # This is about doing things once, not latency: a machine shared with other work may be slow.
    "GATEWAY_GRPC_TIMEOUT_S": "30",
}
JOBS = {
    "lead-routing": ("first-touch-sla", "pool-rerank", "pool-rerank-requested"),
    "opportunity": ("opportunity-timers",),
    "approval": ("approval-sla",),
    "finance-reconciliation": ("finance-follow-up", "finance-matching"),
    "document-versioning": ("document-blob-sweep",),
}


class Robot(BaseHTTPRequestHandler):
    """The tenant's 企业微信 group robot: keeps every post."""

    posts: ClassVar[list[dict]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.posts.append(body)
        reply = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@dataclass
class Replicated:
    stack: Stack
    urls: dict[str, str]  # deployable -> its PostgreSQL database


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicated]:
    server = postgres()
    if server is None:
        pytest.skip("no PostgreSQL server answers (TEST_DATABASE_URL or CRM_POSTGRES_SERVER)")
    robot = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    var = tmp_path_factory.mktemp("replicas")
    log = var / "stack.log"
    with postgres_databases("e2e", server) as urls:
        webhook = {"demo": f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send?key=test"}
        base = Stack(var=var, replicas=REPLICAS, database_urls=urls,
                     extra_env=JOB_SETTINGS | {"GATEWAY_WECOM_WEBHOOKS": json.dumps(webhook)})
        base.migrate()
        try:
            stack, proc = start_stack(lambda: base.with_ports(free_port), log_file=log, timeout=150)
        except BaseException:
            print(log.read_text()[-5000:] if log.exists() else "no output")
            raise
        try:
            set_up(stack)
            yield Replicated(stack, urls)
        finally:
            proc.terminate()
            proc.wait(60)
            robot.shutdown()


def set_up(stack: Stack) -> None:
    """The demo's reps, routes and scoring formula (scripts/localstack.load_demo, without its data)."""
    base = stack.gateway_url
    manager = {"Authorization": f"Bearer {token(base, 'wangqiang')}"}
    team = {"team": "华东一组", "manager_id": "wangqiang", "languages": ["普通话"], "capacity": 300,
            "daily_claim_limit": 50}
    for rep_id, profile in (
        ("zhangwei", {"name": "张伟", "region": "柯桥区", "native_place": "绍兴市", "industries": ["纺织机械"],
                      "seniority": "senior"}),
        ("lina", {"name": "李娜", "region": "北仑区", "native_place": "宁波市", "industries": ["注塑机"],
                  "seniority": "junior"}),
    ):
        httpx.put(f"{base}/v1/reps/{rep_id}", json=team | profile, headers=manager, timeout=10).raise_for_status()
    load_rules(base, manager)


def metrics(url: str) -> dict[tuple[str, frozenset], float]:
    text = httpx.get(url, timeout=5).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def replica_metrics(stack: Stack, service: str) -> dict[str, dict]:
    """Each replica's samples, by process name."""
    out = {}
    for i in stack.instances(service):
        url = f"{stack.gateway_urls[i.replica - 1]}/metrics" if i.http_port else f"http://127.0.0.1:{i.metrics_port}/metrics"
        out[i.process] = metrics(url)
    return out


def handled(samples: dict, consumer: str, outcome: str = "applied") -> float:
    return sum(v for (name, labels), v in samples.items()
               if name == "crm_events_handled_total" and ("consumer", consumer) in labels and ("outcome", outcome) in labels)


def job_runs(samples: dict, job: str, outcome: str) -> float:
    return sum(v for (name, labels), v in samples.items()
               if name == "crm_job_runs_total" and ("job", job) in labels and ("outcome", outcome) in labels)


def group_notifications(urls: dict[str, str]) -> int:
    """The notifications every service published for the tenant's group robot."""
    group = 0
    for d in WITH_DATABASE:
        for (raw,) in query(urls, d.name, "SELECT envelope FROM outbox WHERE subject = $1",
                            subject_for("notification.requested")):
            note = NotificationRequested()
            Envelope.FromString(bytes(raw)).payload.Unpack(note)
            group += note.notify_group
    return group


def company_names(n: int, seed: int = 14) -> list[str]:
    """n company names no two of which intake would take for one company."""
    rng = random.Random(seed)
    chars = "安宝昌诚达鼎丰富港海恒宏华辉佳嘉金锦久凯康朗力隆茂美明南鹏启庆荣瑞森盛顺泰腾通万旺伟祥新鑫兴旭耀益永裕源远悦泽振正志中卓"
    trades = ["纺织", "机械", "注塑", "印染", "电气", "五金", "化纤", "包装", "模具", "轴承"]
    names, seen = [], set()
    while len(names) < n:
        core = "".join(rng.sample(chars, 4))
        if core[:2] in seen or core[2:] in seen:
            continue
        seen |= {core[:2], core[2:]}
        names.append(f"{core}{rng.choice(trades)}有限公司")
    return names


def test_a_burst_through_two_gateways_is_done_once_and_consumers_share_it(replicated: Replicated) -> None:
    stack, urls = replicated.stack, replicated.urls
    eventually(lambda: settled(stack, urls), 60, "the demo data settled")
    leads_before = count(urls, "lead-routing", "SELECT count(*) FROM leads")
    created_before = outbox(urls, "lead-routing", "lead.created")
    converted_before = outbox(urls, "lead-routing", "lead.converted")
    opportunities_before = count(urls, "opportunity", "SELECT count(*) FROM opportunities")
    posts_before, group_before = len(Robot.posts), group_notifications(urls)

    names = company_names(POOL_LEADS + OWN_LEADS)
    gateways = stack.gateway_urls
    headers = {user: {"Authorization": f"Bearer {token(gateways[0], user)}"} for user in ("zhangwei", "wangqiang")}
    clients = [httpx.Client(base_url=url, timeout=30) for url in gateways]

    def pool_lead(i: int) -> dict:
        lead = {"company_name": names[i], "phone": f"{POOL_PHONES}{i:04d}", "source": "展会扫码",
                "purchases_6m": {"amount_minor": 8_000_000, "currency": "CNY"}}
        if i < KEQIAO:  # the seed's 柯桥 route: assigned on arrival to a rep from there
            return lead | {"address": "浙江省绍兴市柯桥区齐贤街道", "orders_3m": 4}
        return lead | {"province": "浙江省", "city": "宁波市", "district": "北仑区"}

    def create_pool_lead(i: int) -> str:
        response = clients[i % 2].post("/v1/leads", json=pool_lead(i), headers=headers["wangqiang"])
        assert response.status_code == 201, response.text
        return response.json()["lead"]["lead_id"]

    def create_and_convert(i: int) -> str:
        lead = {"company_name": names[POOL_LEADS + i], "phone": f"{OWN_PHONES}{i:04d}", "source": "百度爱采购",
                "province": "浙江省", "city": "绍兴市", "district": "柯桥区"}
        client = clients[i % 2]
        response = client.post("/v1/leads", json=lead, headers=headers["zhangwei"])
        assert response.status_code == 201, response.text
        lead_id = response.json()["lead"]["lead_id"]
        # Converted through the other gateway.
        converted = clients[(i + 1) % 2].post(
            f"/v1/leads/{lead_id}/convert", headers=headers["zhangwei"],
            json={"opportunity_name": f"{names[POOL_LEADS + i]} 设备更新",
                  "expected_amount": {"amount_minor": 50_000_000, "currency": "CNY"}},
        )
        assert converted.status_code == 200, converted.text
        return lead_id

    with ThreadPoolExecutor(8) as pool:
        pool_work = [pool.submit(create_pool_lead, i) for i in range(POOL_LEADS)]
        own_work = [pool.submit(create_and_convert, i) for i in range(OWN_LEADS)]
        pool_ids = [f.result() for f in pool_work]
        own_ids = [f.result() for f in own_work]
    for client in clients:
        client.close()

    eventually(lambda: count(urls, "opportunity", "SELECT count(*) FROM opportunities WHERE lead_id = ANY($1)",
                             own_ids) == OWN_LEADS, 90, "an opportunity for every converted lead")
    eventually(lambda: count(urls, "lead-routing", "SELECT count(*) FROM lead_routes WHERE lead_id = ANY($1)",
                             pool_ids) == POOL_LEADS, 90, "every pool lead ranked")
    eventually(lambda: settled(stack, urls) and settled(stack, urls), 90, "the burst settled")

    # Each intake made one lead and one lead.created; each conversion one lead.converted and one opportunity.
    assert count(urls, "lead-routing", "SELECT count(*) FROM leads") - leads_before == POOL_LEADS + OWN_LEADS
    assert outbox(urls, "lead-routing", "lead.created") - created_before == POOL_LEADS + OWN_LEADS
    assert outbox(urls, "lead-routing", "lead.converted") - converted_before == OWN_LEADS
    assert count(urls, "opportunity", "SELECT count(*) FROM opportunities") - opportunities_before == OWN_LEADS
    # The auto-assigned 柯桥 leads have one assignment each.
    assigned = query(urls, "lead-routing", "SELECT lead_id, count(*) FROM assignments WHERE lead_id = ANY($1) "
                     "GROUP BY lead_id", pool_ids[:KEQIAO])
    assert [n for _, n in assigned] == [1] * len(assigned)
    # Every event each consumer below takes was handled once: one inbox row per event published.
    converted = outbox(urls, "lead-routing", "lead.converted")
    assert inbox(urls, "opportunity", "opportunity-lead-converted") == converted
    assert inbox(urls, "finance-reconciliation", "finance-lead-converted") == converted
    opportunity_created = outbox(urls, "opportunity", "opportunity.created")
    assert inbox(urls, "finance-reconciliation", "finance-opportunity-created") == opportunity_created
    assert count(urls, "finance-reconciliation", "SELECT count(*) FROM inbox WHERE consumer = 'finance-lead-converted'"
                 ) == count(urls, "opportunity", "SELECT count(*) FROM inbox WHERE consumer = 'opportunity-lead-converted'")

    # Every notification meant for the group robot was posted to it once, by one of the two gateways.
    assert len(Robot.posts) - posts_before == group_notifications(urls) - group_before > 0
    assert inbox(urls, "gateway", "gateway-wecom") == sum(
        outbox(urls, d.name, "notification.requested") for d in WITH_DATABASE)

    # The two replicas of each consumer shared the burst, neither handling an event the other had.
    for service, consumer, events in (
        ("opportunity", "opportunity-lead-converted", converted),
        ("finance-reconciliation", "finance-lead-converted", converted),
        # lead.created (and rep profile changes) ranked in batches.
        ("lead-routing", "lead-routing-rerank", inbox(urls, "lead-routing", "lead-routing-rerank")),
    ):
        per_replica = {p: handled(s, consumer) for p, s in replica_metrics(stack, service).items()}
        assert sum(per_replica.values()) == events, per_replica
        assert all(per_replica.values()), per_replica
    gateways_posted = {p: handled(s, "gateway-wecom") for p, s in replica_metrics(stack, GATEWAY.name).items()}
    assert sum(gateways_posted.values()) >= len(Robot.posts) - posts_before, gateways_posted


def test_each_periodic_job_runs_on_one_replica_holding_its_lease(replicated: Replicated) -> None:
    stack, urls = replicated.stack, replicated.urls
    for service, jobs in JOBS.items():
        samples = replica_metrics(stack, service)
        pids = {p: stack.pid(p) for p in samples}
        leases = {name: holder for name, holder in query(urls, service, "SELECT name, holder FROM leases")}
        for job in jobs:
            ran = {p for p, s in samples.items() if job_runs(s, job, "ok") + job_runs(s, job, "error")}
            skipped = {p for p, s in samples.items() if job_runs(s, job, "skipped")}
            assert len(ran) == 1, (service, job, ran)
            # The other replica tried, and found the lease held.
            assert skipped - ran == set(samples) - ran, (service, job, skipped)
            assert all(job_runs(s, job, "lost") == 0 for s in samples.values()), (service, job)
            # The lease row names the replica that ran it (holder: host:pid:random).
            (runner,) = ran
            assert leases[job].split(":")[1] == str(pids[runner]), (service, job, leases[job], pids)
    # The stack log shows no replica exited (a restart would have handed over a lease).
    log = Path(stack.var / "stack.log").read_text()
    exits = Counter(line.split(" exited (")[0].split()[-1] for line in log.splitlines() if " exited (" in line)
    assert not exits, exits
    assert all(stack.pid(p) for p in stack.processes())
    assert {b.name for b in BACKENDS} <= set(REPLICAS)
