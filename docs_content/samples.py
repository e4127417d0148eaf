"""Code samples for Authentikasi and Sign On (curl, Python, PHP) and for checking a callback
signature, filled with the partner's own Development values.

Every value is quoted for the language it goes into (shell, Python, PHP), so that a merchant
name with a quote or an ampersand still gives a sample that runs. The page escapes the result
for HTML when it highlights it.
"""

from __future__ import annotations

import json
import shlex
import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from docs_content.selectors import PASSWORD_PLACEHOLDER, DevValues
from docs_content.spec import OPERATIONS_BY_KEY


@dataclass(frozen=True)
class Sample:
    language: str  # "curl", "python", "php"
    label: str
    lexer: str
    code: str


def _comment(marker: str, text: str, *, indent: str = "") -> str:
    """Comment lines of a sample (``# …`` or ``// …``) holding ``text``, wrapped: the
    comments are in the reader's language, the code around them is not."""
    lines = textwrap.wrap(text, width=79 - len(indent) - len(marker) - 1)
    return "".join(f"{indent}{marker} {line}\n" for line in lines)


def _sign_on_url(base_url: str) -> str:
    return base_url + OPERATIONS_BY_KEY["sign_on"].path


def _deposit_url(base_url: str) -> str:
    return base_url + OPERATIONS_BY_KEY["deposit"].path


def _json_text(body: dict) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False)


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _php_array(body: dict, indent: str = "    ") -> str:
    rows = [f"{indent}{_php_string(k)} => {_php_string(v)}," for k, v in body.items()]
    return "[\n" + "\n".join(rows) + "\n]"


def _python_dict(body: dict, indent: str = "    ") -> str:
    # json.dumps of a str is a valid Python string literal as well.
    rows = [
        f"{indent}{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},"
        for k, v in body.items()
    ]
    return "{\n" + "\n".join(rows) + "\n}"


def _curl_sign_on(values: DevValues, base_url: str) -> str:
    userpass = shlex.quote(f"{values.username}:{PASSWORD_PLACEHOLDER}")
    body = shlex.quote(_json_text(values.sign_on_body()))
    return (
        f"curl -sS --digest -u {userpass} \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        f"  -d {body} \\\n"
        f"  {shlex.quote(_sign_on_url(base_url))}"
    )


def authentication_samples(values: DevValues, base_url: str) -> list[Sample]:
    """Authentikasi: the challenge without credentials, then the same call authenticated."""
    url = shlex.quote(_sign_on_url(base_url))
    curl = (
        _comment(
            "#",
            _(
                "1. Tanpa kredensial: server menjawab 401 dengan tantangan Digest "
                "(lihat header WWW-Authenticate: realm, nonce, qop, opaque)."
            ),
        )
        + f"curl -sS -i {url}\n"
        "\n"
        + _comment(
            "#",
            _(
                "2. Dengan --digest curl membaca tantangan itu, menghitung header "
                "Authorization dan mengirim ulang request."
            ),
        )
        + f"{_curl_sign_on(values, base_url)}\n"
    )
    python = (
        "import requests\n"
        "from requests.auth import HTTPDigestAuth\n"
        "\n"
        f"BASE_URL = {json.dumps(base_url)}\n"
        f"USERNAME = {json.dumps(values.username)}\n"
        f"PASSWORD = {json.dumps(PASSWORD_PLACEHOLDER)}  "
        "# " + _("ganti dengan password Anda") + "\n"
        "\n"
        + _comment("#", _("1. Tanpa kredensial: 401 dan tantangan Digest."))
        + f'challenge = requests.get(BASE_URL + "{OPERATIONS_BY_KEY["sign_on"].path}", '
        "timeout=30)\n"
        'print(challenge.status_code, challenge.headers["WWW-Authenticate"])\n'
        "\n"
        + _comment(
            "#",
            _("2. HTTPDigestAuth menjawab tantangan itu dan mengirim ulang request."),
        )
        + f"body = {_python_dict(values.sign_on_body())}\n"
        "response = requests.post(\n"
        f'    BASE_URL + "{OPERATIONS_BY_KEY["sign_on"].path}",\n'
        "    json=body,\n"
        "    auth=HTTPDigestAuth(USERNAME, PASSWORD),\n"
        "    timeout=30,\n"
        ")\n"
        "print(response.status_code, response.json())\n"
    )
    php = (
        "<?php\n"
        f"$url = {_php_string(_sign_on_url(base_url))};\n"
        f"$username = {_php_string(values.username)};\n"
        f"$password = {_php_string(PASSWORD_PLACEHOLDER)}; "
        "// " + _("ganti dengan password Anda") + "\n"
        "\n"
        f"$body = {_php_array(values.sign_on_body())};\n"
        "\n"
        "$ch = curl_init($url);\n"
        "curl_setopt_array($ch, [\n"
        + _comment(
            "//",
            _(
                "CURLAUTH_DIGEST: curl menerima tantangan 401 lalu mengirim "
                "Authorization."
            ),
            indent="    ",
        )
        + "    CURLOPT_HTTPAUTH => CURLAUTH_DIGEST,\n"
        '    CURLOPT_USERPWD => $username . ":" . $password,\n'
        "    CURLOPT_POST => true,\n"
        "    CURLOPT_POSTFIELDS => json_encode($body),\n"
        "    CURLOPT_HTTPHEADER => ['Content-Type: application/json'],\n"
        "    CURLOPT_RETURNTRANSFER => true,\n"
        "    CURLOPT_TIMEOUT => 30,\n"
        "]);\n"
        "$answer = curl_exec($ch);\n"
        "echo curl_getinfo($ch, CURLINFO_HTTP_CODE), ' ', $answer, PHP_EOL;\n"
        "curl_close($ch);\n"
    )
    return [
        Sample("curl", "curl", "bash", curl),
        Sample("python", "Python", "python", python),
        Sample("php", "PHP", "php", php),
    ]


def sign_on_samples(values: DevValues, base_url: str) -> list[Sample]:
    """Sign On, keep the SessionID, and use it (get-Deposit) on the same connection."""
    deposit_path = OPERATIONS_BY_KEY["deposit"].path
    sign_on_path = OPERATIONS_BY_KEY["sign_on"].path
    curl = (
        _comment(
            "#",
            _("Sign On: jawaban berisi SessionID untuk request /Services/* hari ini."),
        )
        + f"{_curl_sign_on(values, base_url)}\n"
    )
    python = (
        "import requests\n"
        "from requests.auth import HTTPDigestAuth\n"
        "\n"
        f"BASE_URL = {json.dumps(base_url)}\n"
        f"MERCHANT_ID = {json.dumps(values.merchant_id)}\n"
        "\n"
        + _comment(
            "#",
            _(
                "Satu Session: nonce Digest dipakai ulang dengan nc yang naik (satu round "
                "trip per request setelah request pertama)."
            ),
        )
        + "api = requests.Session()\n"
        f"api.auth = HTTPDigestAuth({json.dumps(values.username)}, "
        f"{json.dumps(PASSWORD_PLACEHOLDER)})\n"
        "\n"
        f"sign_on = {_python_dict(values.sign_on_body())}\n"
        f'answer = api.post(BASE_URL + "{sign_on_path}", json=sign_on, timeout=30).json()\n'
        'if answer["rc"] != "00":\n'
        '    raise SystemExit(f"' + _("Sign On gagal:") + ' {answer}")\n'
        'session_id = answer["SessionID"]  '
        "# " + _("simpan; berlaku sampai 23:59:59 WIB") + "\n"
        'print("SessionID:", session_id)\n'
        "\n"
        + _comment(
            "#",
            _(
                "SessionID dipakai di setiap request /Services/* (kecuali Check-Status)."
            ),
        )
        + "deposit = api.post(\n"
        f'    BASE_URL + "{deposit_path}",\n'
        '    json={"sessionID": session_id, "merchantID": MERCHANT_ID},\n'
        "    timeout=30,\n"
        ").json()\n"
        'print("Deposit:", deposit["rc"], deposit["data"])\n'
    )
    php = (
        "<?php\n"
        f"$base = {_php_string(base_url)};\n"
        f"$auth = {_php_string(values.username + ':' + PASSWORD_PLACEHOLDER)}; "
        "// " + _("ganti password") + "\n"
        "\n"
        "function openapi_post($url, $auth, $body) {\n"
        "    $ch = curl_init($url);\n"
        "    curl_setopt_array($ch, [\n"
        "        CURLOPT_HTTPAUTH => CURLAUTH_DIGEST,\n"
        "        CURLOPT_USERPWD => $auth,\n"
        "        CURLOPT_POST => true,\n"
        "        CURLOPT_POSTFIELDS => json_encode($body),\n"
        "        CURLOPT_HTTPHEADER => ['Content-Type: application/json'],\n"
        "        CURLOPT_RETURNTRANSFER => true,\n"
        "        CURLOPT_TIMEOUT => 30,\n"
        "    ]);\n"
        "    $answer = json_decode(curl_exec($ch), true);\n"
        "    curl_close($ch);\n"
        "    return $answer;\n"
        "}\n"
        "\n"
        f"$signOn = openapi_post($base . {_php_string(sign_on_path)}, $auth, "
        f"{_php_array(values.sign_on_body())});\n"
        "if ($signOn['rc'] !== '00') {\n"
        "    exit("
        + _php_string(_("Sign On gagal:") + " ")
        + " . $signOn['description'] . PHP_EOL);\n"
        "}\n"
        "$sessionID = $signOn['SessionID']; "
        "// " + _("simpan; berlaku sampai 23:59:59 WIB") + "\n"
        "echo 'SessionID: ', $sessionID, PHP_EOL;\n"
        "\n"
        f"$deposit = openapi_post($base . {_php_string(deposit_path)}, $auth, [\n"
        "    'sessionID' => $sessionID,\n"
        f"    'merchantID' => {_php_string(values.merchant_id)},\n"
        "]);\n"
        "echo 'Deposit: ', $deposit['rc'], ' ', json_encode($deposit['data']), PHP_EOL;\n"
    )
    return [
        Sample("curl", "curl", "bash", curl),
        Sample("python", "Python", "python", python),
        Sample("php", "PHP", "php", php),
    ]


def callback_samples() -> list[Sample]:
    """How a partner checks ``X-Signature`` on the callbacks it receives."""
    python = (
        "import hashlib\n"
        "import hmac\n"
        "\n"
        'CALLBACK_SECRET = "SECRET_CALLBACK_ANDA"  '
        "# " + _("dari menu Koneksi") + "\n"
        "\n"
        "\n"
        "def signature_valid(raw_body: bytes, header: str) -> bool:\n"
        '    """'
        + _("raw_body: body request persis seperti diterima (sebelum json.loads).")
        + '"""\n'
        '    expected = "sha256=" + hmac.new(\n'
        "        CALLBACK_SECRET.encode(), raw_body, hashlib.sha256\n"
        "    ).hexdigest()\n"
        '    return hmac.compare_digest(expected, header or "")\n'
    )
    php = (
        "<?php\n"
        "$secret = 'SECRET_CALLBACK_ANDA'; "
        "// " + _("dari menu Koneksi") + "\n"
        "$raw = file_get_contents('php://input');\n"
        "$expected = 'sha256=' . hash_hmac('sha256', $raw, $secret);\n"
        "$given = $_SERVER['HTTP_X_SIGNATURE'] ?? '';\n"
        "if (!hash_equals($expected, $given)) {\n"
        "    http_response_code(401);\n"
        "    exit;\n"
        "}\n"
        "$callback = json_decode($raw, true);\n"
        + _comment(
            "//",
            _(
                "... perbarui transaksi $callback['referenceID'] sesuai $callback['rc'] ..."
            ),
        )
        + "http_response_code(200);\n"
    )
    return [
        Sample("python", "Python", "python", python),
        Sample("php", "PHP", "php", php),
    ]


SAMPLE_SETS = {
    "authentikasi": authentication_samples,
    "sign_on": sign_on_samples,
}
