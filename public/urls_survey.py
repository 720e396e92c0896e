from django.urls import path

from public.views import survey

app_name = "survey"

urlpatterns = [
    path("terima-kasih/", survey.thanks, name="thanks"),
    path("<str:token>/", survey.answer, name="answer"),
]
