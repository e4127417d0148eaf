"""Demo data: a Keuangan and a Laporan user for every active demo partner, once."""

import io

from accounts.models import Partner, User
from accounts.tests.factories import PartnerFactory, UserFactory
from usermgmt import demo
from usermgmt.rights import ROLES, role_of


def test_seed_adds_two_sub_users_per_active_demo_partner_once(
    owner, demo_partner, outsider
):
    UserFactory(partner=PartnerFactory(status=Partner.Status.PENDING))

    demo.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)

    users = User.objects.filter(partner=owner.partner, is_owner=False)
    assert sorted(role_of(user.access_rights) for user in users) == [
        "keuangan",
        "laporan",
    ]
    assert all(user.check_password(demo.DEMO_PASSWORD) for user in users)
    assert users.count() == 2
    assert User.objects.filter(is_owner=False).count() == 2
    assert "0 sub-user demo dibuat" in out.getvalue()
    assert not User.objects.filter(partner=outsider.partner, is_owner=False).exists()
    assert ROLES["keuangan"][1] in [user.access_rights for user in users]
