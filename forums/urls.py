from django.urls import path

from .views import follows, moderation, posts, profile, search, topics

app_name = "forums"

urlpatterns = [
    path("", topics.forums_home, name="home"),
    path("search/", search.search, name="search"),
    path("suggest/", search.suggest, name="suggest"),
    path("new/", topics.topic_new, name="topic_new"),
    path("profile/", profile.profile, name="profile"),
    path("c/<slug:slug>/", topics.category_detail, name="category"),
    path("c/<slug:slug>/follow/", follows.category_follow, name="category_follow"),
    path("t/<int:pk>/", topics.topic_detail, name="topic"),
    path("t/<int:pk>/reply/", topics.topic_reply, name="topic_reply"),
    path("t/<int:pk>/accept/", topics.answer_accept, name="answer_accept"),
    path("t/<int:pk>/follow/", follows.topic_follow, name="topic_follow"),
    path("posts/<int:pk>/", posts.post_link, name="post"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", posts.post_history, name="post_history"),
    path("posts/<int:pk>/flag/", posts.post_flag, name="post_flag"),
    path("unsubscribe/<str:token>/", follows.unsubscribe, name="unsubscribe"),
    path("moderation/", moderation.moderation_home, name="moderation"),
    path("moderation/posts/<int:pk>/", moderation.post_moderate, name="post_moderate"),
    path("moderation/posts/<int:pk>/suspend/", moderation.member_suspend, name="member_suspend"),
    path("moderation/topics/<int:pk>/", moderation.topic_moderate, name="topic_moderate"),
]
