"""Keep patient features out of the logs.

The result page is a GET whose query string holds the patient's clinical features; the
development server and most access logs print the whole request line. This filter cuts
every query string from a record before any handler sees it.
"""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


def without_query_strings(value):
    return _QUERY.sub("?[query removed]", value) if isinstance(value, str) else value


class DropQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = without_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_query_strings(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: without_query_strings(v) for k, v in record.args.items()}
        return True
