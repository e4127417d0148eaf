"""The demo partner of `make run`, ready to call the Open API at once.

"PT Demo Mitra Sejahtera" goes the way a real partner goes, through the real services:
registration and activation, the KYC profile approved by the staff reviewer (which issues its
credentials), 127.0.0.1 and ::1 approved for both environments, a spread of products chosen
(a few taken through UAT and Request Live to Aktif), the Development deposit funded with
sandbox money and the Production deposit through a confirmed top-up.

The Transaksi passwords are fixed demo values (``DEMO_PASSWORDS``) so that the curl session of
the README works after every run: credentials are issued with random passwords as for every
partner, then their HA1 is set to the demo value (and set again if a rotation changed it).
Demo only: seed_demo refuses to run without DEBUG. Safe to run twice.
"""

from __future__ import annotations

import io
import json
import shlex

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone
from PIL import Image

from accounts.management.commands.seed_demo import login_line
from accounts.models import Partner, User
from accounts.services import Registration, account_activate, partner_register
from accounts.tokens import activation_token_make
from billing.models import BankAccount
from billing.selectors import deposit_balance
from billing.services import (
    SANDBOX_BALANCE_CAP,
    deposit_sandbox_fund,
    topup_proof_upload,
    topup_request,
)
from connections.models import Connection
from connections.services import connection_create
from integration import services as integration_services
from integration.models import UatEvidence, UatRequest
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus, review_decide
from products import services as product_services
from products.models import PartnerProduct, Product
from profiles.forms import ProfileForm
from profiles.models import Credential, ProfileSubmission, document_kinds
from profiles.selectors import digest_ha1
from profiles.services import profile_save

DEMO_CODE = "MTRDEMO3"  # one of seed_demo's DEMO_PARTNER_CODES
OWNER_PHONE = "+6281100000001"
OWNER_EMAIL = "demo@mitra-sejahtera.test"
OWNER_PASSWORD = "Demo-Mitra-2026!"  # noqa: S105 - demo only; refused without DEBUG
DEMO_PASSWORDS = {
    Environment.DEVELOPMENT: "demo-dev-Sejahtera-2026",
    Environment.PRODUCTION: "demo-prod-Sejahtera-2026",
}
COMPANY = "PT Demo Mitra Sejahtera"
PROFILE = {
    "company_name": COMPANY,
    "business_form": "pt",
    "nib": "9120009876543",
    "npwp": "02.345.678.9-012.000",
    "address": "Jl. Gatot Subroto Kav. 52",
    "city": "Jakarta Selatan",
    "province": "DKI Jakarta",
    "postal_code": "12950",
    "phone": "021 5550 1234",
    "website": "demo-mitra-sejahtera.co.id",
    "full_name": "Rina Kartika",
    "position": "Direktur Utama",
    "nik": "3174015505900002",
    "tech_name": "Andi Pratama",
    "tech_email": "tech@demo-mitra-sejahtera.co.id",
    "tech_phone": "0813 1100 0001",
}
DEMO_ADDRESSES = ("127.0.0.1", "::1")
# Every active product of these categories is chosen (Development) ...
CHOSEN_CATEGORIES = (
    "listrik",
    "asuransi",
    "pdam",
    "telekomunikasi",
    "pulsa-prabayar",
    "uang-elektronik",
    "voucher-game",
)
# ... and these go all the way to Aktif (Production): PLN postpaid, PLN token 20rb, BPJS
# Kesehatan, Telkomsel 10rb, OVO 50rb.
LIVE_CODES = ("100301", "100312", "900001", "501021", "751031")
PRODUCTION_TOPUP = 5_000_000


def seed(stdout) -> None:
    if (
        not settings.DEBUG
    ):  # seed_demo checks too; the fixed passwords must never go live
        return
    reviewer = User.objects.filter(is_staff=True, partner__isnull=True).earliest("pk")
    owner = _owner()
    partner = owner.partner
    if partner.status != Partner.Status.ACTIVE:
        _approve_profile(partner, owner, reviewer)
        partner.refresh_from_db()
    credentials = _demo_passwords(partner, reviewer)
    _whitelist(partner, reviewer)
    _choose_products(partner, owner)
    _go_live(partner, owner, reviewer)
    _fund(partner, owner, reviewer)
    _print(stdout, partner, credentials)


# --- the partner ---------------------------------------------------------------------------


def _owner() -> User:
    """The demo partner's owner, found by the partner's fixed code (never by a phone number a
    real partner could hold): registered as every partner is, then given that code."""
    owner = User.objects.filter(partner__code=DEMO_CODE, is_owner=True).first()
    if owner is None:
        owner = partner_register(
            data=Registration(
                name=PROFILE["full_name"],
                kind=Partner.Kind.PERUSAHAAN,
                company_name=COMPANY,
                phone=OWNER_PHONE,
                email=OWNER_EMAIL,
                password=OWNER_PASSWORD,
            )
        )
        if owner is None:
            raise CommandError(
                f"Mitra demo tidak dapat dibuat: {OWNER_PHONE} atau {OWNER_EMAIL} sudah "
                "dipakai akun lain."
            )
        Partner.objects.filter(pk=owner.partner_id).update(code=DEMO_CODE)
        User.objects.filter(pk=owner.pk).update(username=DEMO_CODE.lower())
        owner = User.objects.select_related("partner").get(pk=owner.pk)
    if not owner.is_verified:
        account_activate(token=activation_token_make(owner))
        owner.refresh_from_db()
    return owner


def _png(name: str) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (236, 242, 250)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name=name)


def _approve_profile(partner: Partner, owner: User, reviewer: User) -> None:
    """Lengkapi Data + Simpan, then the reviewer approves: credentials are issued."""
    form = ProfileForm(PROFILE, partner_kind=partner.kind, submit=False)
    if not form.is_valid():
        raise ValueError(f"demo profile invalid: {form.errors.as_text()}")
    documents = {kind: _png(f"{kind}.png") for kind in document_kinds(partner.kind)}
    profile_save(
        partner=partner,
        actor=owner,
        data=form.profile_data(),
        documents=documents,
        submit=True,
    )
    submission = ProfileSubmission.objects.get(
        partner=partner, kind=ProfileSubmission.Kind.INITIAL
    )
    review_decide(subject=submission, approve=True, actor=reviewer)


def _demo_passwords(partner: Partner, reviewer: User) -> dict[str, Credential]:
    credentials = {c.environment: c for c in Credential.objects.filter(partner=partner)}
    for environment, credential in credentials.items():
        ha1 = digest_ha1(credential.username, DEMO_PASSWORDS[environment])
        if credential.ha1 != ha1:
            credential.ha1 = ha1
            credential.rotated_at = timezone.now()
            credential.save(update_fields=["ha1", "rotated_at"])
            audit_record(
                action="credential.demo_password_set",
                actor=reviewer,
                partner=partner,
                subject=credential,
                after={"username": credential.username},
            )
    return credentials


# --- Koneksi, Produk, Integrasi ------------------------------------------------------------


def _whitelist(partner: Partner, reviewer: User) -> None:
    for environment in Environment:
        for address in DEMO_ADDRESSES:
            exists = (
                Connection.objects.not_deleted()
                .filter(
                    partner=partner,
                    environment=environment,
                    address=address,
                    review_status=ReviewStatus.APPROVED,
                )
                .exists()
            )
            if not exists:
                connection_create(
                    partner=partner,
                    environment=environment,
                    address=address,
                    actor=reviewer,
                    approved=True,
                )


def _choose_products(partner: Partner, owner: User) -> None:
    products = Product.objects.filter(
        category__slug__in=CHOSEN_CATEGORIES, status=Product.Status.ACTIVE
    ).exclude(partner_products__partner=partner)
    if products.exists():
        product_services.partner_products_choose(
            partner=partner, products=products, actor=owner
        )


def _evidence(product: Product) -> dict[str, integration_services.Evidence]:
    Kind = UatEvidence.Kind
    files = {Kind.DOCUMENT, Kind.INQUIRY_SCREENSHOT, Kind.PAYMENT_SCREENSHOT}
    request = json.dumps(
        {"productID": product.code, "customerID": "530000000001", "referenceID": "UAT1"}
    )
    response = json.dumps({"rc": "00", "description": "Sukses"})
    evidence = {}
    for kind in integration_services.required_kinds(product):
        if kind in files:
            evidence[kind] = integration_services.Evidence(file=_png(f"{kind}.png"))
        else:
            text = request if kind.endswith("request") else response
            evidence[kind] = integration_services.Evidence(text=text)
    return evidence


def _go_live(partner: Partner, owner: User, reviewer: User) -> None:
    """UAT and Request Live of ``LIVE_CODES``, each approved by the reviewer."""
    State = PartnerProduct.State
    chosen = PartnerProduct.objects.filter(
        partner=partner, product__code__in=LIVE_CODES
    ).select_related("product")
    for row in chosen:
        if row.state == State.DEVELOPMENT:
            integration_services.uat_request_submit(
                partner=partner,
                product=row.product,
                evidence=_evidence(row.product),
                actor=owner,
            )
        uat = UatRequest.objects.filter(partner=partner, product=row.product).first()
        if uat is None:
            continue
        if uat.review_status == ReviewStatus.PENDING:
            review_decide(subject=uat, approve=True, actor=reviewer)
            uat.refresh_from_db()
        row.refresh_from_db()
        if row.state == State.UAT_APPROVED:
            live = integration_services.live_request_submit(
                uat_request=uat, actor=owner
            )
            review_decide(subject=live, approve=True, actor=reviewer)


# --- deposits ------------------------------------------------------------------------------


def _fund(partner: Partner, owner: User, reviewer: User) -> None:
    while (
        deposit_balance(partner=partner, environment=Environment.DEVELOPMENT)
        < SANDBOX_BALANCE_CAP
    ):
        deposit_sandbox_fund(partner=partner, actor=owner)
    if deposit_balance(partner=partner, environment=Environment.PRODUCTION) > 0:
        return
    bank = BankAccount.objects.filter(is_active=True).order_by("pk").first()
    if bank is None:
        bank = BankAccount.objects.create(
            bank="BCA", number="8800012345", holder="PT Web Open API Indonesia"
        )
    topup = topup_request(
        partner=partner, actor=owner, amount=PRODUCTION_TOPUP, bank_account=bank
    )
    topup_proof_upload(topup=topup, proof=_png("bukti-transfer.png"), actor=owner)
    review_decide(subject=topup, approve=True, actor=reviewer)


# --- what the README's curl session needs --------------------------------------------------


def _print(stdout, partner: Partner, credentials: dict[str, Credential]) -> None:
    dev = credentials[Environment.DEVELOPMENT]
    prod = credentials[Environment.PRODUCTION]
    values = {
        "API_URL": settings.SITE_URL,
        "DEV_USERNAME": dev.username,
        "DEV_PASSWORD": DEMO_PASSWORDS[Environment.DEVELOPMENT],
        "PROD_USERNAME": prod.username,
        "PROD_PASSWORD": DEMO_PASSWORDS[Environment.PRODUCTION],
        "MITRA": dev.mitra,
        "ACCOUNT_ID": dev.account_id,
        "MERCHANT_ID": dev.merchant_id,
        "MERCHANT_NAME": dev.merchant_name,
        "COUNTER_ID": dev.counter_id,
        "PROD_ACCOUNT_ID": prod.account_id,
        "PROD_MERCHANT_ID": prod.merchant_id,
    }
    login_line(
        stdout,
        f"Mitra demo {partner.name} ({partner.code}): login portal {OWNER_PHONE} "
        f"password {OWNER_PASSWORD}. Kredensial Open API (lihat README.md, bagian curl):",
    )
    for name, value in values.items():
        login_line(stdout, f"{name}={shlex.quote(str(value))}")
