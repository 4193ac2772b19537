"""Production static storage for ``make bench``, minus source-map rewriting.

``static/vendor/chartjs/chart.umd.min.js`` names a source map that is not shipped, so the production
storage's post-processing stops ``collectstatic`` under DEBUG off (reported to the lead). The benchmark
keeps everything else of the production storage (hashed, compressed files served by whitenoise).
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class BenchStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for glob, rules in ManifestStaticFilesStorage.patterns
    )
