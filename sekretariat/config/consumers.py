"""The registry of event consumers: who reads the domain events, in this order.

`core.dispatch` hands each committed event to the consumers listed here that want it
(`SEKRETARIAT_EVENT_CONSUMERS` names this list). A new consumer (case linking, the open-data
change feed, ...) is added here, with the event classes it handles; see `docs/architecture.md`.
"""

from sekretariat.search.services import CONSUMER as SEARCH_INDEX

CONSUMERS = (SEARCH_INDEX,)
