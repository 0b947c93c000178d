"""The fleet-bound sale message carries its journal record's link (seq, hash, prev_hash),
so the fleet can see a gap or a fork in a device's chain (issue 8)."""

import itertools
import json
import random

import pytest

from kiosk.contract.schemas import validate
from kiosk.storage import journal, outbox
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale


@pytest.fixture
def ledger(tmp_path):
    led = SqliteLedger(tmp_path / "ledger.db", "kiosk-1")
    yield led
    led.close()


def sale_messages(ledger):
    rows = [r for r in outbox.pending(ledger.conn) if r.topic == "sale"]
    return [json.loads(r.payload) for r in rows]


def test_each_sale_message_links_to_its_journal_record(ledger):
    first = ledger.commit_sale(make_sale(random.Random(1)))
    ledger.record_event("no_sale", "drawer", {"reason": "change"}, "2026-11-27T01:00:00.000000Z")
    second = ledger.commit_sale(make_sale(random.Random(2)))
    records = {
        ref: (seq, digest, prev)
        for seq, ref, digest, prev in ledger.conn.execute(
            "SELECT seq, ref, hash, prev_hash FROM journal ORDER BY seq"
        )
    }
    messages = sale_messages(ledger)
    assert [m["sale_id"] for m in messages] == [first.sale_id, second.sale_id]
    for message in messages:
        seq, digest, prev = records[message["sale_id"]]
        assert message["journal"] == {"seq": seq, "hash": digest, "prev_hash": prev}
        assert validate("sale", message) == []
    # The event between the sales sits in the chain: the second sale links to it, not to
    # the first sale, which is how the fleet tells an unseen record from a lost sale.
    assert messages[0]["journal"]["seq"] == 1 and messages[1]["journal"]["seq"] == 3
    assert messages[1]["journal"]["prev_hash"] == records["drawer"][1]


def test_the_message_is_the_stored_sale_plus_the_link(ledger):
    stored = ledger.commit_sale(make_sale(random.Random(3)))
    (message,) = sale_messages(ledger)
    del message["journal"]
    assert message == json.loads(json.dumps(stored.to_dict()))
    assert journal.verify(ledger.conn).ok


def test_verify_names_an_outbox_row_whose_link_was_rewritten(ledger):
    ledger.commit_sale(make_sale(random.Random(4)))
    ledger.conn.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.journal.hash', ?)", ("f" * 64,)
    )
    result = journal.verify(ledger.conn)
    assert not result.ok and "differs from its outbox row" in result.problem


def test_a_malformed_link_is_refused_by_the_schema(ledger):
    ledger.commit_sale(make_sale(random.Random(5)))
    (message,) = sale_messages(ledger)
    message["journal"]["hash"] = "abc"
    assert any(e.startswith("journal.hash: length 3") for e in validate("sale", message))
    message["journal"] = {"seq": 1}
    assert "journal.hash: missing" in validate("sale", message)


def test_the_fleet_can_recompute_the_records_hash_from_the_message(ledger):
    ledger.commit_sale(make_sale(random.Random(6)))
    (row,) = [r for r in outbox.pending(ledger.conn) if r.topic == "sale"]
    link = json.loads(row.payload)["journal"]
    body = row.payload[: row.payload.rindex(',"journal":')] + "}"
    doc = json.loads(body)
    entry = (link["seq"], "sale", doc["sale_id"], doc["created_at"], body)
    assert journal.record_hash(link["prev_hash"], entry) == link["hash"]


def test_published_events_carry_their_link_so_the_chain_can_be_followed(ledger):
    ledger.commit_sale(make_sale(random.Random(7)))
    ledger.record_event("no_sale", "drawer", {"reason": "change"}, "2026-11-27T01:00:00.000000Z")
    ledger.commit_sale(make_sale(random.Random(8)))
    rows = outbox.pending(ledger.conn)
    docs = [json.loads(r.payload) for r in rows]
    assert [r.topic for r in rows] == ["sale", "event", "sale"]
    assert rows[1].message_id == "kiosk-1:journal:2" and validate("event", docs[1]) == []
    # Every published record chains to the one before it, as the fleet sees them.
    assert [d["journal"]["seq"] for d in docs] == [1, 2, 3]
    for before, after in itertools.pairwise(docs):
        assert after["journal"]["prev_hash"] == before["journal"]["hash"]
    event = docs[1]
    entry = (event["seq"], event["kind"], event["ref"], event["at"],
             json.dumps(event["payload"], sort_keys=True, separators=(",", ":")))  # fmt: skip
    assert journal.record_hash(event["journal"]["prev_hash"], entry) == event["journal"]["hash"]
