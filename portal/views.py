from django.shortcuts import render

from portal.lib.access import Menu, partner_required


@partner_required(Menu.DASHBOARD)
def dashboard(request):
    partner = request.partner
    return render(
        request,
        "portal/dashboard.html",
        {
            "partner": partner,
            "profile_incomplete": partner.status == partner.Status.INCOMPLETE,
        },
    )
