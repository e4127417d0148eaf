from portal.lib.navigation import home_url, sidebar_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.partner_id is None:
        return {}
    return {"sidebar": sidebar_items(request), "home_url": home_url(user)}
