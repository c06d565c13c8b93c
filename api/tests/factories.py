import factory

from accounts.tests.factories import DeviceFactory
from api.authentication import device_token_hash
from api.models import OwnershipChallenge


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnershipChallenge

    device = factory.SubFactory(DeviceFactory, authorized_at=None)


def device_with_token(token: str = "test-device-token", **kwargs):
    """A device whose bearer token is `token`."""
    return DeviceFactory(token_hash=device_token_hash(token), **kwargs)
