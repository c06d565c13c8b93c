"""Owner proofs made through the real services: an account's unlocked app, and an approved proof.

Other apps' tests (support, chat) use these to give an agent a proof in one conversation.
"""

from dataclasses import dataclass

from accounts.models import Account, Device, User
from accounts.tests.factories import DeviceFactory, UserFactory, VerifierFactory
from proofs.models import OwnerProof
from proofs.services import proof_approve_app, proof_request
from support.permissions import console_groups_ensure
from vaultclient import crypto

ACCOUNT_KEY = b"A" * 32
OTHER_KEY = b"B" * 32  # a key that is not the account's: what a stolen device token has at best


@dataclass
class App:
    """One signed-in, verified app of an account, with the account key it unlocked."""

    account: Account
    device: Device
    account_key: bytes = ACCOUNT_KEY

    def sign(self, proof: OwnerProof, *, key: bytes | None = None, code: str | None = None) -> str:
        """The approval this app sends for `proof` (with another `key`: a forgery)."""
        return crypto.support_proof_sign(
            account_key=key or self.account_key,
            account_id=self.account.account_id,
            proof_id=str(proof.public_id),
            code=proof.short_code if code is None else code,
            device_uid=self.device.device_uid,
        )

    def approve(self, proof: OwnerProof) -> OwnerProof:
        """Approve `proof` the way the reference client does (the code it shows, signed)."""
        proof.refresh_from_db()
        return proof_approve_app(
            device=self.device,
            proof_id=str(proof.public_id),
            code=proof.short_code,
            signature=self.sign(proof),
        )


def app_for(account: Account, *, name: str = "Pixel 8", account_key: bytes = ACCOUNT_KEY) -> App:
    """Give `account` a live verifier of `account_key` and a verified app called `name`."""
    VerifierFactory(account=account, public_key=crypto.verifier_public(account_key))
    return App(account=account, device=DeviceFactory(account=account, name=name), account_key=account_key)


def staff(email: str, group: str = "agent") -> User:
    """Console staff in `group`, with the second factor staff need."""
    user = UserFactory(email=email, is_staff=True, second_factor=True)
    user.groups.add(console_groups_ensure()[group])
    return user


def proof_approved(*, app: App, agent: User, kind: str, ref) -> OwnerProof:
    """`agent` asks in one conversation and the customer approves from `app` (the real services)."""
    proof = proof_request(account=app.account, agent=agent, conversation_kind=kind, conversation_ref=str(ref))
    assert proof.method == OwnerProof.Method.APP
    return app.approve(proof)
