import pytest


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Make a request and send the emails it queued, as a commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def receiver():
    """A partner's callback server on 127.0.0.1 (set ``receiver.secret`` first)."""
    from connections.tests.receiver import Receiver

    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(partner, receiver):
    """The owner's Development callback pointing at ``receiver``, which knows the secret."""
    from connections.tests.factories import CallbackEndpointFactory

    created = CallbackEndpointFactory(partner=partner, url=receiver.url)
    receiver.secret = created.secret
    return created
