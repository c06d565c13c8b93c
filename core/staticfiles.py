"""Static files in production: WhiteNoise's compressed copies under content-hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, without rewriting references inside JavaScript.

    Django's only JavaScript rule resolves `//# sourceMappingURL=…` comments, and collectstatic
    stops on a map it cannot find. The vendored libraries (static/vendor/, copied from npm by
    `make vendor` and the Dockerfile) name `zxcvbn-ts.js.map`, which is not shipped: the comment
    stays as it is (only a browser's developer tools ask for it). Stylesheets are still rewritten.
    """

    patterns = tuple(
        (glob, rules) for glob, rules in CompressedManifestStaticFilesStorage.patterns if glob != "*.js"
    )
