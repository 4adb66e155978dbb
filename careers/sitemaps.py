sitemaps = {}
