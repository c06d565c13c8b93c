from django.urls import path

from .views import console

app_name = "support"

urlpatterns = [
    path("", console.dashboard, name="dashboard"),
    path("search/", console.search, name="search"),
    path("accounts/<str:account_id>/", console.account_detail, name="account"),
    path("accounts/<str:account_id>/reset-email/", console.account_reset_email, name="account_reset_email"),
    path("accounts/<str:account_id>/sign-out/", console.account_sign_out, name="account_sign_out"),
    path("accounts/<str:account_id>/licence/", console.account_license, name="account_license"),
    path("accounts/<str:account_id>/close/", console.account_close, name="account_close"),
    path("accounts/<str:account_id>/owner-proof/", console.account_owner_proof, name="account_owner_proof"),
    path("tickets/<int:pk>/owner-proof/", console.ticket_owner_proof, name="ticket_owner_proof"),
    path("tickets/", console.ticket_list, name="tickets"),
    path("tickets/<int:pk>/", console.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", console.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/note/", console.ticket_note, name="ticket_note"),
    path("tickets/<int:pk>/update/", console.ticket_update, name="ticket_update"),
    path("articles/", console.article_list, name="articles"),
    path("articles/<int:pk>/feedback/", console.article_feedback, name="article_feedback"),
    path("audit/", console.audit_log, name="audit"),
]
