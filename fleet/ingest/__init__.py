"""Fleet ingest: everything kiosks publish -> the fleet's storage (``fleet.storage``).

``messages.store_message`` validates one delivery with the contract and stores it by its
id (a duplicate counts once) or quarantines it with the reason; ``chain`` follows each
device's journal; ``worker.IngestWorker`` is the MQTT side (ack after commit);
``partition`` splits the stores between workers.
"""

from fleet.ingest.messages import FILTERS, quarantined, sale_ids, store_message, store_sale
from fleet.ingest.worker import IngestWorker

__all__ = ["FILTERS", "IngestWorker", "quarantined", "sale_ids", "store_message", "store_sale"]
