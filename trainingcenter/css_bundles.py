"""The site's stylesheets: one minified bundle per kind of page, built at install time.

Each bundle is Bootstrap (the parts the site uses, compiled from the vendored Sass by
libsass) followed by the site's own CSS files (assets/css/, minified by rcssmin), in the
cascade order they always had. Templates pick a bundle with base.html's ``css_bundle``
block. The output is build output: written under ``settings.CSS_BUNDLE_ROOT`` (a
STATICFILES_DIRS entry that git ignores), never committed.
"""

from pathlib import Path

from django.conf import settings

ASSETS = Path(settings.BASE_DIR) / "assets"
BOOTSTRAP_SCSS = ASSETS / "vendor" / "bootstrap-scss" / "scss"
BOOTSTRAP_ENTRY = ASSETS / "scss" / "_bootstrap.scss"
SITE_CSS = ASSETS / "css"
BANNER = "/*! Bootstrap v5.3.8 (https://getbootstrap.com/), MIT License (parts) */\n"

# Bundle name -> the site's CSS files after Bootstrap. site.css is the shared part (header,
# footer, forms, messages); the portal's CSS is only in the portal and apply bundles.
BUNDLES = {
    "base": ("site.css",),
    "public": ("site.css", "programs.css", "careers.css"),
    "portal": ("site.css", "programs.css", "portal.css"),
    "apply": ("site.css", "programs.css", "portal.css", "apply.css"),
}


def bundle_path(name):
    """The static path of a bundle, as templates pass it to {% static %}."""
    return f"bundles/{name}.css"


def compile_bootstrap():
    import sass

    css = sass.compile(
        filename=str(BOOTSTRAP_ENTRY),
        include_paths=[str(BOOTSTRAP_SCSS)],
        output_style="compressed",
        precision=6,
    )
    return BANNER + css.strip() + "\n"


def minify_site_css(filename):
    import rcssmin

    return rcssmin.cssmin((SITE_CSS / filename).read_text(encoding="utf-8")).strip() + "\n"


def render_bundles():
    """{name: css text} for every bundle; pure, deterministic."""
    bootstrap = compile_bootstrap()
    parts = {f: minify_site_css(f) for files in BUNDLES.values() for f in files}
    return {name: bootstrap + "".join(parts[f] for f in files) for name, files in BUNDLES.items()}


def build_bundles(root=None):
    """Write the bundles under root (default CSS_BUNDLE_ROOT); return the names of the
    files that changed. A file whose content is already right is not touched."""
    out = Path(root or settings.CSS_BUNDLE_ROOT) / "bundles"
    out.mkdir(parents=True, exist_ok=True)
    bundles = render_bundles()
    changed = []
    for name, css in bundles.items():
        path = out / f"{name}.css"
        data = css.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(name)
    for stale in out.glob("*.css"):
        if stale.stem not in bundles:
            stale.unlink()
    return changed
