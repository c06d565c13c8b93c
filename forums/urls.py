from django.urls import path

from . import moderation_views, views

app_name = "forums"

urlpatterns = [
    path("", views.forums_home, name="home"),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("new/", views.topic_new, name="topic_new"),
    path("profile/", views.profile, name="profile"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/follow/", views.category_follow, name="category_follow"),
    path("t/<int:pk>/", views.topic_detail, name="topic"),
    path("t/<int:pk>/reply/", views.topic_reply, name="topic_reply"),
    path("t/<int:pk>/accept/", views.answer_accept, name="answer_accept"),
    path("t/<int:pk>/follow/", views.topic_follow, name="topic_follow"),
    path("posts/<int:pk>/", views.post_link, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/", moderation_views.moderation_home, name="moderation"),
    path("moderation/posts/<int:pk>/", moderation_views.post_moderate, name="post_moderate"),
    path("moderation/posts/<int:pk>/suspend/", moderation_views.member_suspend, name="member_suspend"),
    path("moderation/topics/<int:pk>/", moderation_views.topic_moderate, name="topic_moderate"),
]
