"""Finding 6: the PDF check was a byte search, so name escapes (/J#61vaScript,
/L#61unch) walked past it. Fixed: PDFs are parsed (pypdf) and checked for what they mean.
An HTML page in front of the PDF is refused too."""

import pytest

from tests.security.attacks import payloads

pytestmark = pytest.mark.attack

HOSTILE = {
    "javascript.pdf": payloads.JAVASCRIPT_PDF,
    "launch.pdf": payloads.LAUNCH_PDF,
    "html-first.pdf": payloads.HTML_FIRST_PDF,
}


def evidence_named(server, name):
    return server.query("SELECT COUNT(*) FROM accounts_evidence WHERE original_name = ?", (name,))[
        0
    ][0]


def test_pdfs_with_hidden_active_content_are_refused(server, student, world):
    step = world["evidence_step"]
    page = f"/portal/paths/{world['path']}/"
    action = f"/portal/steps/{step}/evidence/"
    field = f"step-{step}-file"

    def upload(name, data):
        token = student.csrf_token(page)
        return student.post(
            action, files={field: (name, data, "application/pdf")}, token=token
        ).status_code

    # Control: a clean, well-formed PDF is accepted by the same form.
    assert upload("clean-control.pdf", payloads.CLEAN_PDF) == 302
    assert evidence_named(server, "clean-control.pdf") == 1

    answers = {name: upload(name, data) for name, data in HOSTILE.items()}
    stored = {name: evidence_named(server, name) for name in HOSTILE}
    accepted = sorted(name for name in HOSTILE if answers[name] == 302 or stored[name])
    assert not accepted, f"hostile PDFs accepted: {accepted} (answers {answers}, rows {stored})"
