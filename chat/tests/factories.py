import factory

from accounts.tests.factories import UserFactory, totp_enroll
from chat.models import Chat, ChatMessage
from support.permissions import console_groups_ensure


class AgentFactory(UserFactory):
    email = factory.Sequence(lambda n: f"agent{n}@support.example")
    is_staff = True

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff cannot open the agent pages without one (issue 15): enrolled unless False."""
        if create and extracted is not False:
            totp_enroll(self)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            # The real groups with their console permissions (a test flush may have removed them).
            self.groups.add(console_groups_ensure()[extracted or "agent"])


class ChatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chat

    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    chat = factory.SubFactory(ChatFactory)
    sender = ChatMessage.Sender.CUSTOMER
    body = "Hello"
