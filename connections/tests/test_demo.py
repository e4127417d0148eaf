"""seed_demo's part: the demo partner may call both environments from this machine."""

import io

from connections import demo
from connections.models import Connection
from connections.selectors import ip_allowed


def test_demo_whitelists_loopback_once(demo_partner, staff, outsider):
    partner = demo_partner
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    assert Connection.objects.filter(partner=partner).count() == 4
    for environment in ("development", "production"):
        for ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            assert ip_allowed(partner=partner, environment=environment, ip=ip)
    assert not Connection.objects.filter(partner=outsider.partner).exists()
