import factory
from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from chat.models import Chat, ChatMessage


class AgentFactory(UserFactory):
    email = factory.Sequence(lambda n: f"agent{n}@support.example")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=extracted or "agent")
            self.groups.add(group)


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
