import secrets

import factory

from accounts.tests.factories import AccountFactory
from support.models import Article, ArticleCategory, Ticket, TicketMessage
from support.tokens import reply_token_hash, reply_token_make


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"asker{n}@example.com")
    subject = factory.Sequence(lambda n: f"Question {n}")
    category = Ticket.Category.OTHER
    reply_nonce = factory.LazyFunction(lambda: secrets.token_hex(16))

    @factory.post_generation
    def reply_token(self, create, extracted, **kwargs):
        """Like ticket_create: the ticket's reply address is findable by its token's hash."""
        if create:
            token = reply_token_make(ticket_id=self.pk, reply_nonce=self.reply_nonce)
            Ticket.objects.filter(pk=self.pk).update(reply_token_hash=reply_token_hash(token))
            self.reply_token_hash = reply_token_hash(token)

    @factory.post_generation
    def message(self, create, extracted, **kwargs):
        if create:
            TicketMessage.objects.create(
                ticket=self,
                kind=TicketMessage.Kind.CUSTOMER,
                body=extracted or "I need help with my account.",
            )


class ArticleCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    category = factory.SubFactory(ArticleCategoryFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    body = "First paragraph.\n\nSecond paragraph."

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        """Index the article for search, as `article_save` does."""
        if create:
            from support.search import index_articles

            index_articles([obj.pk])


__all__ = ["AccountFactory", "ArticleCategoryFactory", "ArticleFactory", "TicketFactory"]
