from rest_framework.views import APIView

from openapi import gateway, services


class OpenApiView(APIView):
    """One Open API path. Authentication, IP checks and logging are the gateway's, not DRF's."""

    authentication_classes: list = []
    permission_classes: list = []
    handler = None
    needs_session = True

    def post(self, request):
        return gateway.handle(
            request._request, type(self).handler, needs_session=self.needs_session
        )

    # GET answers the Digest challenge, so that a client can fetch a nonce first.
    get = post


def _view(handler, *, needs_session: bool = True, name: str = ""):
    return type(
        name,
        (OpenApiView,),
        {"handler": staticmethod(handler), "needs_session": needs_session},
    ).as_view()


sign_on = _view(services.sign_on, needs_session=False, name="SignOnView")
inquiry = _view(services.inquiry, name="InquiryView")
payment = _view(services.payment, name="PaymentView")
single_payment = _view(services.single_payment, name="SinglePaymentView")
check_status = _view(services.check_status, needs_session=False, name="CheckStatusView")
pulsa_prices = _view(services.pulsa_prices, name="PulsaPrabayarView")
price_by_product = _view(services.price_by_product, name="HargaByProductView")
deposit = _view(services.deposit, name="DepositView")
active_product = _view(services.active_product, name="ActiveProductView")
product_list = _view(services.product_list, name="ProductListView")
