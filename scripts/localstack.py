"""The local stack behind `make run`, also used by the end-to-end tests:
migrate every service's SQLite database under var/, start NATS (JetStream,
data in var/nats) and every service as its own process from the Procfile
under scripts/supervisor.py (which restarts a process that exits, with
back-off, and keeps the others up), wait until the gateway reports every
service ready and the web console answers, load the demo data once, print
both URLs. Ctrl-C stops everything; data stays.

The tests and benchmarks also run several replicas of a service
(Stack.replicas, processes <service>-<n>, each on its own ports) and point
the services at PostgreSQL (Stack.database_urls, postgres_databases()):
replicas of a service share its database, so they need PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from crm_shared.deployables import BACKENDS, DEPLOYABLES, GATEWAY, WEB, WITH_DATABASE, Deployable, by_name

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The supervisor's exit code when a process could not bind its port on its first start.
EXIT_PORT_IN_USE = 75


class PortInUse(RuntimeError):
    """A port given to the stack was taken by another program."""

SERVICE_TOKEN_KEY_ENV = "CRM_SERVICE_TOKEN_KEY"


def _kept_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret made once at random into `path` (owner-only) and read back afterwards."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key


def service_token_key(var: Path) -> str:
    """The local stack's service token key: made once at random, kept in var/ (owner-only)."""
    return _kept_secret(var / "service-token-key", lambda: secrets.token_urlsafe(48))


def web_session_key_path(var: Path) -> Path:
    """The console's session cookie key (Fernet: url-safe base64 of 32 bytes), made here
    before any console process starts so that its replicas share one key."""
    path = var / "web-session-key"
    _kept_secret(path, lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return path


# Replica n (n >= 2) of a process listens on its first replica's ports plus
# this times n - 1 unless the stack is given its ports (with_ports). Not 10:
# gateway replica 2 would take the console's 8090.
REPLICA_PORT_STEP = 100
# The PostgreSQL server fresh databases are made on (postgres_databases).
POSTGRES_SERVER_ENV = "CRM_POSTGRES_SERVER"
DEFAULT_POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
# Connections (pool, overflow) per process on PostgreSQL databases: two replicas of
# every deployable stay under 50 of the server's (default) 100.
POSTGRES_POOL = (2, 2)


@dataclass(frozen=True)
class Instance:
    """One process of a deployable: its Procfile-like name (the deployable's
    name, or <name>-<n> from 1 when it runs several replicas) and its ports."""

    deployable: Deployable
    process: str
    replica: int
    grpc_port: int | None = None
    metrics_port: int | None = None
    http_port: int | None = None


@dataclass
class Stack:
    var: Path
    nats_port: int = 14222
    http_port: int = GATEWAY.http_port or 0
    # The web console's HTTP port (replica 1's).
    web_port: int = WEB.http_port or 0
    grpc_ports: dict[str, int] = field(default_factory=lambda: {b.name: b.grpc_port or 0 for b in BACKENDS})
    metrics_ports: dict[str, int] = field(default_factory=lambda: {b.name: b.metrics_port or 0 for b in BACKENDS})
    # End-to-end tests move time for every process at once by writing seconds into this file.
    clock_offset_file: Path | None = None
    # Settings for the tests' stack, e.g. short job intervals.
    extra_env: dict[str, str] = field(default_factory=dict)
    # Processes per deployable (default 1), e.g. {"lead-routing": 2, "gateway": 2}.
    # The replicas of a deployable share its database and NATS consumers; the
    # gateway and the peers calling it balance over their addresses.
    replicas: dict[str, int] = field(default_factory=dict)
    # The ports of replicas 2 and on, by process: {"lead-routing-2": {"grpc": p, "metrics": p},
    # "gateway-2": {"http": p}}; unnamed: the first replica's + REPLICA_PORT_STEP * (n - 1).
    replica_ports: dict[str, dict[str, int]] = field(default_factory=dict)
    # Deployable name -> its database URL (e.g. PostgreSQL from postgres_databases());
    # unnamed: SQLite under var/ (or an exported <PREFIX>_DATABASE_URL).
    database_urls: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, count in self.replicas.items():
            by_name(name)  # KeyError naming the known ones
            if count < 1:
                raise ValueError(f"{name}: replicas must be 1 or more, not {count}")

    def now(self) -> datetime:
        """The stack's clock: the wall clock moved by what has been written to the offset file."""
        moved = self.clock_offset_file
        offset = float(moved.read_text() or 0) if moved and moved.exists() else 0.0
        return datetime.now(UTC) + timedelta(seconds=offset)

    def count(self, name: str) -> int:
        """How many processes of deployable `name` the stack runs."""
        return self.replicas.get(name, 1)

    def instances(self, name: str) -> list[Instance]:
        """The processes of one deployable, replica 1 first."""
        d = by_name(name)
        count = self.count(name)
        out = []
        for n in range(1, count + 1):
            process = d.name if count == 1 else f"{d.name}-{n}"
            given = self.replica_ports.get(process, {})

            def port(kind: str, first: int | None, n: int = n, given: dict[str, int] = given) -> int | None:
                if first is None:
                    return None
                return given.get(kind, first + REPLICA_PORT_STEP * (n - 1) if n > 1 else first)

            if d is GATEWAY:
                out.append(Instance(d, process, n, http_port=port("http", self.http_port)))
            elif d is WEB:
                out.append(Instance(d, process, n, http_port=port("http", self.web_port)))
            else:
                out.append(Instance(
                    d, process, n, grpc_port=port("grpc", self.grpc_ports[d.name]),
                    metrics_port=port("metrics", self.metrics_ports[d.name]),
                ))
        return out

    def all_instances(self) -> list[Instance]:
        return [i for d in DEPLOYABLES for i in self.instances(d.name)]

    def processes(self) -> list[str]:
        """Every process name as the supervisor runs it (pid files, logs)."""
        return ["nats", *(i.process for i in self.all_instances())]

    def grpc_addresses(self, name: str) -> list[str]:
        """host:port of every replica of a backend."""
        return [f"127.0.0.1:{i.grpc_port}" for i in self.instances(name)]

    def grpc_address(self, name: str) -> str:
        """A backend's address setting: one host:port, or its replicas' comma-separated (round robin)."""
        return ",".join(self.grpc_addresses(name))

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def gateway_urls(self) -> list[str]:
        """Every gateway replica's base URL, replica 1 (gateway_url) first."""
        return [f"http://127.0.0.1:{i.http_port}" for i in self.instances(GATEWAY.name)]

    @property
    def web_url(self) -> str:
        """The web console (replica 1), as `make run` prints it."""
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def web_urls(self) -> list[str]:
        """Every console replica's base URL, replica 1 (web_url) first."""
        return [f"http://127.0.0.1:{i.http_port}" for i in self.instances(WEB.name)]

    def with_ports(self, pick: Callable[[], int]) -> Stack:
        """This stack with every port (NATS and each replica's) taken from pick(), e.g. free ports."""
        ports: dict[str, dict[str, int]] = {}
        for d in DEPLOYABLES:
            for i in self.instances(d.name)[1:]:
                kinds = ("http",) if d.http_port else ("grpc", "metrics")
                ports[i.process] = {kind: pick() for kind in kinds}
        return replace(
            self,
            nats_port=pick(),
            http_port=pick(),
            web_port=pick(),
            grpc_ports={name: pick() for name in self.grpc_ports},
            metrics_ports={name: pick() for name in self.metrics_ports},
            replica_ports=ports,
        )

    @property
    def pid_dir(self) -> Path:
        """<process>.pid for every process of the Procfile while it runs."""
        return self.var / "run"

    def pid(self, process: str) -> int | None:
        """The pid of a process of the stack (a Procfile name, <name>-<n> for a replica), None while it is down."""
        try:
            return int((self.pid_dir / f"{process}.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def ports(self) -> set[int]:
        ports = {self.nats_port}
        for i in self.all_instances():
            ports |= {p for p in (i.grpc_port, i.metrics_port, i.http_port) if p is not None}
        return ports

    def env(self) -> dict[str, str]:
        """The environment every process gets (replica 1's ports; process_env() adds the others')."""
        env = dict(os.environ)
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONUNBUFFERED"] = "1"
        env["CRM_VAR"] = str(self.var)
        env["CRM_NATS_PORT"] = str(self.nats_port)
        nats_url = f"nats://127.0.0.1:{self.nats_port}"
        for b in BACKENDS:
            prefix, port = b.env_prefix, self.grpc_ports[b.name]
            if b.name in self.database_urls:
                env[f"{prefix}_DATABASE_URL"] = self.database_urls[b.name]
            env.setdefault(f"{prefix}_DATABASE_URL", f"sqlite+aiosqlite:///{self.var / b.name}.db")
            env[f"{prefix}_NATS_URL"] = nats_url
            env[f"{prefix}_GRPC_HOST"] = "127.0.0.1"
            env[f"{prefix}_GRPC_PORT"] = str(port)
            env[f"{prefix}_METRICS_PORT"] = str(self.metrics_ports[b.name])
            env[GATEWAY.addr_env(b)] = self.grpc_address(b.name)
            # The backends it asks (stage gates, who may see a subject), as crm_shared.deployables lists them.
            for peer in map(by_name, b.grpc_peers):
                env[b.addr_env(peer)] = self.grpc_address(peer.name)
        if GATEWAY.name in self.database_urls:
            env["GATEWAY_DATABASE_URL"] = self.database_urls[GATEWAY.name]
        env.setdefault("GATEWAY_DATABASE_URL", f"sqlite+aiosqlite:///{self.var / 'gateway'}.db")
        # Version content (document-versioning's filesystem blob store) beside the databases.
        env.setdefault("DOCUMENT_VERSIONING_BLOB_DIR", str(self.var / "document-blobs"))
        env["GATEWAY_HTTP_PORT"] = str(self.http_port)
        env["GATEWAY_NATS_URL"] = nats_url
        # The console calls gateway replica 1 over plain HTTP on the loopback: no `Secure` cookies.
        env["WEB_HTTP_PORT"] = str(self.web_port)
        env["WEB_GATEWAY_URL"] = self.gateway_url
        env["WEB_PUBLIC_URL"] = self.web_url
        env["WEB_COOKIE_SECURE"] = "false"
        env["WEB_SESSION_KEY_PATH"] = str(web_session_key_path(self.var))
        if any(url.startswith("postgresql") for url in self.database_urls.values()):
            # A dozen processes on one server (and other stacks beside them): a few connections each.
            env.setdefault("CRM_DB_POOL_SIZE", str(POSTGRES_POOL[0]))
            env.setdefault("CRM_DB_MAX_OVERFLOW", str(POSTGRES_POOL[1]))
        env.update(self.extra_env)
        if self.clock_offset_file:
            for d in DEPLOYABLES:
                env[f"{d.env_prefix}_CLOCK_OFFSET_FILE"] = str(self.clock_offset_file)
        env["GATEWAY_DEV_AUTH"] = "true"
        env["GATEWAY_DEV_KEY_PATH"] = str(self.var / "dev-jwt-key.pem")
        # Every process signs and verifies the calls between them with one key (an exported one wins).
        env.setdefault(SERVICE_TOKEN_KEY_ENV, service_token_key(self.var))
        return env

    def process_env(self) -> dict[str, dict[str, str]]:
        """What each replica but the first sets on top of env(): its own ports."""
        extra: dict[str, dict[str, str]] = {}
        for i in self.all_instances():
            if i.replica == 1:
                continue
            prefix = i.deployable.env_prefix
            if i.deployable is WEB:
                # Its sign-in redirect comes back to the replica the browser started on.
                extra[i.process] = {"WEB_HTTP_PORT": str(i.http_port), "WEB_PUBLIC_URL": f"http://127.0.0.1:{i.http_port}"}
            elif i.http_port is not None:
                extra[i.process] = {f"{prefix}_HTTP_PORT": str(i.http_port)}
            else:
                extra[i.process] = {f"{prefix}_GRPC_PORT": str(i.grpc_port), f"{prefix}_METRICS_PORT": str(i.metrics_port)}
        return extra

    def migrate(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        env = self.env()

        def run(d: Deployable) -> None:
            command = [sys.executable, "-m", d.package, "migrate"]
            result = subprocess.run(command, check=False, env=env, cwd=ROOT / d.folder, capture_output=True, text=True)
            if result.returncode:
                raise SystemExit(f"migrating {d.package} failed:\n{result.stderr}")

        # The console has no database: nothing to migrate.
        with ThreadPoolExecutor(len(WITH_DATABASE)) as pool:
            list(pool.map(run, WITH_DATABASE))

    def start(self, log_file: Path | None = None) -> subprocess.Popen[bytes]:
        """The supervisor of every Procfile process; terminate() it to stop them all."""
        out = open(log_file, "ab") if log_file else None  # noqa: SIM115 - lives as long as the stack
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        process_env = self.pid_dir / "process-env.json"
        process_env.write_text(json.dumps(self.process_env()), encoding="utf-8")
        scale = [arg for name, n in self.replicas.items() if n > 1 for arg in ("--scale", f"{name}={n}")]
        return subprocess.Popen(
            [
                sys.executable, str(ROOT / "scripts" / "supervisor.py"),
                "--procfile", str(ROOT / "Procfile"), "--cwd", str(ROOT), "--pid-dir", str(self.pid_dir),
                # The services drain their NATS connections as they stop.
                "--stop-last", "nats", "--process-env", str(process_env), *scale,
            ],
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=log_file is not None,
        )

    def wait_ready(self, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> dict:
        """Every gateway and console replica ready (its /readyz) and, for a backend run as
        several replicas (the gateway's check reaches only one of them), each
        replica's gRPC health SERVING; gateway replica 1's readiness answer."""
        deadline = time.monotonic() + timeout
        last: object = None
        pending = [*self.gateway_urls, *self.web_urls, *(
            i for b in BACKENDS if self.count(b.name) > 1 for i in self.instances(b.name)
        )]
        answer: dict = {}
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                if proc.returncode == EXIT_PORT_IN_USE:
                    raise PortInUse("a port of the stack is in use by another program; see the output above")
                raise SystemExit(f"the stack's supervisor exited (code {proc.returncode}); see its output above")
            while pending:
                ready, last = _ready(pending[0])
                if not ready:
                    break
                if pending[0] == self.gateway_url:
                    answer = ready
                pending.pop(0)
            if not pending:
                return answer
            time.sleep(0.5)
        raise TimeoutError(f"the stack was not ready within {timeout}s: {last}")


def _ready(what: str | Instance) -> tuple[dict, object]:
    """A gateway's readiness answer or the console's (a base URL), or a backend replica's
    health ({} while not ready)."""
    if isinstance(what, str):
        try:
            response = httpx.get(f"{what}/readyz", timeout=2)
        except httpx.HTTPError as exc:
            return {}, f"{what}: {exc!r}"
        if response.status_code != 200:
            return {}, f"{what}: {response.text}"
        # The gateway answers JSON (every backend's state); the console a plain "ok".
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json(), response.text
        return {"status": response.text.strip()}, response.text
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(f"127.0.0.1:{what.grpc_port}") as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        except grpc.RpcError as error:
            return {}, f"{what.process}: {error.code().name}"
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    return ({"status": status} if status == "SERVING" else {}), f"{what.process}: {status}"


def postgres_server() -> str:
    """The PostgreSQL server (URL without a database) fresh databases are made on."""
    return os.environ.get(POSTGRES_SERVER_ENV, DEFAULT_POSTGRES_SERVER).rstrip("/")


def create_postgres_databases(label: str, server: str | None = None) -> dict[str, str]:
    """One fresh, empty PostgreSQL database per deployable (for Stack.database_urls),
    named crm_<label>_<random>_<service>; drop them with drop_postgres_databases()."""
    import asyncpg

    server = server or postgres_server()
    stem = f"crm_{label}_{secrets.token_hex(4)}"
    urls = {d.name: f"{server}/{stem}_{d.package}" for d in WITH_DATABASE}

    async def create() -> None:
        conn = await asyncpg.connect(f"{server}/postgres".replace("postgresql+asyncpg://", "postgresql://"))
        try:
            for url in urls.values():
                await conn.execute(f'CREATE DATABASE "{url.rpartition("/")[2]}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return urls


def drop_postgres_databases(urls: dict[str, str]) -> None:
    import asyncpg

    async def drop() -> None:
        for url in urls.values():
            server, _, name = url.rpartition("/")
            conn = await asyncpg.connect(f"{server}/postgres".replace("postgresql+asyncpg://", "postgresql://"))
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()

    asyncio.run(drop())


@contextmanager
def postgres_databases(label: str, server: str | None = None) -> Iterator[dict[str, str]]:
    """Fresh PostgreSQL databases, one per deployable, dropped afterwards:
    `with postgres_databases("replicas") as urls: Stack(var, database_urls=urls, ...)`."""
    urls = create_postgres_databases(label, server)
    try:
        yield urls
    finally:
        drop_postgres_databases(urls)


def start_stack(
    make: Callable[[], Stack], log_file: Path | None = None, attempts: int = 5, timeout: float = 90.0
) -> tuple[Stack, subprocess.Popen[bytes]]:
    """Start a stack on ports chosen by make() (e.g. free ports picked in the
    tests) and wait until it is ready; when one of its ports turns out taken
    by another program before a process could bind it, start again on the
    ports of a new make(). The stack's data folder stays the same."""
    for attempt in range(1, attempts + 1):
        stack = make()
        proc = stack.start(log_file=log_file)
        try:
            stack.wait_ready(proc, timeout=timeout)
            return stack, proc
        except PortInUse:
            proc.wait(30)
            if attempt == attempts:
                raise
            if log_file:
                with open(log_file, "a") as log:
                    log.write(f"a port was in use: starting again on other ports (attempt {attempt + 1})\n")
        except BaseException:
            proc.terminate()
            proc.wait(30)
            raise
    raise AssertionError("unreachable")


def token(base_url: str, username: str) -> str:
    response = httpx.post(f"{base_url}/v1/auth/token", json={"username": username, "password": "demo"}, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


# The sales director's rules as the seeds describe them (001, 003), and the
# machinery maker's pipeline (000): what a new tenant would set up first.
DEMO_FORMULA = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
DEMO_ROUTES = [
    {"route_id": "baidu-injection", "name": "百度爱采购·注塑机：近3月在附近成交过的销售",
     "condition": 'AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))', "target": {"kind": "all"},
     "rep_filter": "DISTANCE(纬度,经度,近3月成交客户位置)<=50", "sla_hours": 24},
    {"route_id": "expo-key-account", "name": "展会扫码·年营业额≥5000万：大客户通道",
     "condition": 'AND(来源="展会扫码",年营业额>=50000000)', "target": {"kind": "key_account"},
     "rep_filter": '职级<>"junior"', "sla_hours": 48},
    {"route_id": "keqiao-local", "name": "柯桥老客户：籍贯本地的销售",
     "condition": 'AND(区县="柯桥区",近3月订单数>=3)', "target": {"kind": "all"},
     "rep_filter": "OR(籍贯=城市,籍贯=区县)", "sla_hours": 24, "auto_assign": True},
    {"route_id": "rest", "name": "其余线索：全员按评分", "target": {"kind": "all"}, "sla_hours": 24},
]
DEMO_PIPELINE = {
    "name": "大型设备销售", "product_line": "大型设备",
    "stages": [
        {"name": name, "probability": probability, "forecast_category": category,
         "gate": {"required_fields": fields, "required_documents": documents, "approval_kinds": approvals}}
        for name, probability, category, fields, documents, approvals in (
            ("初步接触", 10, "pipeline", [], [], []),
            ("需求确认", 25, "pipeline", ["decision_maker"], [], []),
            ("方案提交", 40, "best_case", [], ["客户需求分析文档"], []),
            ("报价谈判", 60, "best_case", ["amount", "expected_close_date"], [], []),
            # Seed 000: the contract is signed once the technical proposal and the contract are approved.
            ("合同签署", 90, "commit", [], [], ["technical_proposal", "contract"]),
        )
    ],
}


def load_rules(base: str, manager: dict[str, str]) -> None:
    for kind, body in (("routes", {"routes": DEMO_ROUTES}), ("formulas", {"formula": DEMO_FORMULA})):
        saved = httpx.post(f"{base}/v1/routing/{kind}", json=body, headers=manager, timeout=10)
        saved.raise_for_status()
        version = saved.json()["version"]["version"]
        httpx.post(f"{base}/v1/routing/{kind}/versions/{version}/activate", headers=manager, timeout=30).raise_for_status()
    httpx.post(f"{base}/v1/pipelines", json=DEMO_PIPELINE, headers=manager, timeout=10).raise_for_status()


def load_approval_policies(base: str, admin: dict[str, str]) -> None:
    """Departments and the seeds' approval policies (000: 技术部 and 生产部 review a
    technical proposal together; a contract over twice the regional average goes up
    the managers and to finance; 002: a major-impact request escalates to the head
    after 2 working hours)."""
    departments = {}
    for name, head, members in (
        ("技术部", "chenjing", [{"user_id": "chenjing", "role": "reviewer"}]),
        ("生产部", "zhoumin", [{"user_id": "zhoumin", "role": "manager"}]),
        ("财务部", "liufang", [{"user_id": "liufang", "role": "finance"}]),
        ("销售部", "wangqiang", [{"user_id": u, "role": r} for u, r in
                              (("wangqiang", "manager"), ("zhoumin", "manager"), ("zhangwei", "rep"),
                               ("lina", "rep"), ("wuhao", "rep"))]),
    ):
        response = httpx.post(f"{base}/v1/departments", json={"name": name, "head_id": head, "members": members},
                              headers=admin, timeout=10)
        response.raise_for_status()
        departments[name] = response.json()["department"]["department_id"]
    tech, prod, finance = departments["技术部"], departments["生产部"], departments["财务部"]
    escalate = [{"impact": "涉及停产", "working_minutes": 120, "outcome": "escalate",
                 "target": {"kind": "department_head", "value": tech}},
                {"impact": "", "working_minutes": 480, "reminders": 1, "outcome": "escalate",
                 "target": {"kind": "department_head", "value": tech}}]
    for policy in (
        {"kind": "technical_proposal", "name": "技术方案跨职能评审", "is_default": True, "stages": [
            {"stage_id": "review", "name": "跨职能评审", "steps": [
                {"name": "技术部评审", "approvers": {"kind": "department_members", "value": tech}, "sla": escalate},
                {"name": "生产部评审", "approvers": {"kind": "department_head", "value": prod}, "sla": escalate}]}]},
        {"kind": "contract", "name": "大额合同预警（超区域均值2倍）", "position": 1,
         "criteria": "AND(区域成交数>=3,金额>2*区域平均合同额)", "skip_repeat_approvers": True,
         "locked_fields": ["amount"], "stages": [
            {"stage_id": "managers", "name": "上级审批", "steps": [
                {"name": "上级链", "approvers": {"kind": "manager_chain", "level": 2}, "mode": "sequence"}]},
            {"stage_id": "finance", "name": "财务审批", "steps": [
                {"name": "财务负责人", "approvers": {"kind": "department_head", "value": finance},
                 "on_reject": "send_back", "send_back_to": "requester"}]}]},
        {"kind": "contract", "name": "普通合同", "is_default": True, "stages": [
            {"stage_id": "manager", "name": "直属上级", "steps": [{"name": "上级", "approvers": {"kind": "manager"}}]},
            {"stage_id": "finance", "name": "财务审核", "steps": [
                {"name": "财务", "approvers": {"kind": "department_members", "value": finance}, "mode": "any"}]}]},
    ):
        httpx.post(f"{base}/v1/approval-policies", json=policy | {"comment": "演示数据"}, headers=admin,
                   timeout=10).raise_for_status()


# The partner portal's distributors (zhaolei and sunli are their users in the dev directory, gateway/auth.py).
DEMO_DISTRIBUTORS = (
    {"distributor_id": "dist-hz", "name": "杭州恒通机电设备有限公司", "credit_code": "91330100MA2H3K7P0L",
     "territory": {"provinces": ["浙江省"], "cities": ["杭州市"], "industries": ["机电设备"]}, "tier": "金牌",
     "contract_starts": "2026-01-01", "contract_ends": "2027-12-31", "users": ["zhaolei"],
     "channel_manager_id": "wangqiang"},
    {"distributor_id": "dist-nb", "name": "宁波甬联工业设备有限公司", "credit_code": "91330200MA2J8C5T08",
     "territory": {"cities": ["宁波市"]}, "tier": "银牌", "contract_starts": "2026-01-01",
     "contract_ends": "2027-12-31", "users": ["sunli"], "channel_manager_id": "wangqiang"},
)


def load_distributors(admin: httpx.Client) -> None:
    """The demo distributors, through the gateway as admin (a client with the base URL and an admin's token);
    ones that exist already are left as they are."""
    for distributor in DEMO_DISTRIBUTORS:
        response = admin.post("/v1/distributors", json=distributor)
        if response.status_code != 409:
            response.raise_for_status()


# The seeds' rebate terms ("2% above 100万, 3% above 300万"), per quarter, for every distributor.
DEMO_REBATE_PROGRAMME = {
    "name": "渠道季度返利", "period_kind": "quarter", "basis": "whole", "starts_on": "2026-01-01",
    "tiers": [{"threshold_minor": 100_000_000, "rate_bp": 200}, {"threshold_minor": 300_000_000, "rate_bp": 300}],
}


def load_rebate_programme(admin: httpx.Client) -> None:
    """The demo rebate programme, through the gateway as admin, unless the tenant has one of that name."""
    listed = admin.get("/v1/rebates/programmes")
    listed.raise_for_status()
    if all(p["name"] != DEMO_REBATE_PROGRAMME["name"] for p in listed.json().get("programmes", [])):
        admin.post("/v1/rebates/programmes", json=DEMO_REBATE_PROGRAMME).raise_for_status()


# A published promotion programme distributors may apply for (申报促销活动) on the partner portal.
DEMO_PROMOTION = {
    "status": "published",
    "terms": {
        "name": "数控机床门店陈列支持", "conditions": "门店陈列数控机床样机不少于 2 台，提供陈列照片",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31", "product_lines": ["数控机床"], "benefit": "support",
        "support_amount": {"amount_minor": 5_000_000, "currency": "CNY"},
    },
}


def load_promotion(admin: httpx.Client) -> None:
    """The demo promotion programme, through the gateway as admin, unless the tenant has one of that name."""
    listed = admin.get("/v1/promotions", params={"page_size": 200})
    listed.raise_for_status()
    if all(p["terms"]["name"] != DEMO_PROMOTION["terms"]["name"] for p in listed.json().get("programmes", [])):
        admin.post("/v1/promotions", json=DEMO_PROMOTION).raise_for_status()


def load_demo(stack: Stack) -> None:
    """Rep profiles, the seed routes and formula, a pipeline, a few leads of
    the rep's own (the first converted into an opportunity with a proposal)
    and a few in the pool for routing. Loaded once; the marker keeps reruns quiet."""
    marker = stack.var / "demo-loaded"
    if marker.exists():
        return
    base = stack.gateway_url
    rep = {"Authorization": f"Bearer {token(base, 'zhangwei')}"}
    manager = {"Authorization": f"Bearer {token(base, 'wangqiang')}"}
    team = {"team": "华东一组", "manager_id": "wangqiang", "languages": ["普通话"], "capacity": 30, "daily_claim_limit": 5}
    for rep_id, profile in (
        ("zhangwei", {"name": "张伟", "region": "柯桥区", "native_place": "绍兴市", "industries": ["纺织机械"], "seniority": "senior"}),
        ("lina", {"name": "李娜", "region": "北仑区", "native_place": "宁波市", "industries": ["注塑机"], "seniority": "junior"}),
    ):
        httpx.put(f"{base}/v1/reps/{rep_id}", json=team | profile, headers=manager, timeout=10).raise_for_status()
    # A second team (华东二组) under its own manager, so team boundaries show.
    other_manager = {"Authorization": f"Bearer {token(base, 'zhoumin')}"}
    httpx.put(f"{base}/v1/reps/wuhao", json={
        "name": "吴昊", "team": "华东二组", "manager_id": "zhoumin", "region": "萧山区", "native_place": "杭州市",
        "languages": ["普通话"], "industries": ["机电设备"], "capacity": 30, "daily_claim_limit": 5,
    }, headers=other_manager, timeout=10).raise_for_status()
    load_rules(base, manager)
    load_approval_policies(base, {"Authorization": f"Bearer {token(base, 'admin')}"})
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token(base, 'admin')}"}, timeout=10) as admin:
        load_distributors(admin)
        load_rebate_programme(admin)
        load_promotion(admin)
    leads = [
        {"company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805751234", "source": "展会扫码",
         "province": "浙江省", "city": "绍兴市", "district": "柯桥区",
         "budget": {"amount_minor": 80_000_000, "currency": "CNY"}},
        {"company_name": "宁波北仑精密注塑有限公司", "credit_code": "91330200MA2AFK8X1K", "phone": "0574-86881234",
         "source": "百度爱采购", "province": "浙江省", "city": "宁波市", "district": "北仑区"},
        {"company_name": "杭州萧山华达机电设备厂", "phone": "13967112345", "source": "抖音本地推",
         "province": "浙江省", "city": "杭州市", "district": "萧山区"},
    ]
    created = []
    for lead in leads:
        response = httpx.post(f"{base}/v1/leads", json=lead, headers=rep, timeout=10)
        response.raise_for_status()
        created.append(response.json()["lead"])
    first = created[0]
    response = httpx.post(
        f"{base}/v1/leads/{first['lead_id']}/convert",
        json={"opportunity_name": "恒盛纺织 新厂房织机改造", "expected_amount": {"amount_minor": 120_000_000, "currency": "CNY"}},
        headers=rep,
        timeout=10,
    )
    response.raise_for_status()
    opportunity = wait_for_opportunity(base, rep, first["lead_id"])
    httpx.post(
        f"{base}/v1/documents/versions",
        json={
            "opportunity_id": opportunity["opportunity_id"], "doc_type": "技术方案", "title": "织机改造技术方案",
            "filename": "proposal-v1.txt", "content_type": "text/plain",
            "content_base64": base64.b64encode("织机改造技术方案 第1版".encode()).decode(),
        },
        headers=rep,
        timeout=10,
    ).raise_for_status()
    # Entered by the manager, these go through routing: the 柯桥 one is assigned on arrival.
    for lead in (
        {"company_name": "绍兴柯桥永利印染有限公司", "phone": "13905752468", "source": "展会扫码",
         "address": "浙江省绍兴市柯桥区齐贤街道", "industry_tags": ["印染", "定型机"], "orders_3m": 4,
         "purchases_6m": {"amount_minor": 8_000_000, "currency": "CNY"}},
        {"company_name": "宁波镇海荣达塑料制品厂", "phone": "13805748642", "source": "百度爱采购",
         "address": "浙江省宁波市镇海区", "industry_tags": ["注塑机", "塑料制品"],
         "purchases_6m": {"amount_minor": 3_000_000, "currency": "CNY"}},
    ):
        httpx.post(f"{base}/v1/leads", json=lead, headers=manager, timeout=10).raise_for_status()
    marker.write_text("ok\n")


def wait_for_opportunity(base: str, headers: dict, lead_id: str, timeout: float = 20.0) -> dict:
    """The opportunity is created from lead.converted, asynchronously."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(f"{base}/v1/opportunities", params={"lead_id": lead_id}, headers=headers, timeout=10)
        if response.status_code == 200 and response.json().get("opportunities"):
            return response.json()["opportunities"][0]
        time.sleep(0.2)
    raise TimeoutError(f"no opportunity for lead {lead_id} after {timeout}s")


def main() -> int:
    stack = Stack(var=Path(os.environ.get("CRM_VAR", ROOT / "var")).resolve())
    stack.migrate()
    proc = stack.start()
    try:
        try:
            stack.wait_ready(proc)
        except PortInUse:
            print(
                "\n  A port of the stack is in use (is another `make run` running?); see the line above.\n",
                file=sys.stderr,
            )
            return 1
        load_demo(stack)
        print(
            f"\n  CRM is up: {stack.gateway_url}  (OpenAPI docs: {stack.gateway_url}/docs)\n"
            f"  Web console: {stack.web_url}  (sign in as a demo user)\n"
            "  Demo users (password 'demo'): zhangwei, lina (rep), wangqiang (manager), liufang (finance),\n"
            "  chenjing (reviewer), admin, zhaolei (partner); zhoumin (manager) and wuhao (rep) of another team.\n"
            "  A process that exits is restarted; Ctrl-C stops everything.\n",
            flush=True,
        )
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(20)


if __name__ == "__main__":
    sys.exit(main())
