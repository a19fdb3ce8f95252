"""The loop of our schedulers (harvest and validation): what cron would do, in a
process of the harvest role, so that no crontab has to be installed on a node."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ckan import model

log = logging.getLogger(__name__)


def run_rounds(name: str, round_: Callable[[], None], every: int, once: bool) -> None:
    """Call ``round_`` every ``every`` seconds until stopped, or once with ``once``.

    A failed round (a database restart or the like) is logged and the next one tried;
    with ``once`` the error goes to the caller, so a one-off run exits non-zero. The
    session is removed after every round: a scheduler lives for days and must not hold
    a transaction or stale objects between rounds."""
    while True:
        try:
            round_()
        except Exception:
            log.exception("%s round failed", name)
            if once:
                raise
        finally:
            model.Session.remove()
        if once:
            return
        time.sleep(every)
