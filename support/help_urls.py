from django.urls import path

from .views import help

app_name = "help"

urlpatterns = [
    path("", help.help_home, name="home"),
    path("search/", help.article_search, name="search"),
    path("categories/<slug:slug>/", help.category_detail, name="category"),
    path("articles/<slug:slug>/", help.article_detail, name="article"),
    path("articles/<slug:slug>/vote/", help.article_vote, name="article_vote"),
    path("contact/", help.ticket_new, name="ticket_new"),
    path("contact/sent/", help.ticket_sent, name="ticket_sent"),
    path("requests/", help.my_requests, name="my_requests"),
    path("tickets/<int:pk>/", help.ticket_view, name="ticket"),
    path("tickets/<int:pk>/close/", help.ticket_close, name="ticket_close"),
    path("tickets/<int:pk>/link/<str:token>/", help.ticket_link, name="ticket_link"),
]
