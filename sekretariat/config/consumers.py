"""The registry of event consumers: who reads the domain events, in this order.

`core.dispatch` hands each committed event to the consumers listed here that want it
(`SEKRETARIAT_EVENT_CONSUMERS` names this list). A new consumer (case linking, the open-data
change feed, ...) is added here, with the event classes it handles; see `docs/architecture.md`.
`UPLOADS` wants no event: it is listed for its periodic job under `sekretariat worker` (reading
uploaded files that wait).
"""

from sekretariat.ingest.services import UPLOADS
from sekretariat.search.services import CONSUMER as SEARCH_INDEX

CONSUMERS = (SEARCH_INDEX, UPLOADS)
