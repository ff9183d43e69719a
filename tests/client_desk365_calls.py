"""The table of every Desk365 client call: one row per operation, calling its client method once.

A row is (operation name, client method, kwargs, HTTP method, path, decoded query, body,
result type); body is None (no body), a dict (JSON body) or :class:`Multipart` (the
expected parts, in order). The rows are in ``client_desk365_calls_tickets.py`` and
``client_desk365_calls_records.py``; ``test_table_covers_every_operation``
(``tests/test_client_desk365.py``) fails when an operation is added to
``generated.desk365.operations`` without a row.
"""

from __future__ import annotations

from tests.client_desk365_calls_records import RECORD_CALLS
from tests.client_desk365_calls_tickets import TICKET_CALLS
from tests.client_desk365_helpers import Row

CALLS: list[Row] = [*TICKET_CALLS, *RECORD_CALLS]
