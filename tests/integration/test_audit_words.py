"""The administrator's audit list names people and says what they did in plain words (issue 13)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.support.cast import Cast

from goalwise.services.accounts.audit_words import plain_action
from goalwise.services.context import Context
from goalwise.services.sharing import sharing


def test_plain_actions_read_as_phrases() -> None:
    assert plain_action("share", "share") == "made a share"
    assert plain_action("view", "progress") == "viewed the progress charts"
    assert plain_action("acknowledge", "alert") == "acknowledged a risk alert"
    assert plain_action("login", "user") == "logged in"
    assert plain_action("frobnicate", "widget-thing") == "frobnicate the widget thing"


def test_admin_audit_list_shows_names_not_account_ids(api: TestClient, ctx: Context, cast: Cast) -> None:
    sharing.create_share(ctx, cast.client_a.actor, label="Mum", sections=["assessments"], goal_ids=[])
    api.get(f"/clients/{cast.client_a.client_id}", headers=cast.therapist.headers)
    page = api.get("/admin", headers=cast.admin.headers)
    assert page.status_code == 200
    audit = page.text.split("<h2>Audit log</h2>", 1)[1]
    assert re.search(r"\b(therapist|client|admin|supporter):\d+", audit) is None
    assert "share share" not in audit and "view progress" not in audit
    assert "made a share" in audit and "viewed the questionnaire outcomes" in audit
    assert "Client A" in audit and "(therapist)" in audit
    csv = api.get("/admin/audit.csv", headers=cast.admin.headers).text
    assert re.search(r"therapist:\d+", csv)  # the export keeps the stored values for tools
