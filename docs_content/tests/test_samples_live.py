"""The curl and Python samples of Authentikasi and Sign On, copied from the rendered pages,
run against a live server and sign on once the password placeholder is replaced."""

import contextlib
import io
import os
import subprocess

import pytest
from django.urls import reverse

from docs_content.selectors import PASSWORD_PLACEHOLDER
from docs_content.tests.factories import DEV_PASSWORD
from docs_content.tests.helpers import sample_code
from openapi.models import SignOnSession

PAGES = {"authentikasi": "authentikasi", "sign_on": "sign-on"}


def rendered_sample(client, samples: str, language: str) -> str:
    url = reverse("docs_content:section", args=[PAGES[samples]])
    code = sample_code(client.get(url).content.decode(), samples, language)
    assert PASSWORD_PLACEHOLDER in code, "the page never shows a password"
    return code.replace(PASSWORD_PLACEHOLDER, DEV_PASSWORD)


def sessions(credential) -> int:
    return SignOnSession.objects.filter(credential=credential).count()


@pytest.mark.parametrize("samples", ["authentikasi", "sign_on"])
def test_curl_sample_signs_on(live_partner, owner_client, credential, samples):
    code = rendered_sample(owner_client, samples, "curl")
    environment = {"PATH": os.environ["PATH"]}
    done = subprocess.run(  # noqa: S603 - the documented sample, run as a partner would
        ["/bin/bash", "-euo", "pipefail", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"rc": "00"' in done.stdout and '"SessionID"' in done.stdout
    if samples == "authentikasi":
        assert "HTTP/1.1 401" in done.stdout
        assert 'WWW-Authenticate: Digest realm="' in done.stdout
    assert sessions(credential) == 1


@pytest.mark.parametrize("samples", ["authentikasi", "sign_on"])
def test_python_sample_signs_on(live_partner, owner_client, credential, samples):
    code = rendered_sample(owner_client, samples, "python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"<sample {samples}>", "exec"), {"__name__": "sample"})  # noqa: S102
    output = printed.getvalue()
    assert sessions(credential) == 1
    session_id = SignOnSession.objects.get(credential=credential).session_id
    if samples == "authentikasi":
        assert output.startswith("401 Digest realm=")
        assert f"'SessionID': '{session_id}'" in output
    else:
        assert f"SessionID: {session_id}" in output
        assert (
            "Deposit: 00 {'deposit': '000050000000', 'environment': 'development'}"
            in output
        )


def test_php_samples_use_digest_and_escape_the_values(docs_client, credential):
    for samples in PAGES:
        code = sample_code(
            docs_client.get(
                reverse("docs_content:section", args=[PAGES[samples]])
            ).content.decode(),
            samples,
            "php",
        )
        assert code.startswith("<?php")
        assert "CURLAUTH_DIGEST" in code
        assert credential.username in code
        # O'Neil inside a single-quoted PHP string.
        assert "'CV Kopi O\\'Neil & <Anak>'" in code
        assert DEV_PASSWORD not in code
