"""Usernames are set by the system: <partner code>.<n>, unique, never handed out twice."""

from accounts.tests.factories import PartnerFactory, UserFactory
from usermgmt import services
from usermgmt.models import TeamSettings
from usermgmt.rights import ROLES
from usermgmt.tests.conftest import NEW_PASSWORD


def _add(owner, n: int):
    return services.sub_user_create(
        actor=owner,
        name=f"User {n}",
        email=f"user{n}@majujaya.test",
        phone=f"+6281399990{n:03d}",
        password=NEW_PASSWORD,
        rights=ROLES["laporan"][1],
    )


def test_usernames_count_up_from_the_partner_code(owner):
    prefix = owner.partner.code.lower()

    names = [_add(owner, n).username for n in range(1, 4)]

    assert names == [f"{prefix}.1", f"{prefix}.2", f"{prefix}.3"]


def test_a_deleted_users_number_is_never_given_again(owner):
    prefix = owner.partner.code.lower()
    first, second = _add(owner, 1), _add(owner, 2)

    services.sub_user_delete(actor=owner, user=second)
    third = _add(owner, 3)
    services.sub_user_delete(actor=owner, user=first)
    fourth = _add(owner, 4)

    assert third.username == f"{prefix}.3"
    assert fourth.username == f"{prefix}.4"
    assert TeamSettings.objects.get(partner=owner.partner).last_username_number == 4


def test_each_partner_counts_on_its_own(owner):
    other_owner = UserFactory(partner=PartnerFactory(code="MTR77777"))

    mine = _add(owner, 1)
    theirs = services.sub_user_create(
        actor=other_owner,
        name="Orang Lain",
        email="lain@mitra.test",
        phone="+6281377776666",
        password=NEW_PASSWORD,
        rights=ROLES["laporan"][1],
    )

    assert mine.username.endswith(".1")
    assert theirs.username == "mtr77777.1"


def test_a_username_already_taken_is_skipped(owner):
    prefix = owner.partner.code.lower()
    UserFactory(partner=owner.partner, is_owner=False, username=f"{prefix}.1")

    assert _add(owner, 1).username == f"{prefix}.2"
    assert services.username_preview(partner=owner.partner) == f"{prefix}.3"
