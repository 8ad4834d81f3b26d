from bench.bare import urlpatterns_with_bare
from config.urls import urlpatterns as project

urlpatterns = urlpatterns_with_bare(project)
