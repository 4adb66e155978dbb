from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from accounts.admin.autocomplete import staff_autocomplete_view
from accounts.admin.home import staff_index
from trainingcenter import bench, languages, views
from trainingcenter.sitemaps import sitemaps

# Staff sign in through allauth: same rate limits and MFA as everyone else.
admin.site.login = secure_admin_login(admin.site.login)
# The admin index is the staff home: what needs doing today, charts, reports.
admin.site.index = staff_index(admin.site.index)
admin.site.site_header = f"{settings.SCHOOL_NAME} administration"
admin.site.site_title = settings.SCHOOL_NAME
admin.site.index_title = "Staff home"
# Search-as-you-type choices labelled with what staff choose by (see the module).
admin.site.autocomplete_view = staff_autocomplete_view(admin.site)

# Not translated: the staff admin, machine-read files, uploads, the language switch.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("language/<str:code>/", languages.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    # Public uploads (campus photos, program images). Private evidence is never here.
    re_path(r"^media/(?P<path>.*)$", views.public_media, name="media"),
]

# Every page people read, in every language: English where it always was (/programs/),
# Spanish under /es/ (/es/programs/). A new page belongs here.
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("programs.urls")),
    path("search/", include("careers.search_urls")),
    path("careers/", include("careers.urls")),
    path("portal/", include("accounts.urls")),
    path("apply/", include("accounts.apply_urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)

# `make bench` only (off unless DJANGO_BENCH_BARE_VIEW=1): see trainingcenter/bench.py.
urlpatterns += bench.urlpatterns

handler400 = "trainingcenter.errors.bad_request"
handler403 = "trainingcenter.errors.permission_denied"
handler404 = "trainingcenter.errors.page_not_found"
handler500 = "trainingcenter.errors.server_error"
