"""seed_demo's part: the demo partner may call both environments from this machine."""

import io

from connections import demo
from connections.models import Connection
from connections.selectors import ip_allowed, whitelist_entries


def test_demo_whitelists_loopback_once(demo_partner, staff, outsider):
    partner = demo_partner
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    assert Connection.objects.filter(partner=partner).count() == 4
    for environment in ("development", "production"):
        for ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            assert ip_allowed(
                ip=ip,
                entries=whitelist_entries(partner=partner, environment=environment),
            )
    assert not Connection.objects.filter(partner=outsider.partner).exists()
