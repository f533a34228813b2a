"""ensure_streams: how many copies each stream keeps (<PREFIX>STREAM_REPLICAS)."""

from types import SimpleNamespace

from crm_shared.events import STREAMS
from crm_shared.messaging import ensure_streams
from nats.js.errors import NotFoundError


class FakeJetStream:
    """Streams by name, as JetStream would keep their configs."""

    def __init__(self, existing: dict[str, int]) -> None:
        self.replicas = dict(existing)
        self.added: list[str] = []
        self.updated: list[str] = []

    async def stream_info(self, name: str) -> SimpleNamespace:
        if name not in self.replicas:
            raise NotFoundError
        return SimpleNamespace(config=SimpleNamespace(num_replicas=self.replicas[name]))

    async def add_stream(self, config) -> None:
        self.added.append(config.name)
        self.replicas[config.name] = config.num_replicas

    async def update_stream(self, config) -> None:
        self.updated.append(config.name)
        self.replicas[config.name] = config.num_replicas


async def test_streams_get_the_replicas_asked_for_new_or_existing() -> None:
    first, *rest = STREAMS
    js = FakeJetStream({first: 1})
    await ensure_streams(js, 3)
    assert js.replicas == {name: 3 for name in STREAMS}
    assert js.updated == [first] and sorted(js.added) == sorted(rest)


async def test_without_a_setting_existing_streams_keep_their_replicas() -> None:
    # The gateway provisions streams too, without the setting: it must not scale a
    # 3-replica stream back to 1 each time it starts.
    first, *rest = STREAMS
    js = FakeJetStream({first: 3})
    await ensure_streams(js)
    assert js.replicas == {first: 3} | {name: 1 for name in rest}
