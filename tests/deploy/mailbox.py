"""An email backend for tests that run Strategise in another process: each message is
appended to the file ``STRATEGISE_TEST_MAILBOX`` names, one JSON line each. With
``STRATEGISE_TEST_MAIL_STALL`` set it then hangs, as a send that never returns, so a test
can kill the worker mid-send."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

STALL_SECONDS = 120


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        mailbox = Path(os.environ["STRATEGISE_TEST_MAILBOX"])
        for message in email_messages:
            record = {
                "to": message.to,
                "subject": message.subject,
                "message_id": message.extra_headers.get("Message-ID"),
            }
            with mailbox.open("a") as file:
                file.write(json.dumps(record) + "\n")
        if os.environ.get("STRATEGISE_TEST_MAIL_STALL"):
            time.sleep(STALL_SECONDS)
        return len(email_messages)
