"""TOTP codes (RFC 6238) and recovery codes."""

import pyotp

from usermgmt import totp

# RFC 6238, appendix B: the SHA-1 secret "12345678901234567890".
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def test_the_rfc_6238_test_vector_matches():
    # At T=59 s the 8-digit code is 94287082; its last 6 digits are the 6-digit code.
    step = totp.totp_match(secret=RFC_SECRET, code="287082", now=59)

    assert step == 1


def test_codes_of_the_neighbouring_steps_are_accepted_and_no_further():
    secret = pyotp.random_base32()
    generator = pyotp.TOTP(secret)
    now = 1_800_000_000

    assert totp.totp_match(secret=secret, code=generator.at(now - 30), now=now)
    assert totp.totp_match(secret=secret, code=generator.at(now + 30), now=now)
    assert totp.totp_match(secret=secret, code=generator.at(now - 90), now=now) is None


def test_a_used_step_is_refused():
    secret = pyotp.random_base32()
    now = 1_800_000_000
    code = pyotp.TOTP(secret).at(now)
    step = totp.totp_match(secret=secret, code=code, now=now)

    assert totp.totp_match(secret=secret, code=code, after_step=step, now=now) is None


def test_spaces_are_ignored_and_junk_refused():
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).now()

    assert totp.totp_match(secret=secret, code=f"{code[:3]} {code[3:]}")
    assert totp.totp_match(secret=secret, code="abcdef") is None
    assert totp.totp_match(secret=secret, code="") is None


def test_ten_distinct_recovery_codes_and_a_stable_hash():
    codes = totp.recovery_codes_new()

    assert len(codes) == len(set(codes)) == 10
    code = codes[0]
    assert totp.recovery_hash(user_id=1, code=code) == totp.recovery_hash(
        user_id=1, code=code.upper().replace("-", " ")
    )
    assert totp.recovery_hash(user_id=1, code=code) != totp.recovery_hash(
        user_id=2, code=code
    )


def test_the_qr_code_is_inline_svg_of_the_otpauth_uri():
    uri = totp.provisioning_uri(secret=RFC_SECRET, account="mtr00001.1")

    assert uri.startswith("otpauth://totp/Web%20Open%20API:mtr00001.1?")
    assert "secret=" + RFC_SECRET in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and RFC_SECRET not in svg
