"""Build the message templates or a translated edition of the book, strictly, beside the English one.

    python _ext/build_editions.py gettext   # _build/gettext/<docname>.pot (+ course.pot)
    python _ext/build_editions.py ru        # _build/html/ru/ (the Russian edition)

Run after the English build (`jupyter-book build .`, which makes `_build/html` and the notebook
execution cache `_build/.jupyter_cache`). Both reuse that cache, so no notebook runs twice; each has
its own Sphinx environment (`_build/.doctrees-<target>`), so all three builds stay incremental.
Jupyter Book's own configuration reader turns `_config.yml` into Sphinx settings, exactly as
`jupyter-book build` does; only the language, the output folder and the shared cache differ.
``--source``/``--build-dir`` let tests and benchmarks build a copy of the book elsewhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TRANSLATIONS = ("ru",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=["gettext", *TRANSLATIONS])
    parser.add_argument("--source", default=".", help="the book's folder (holds _config.yml)")
    parser.add_argument(
        "--build-dir", help="the English build's _build folder (default: SOURCE/_build)"
    )
    parser.add_argument("--fresh", action="store_true", help="ignore the saved Sphinx environment")
    args = parser.parse_args(argv)
    source = Path(args.source).resolve()
    build = Path(args.build_dir).resolve() if args.build_dir else source / "_build"
    if not (source / "_config.yml").is_file():
        print(f"error: no _config.yml in {source}", file=sys.stderr)
        return 2
    # jsonschema (imported by Jupyter Book's config reader) builds 39 lark grammars when the
    # optional rfc3987_syntax is installed (a Jupyter server dependency): 2-4 s per build, for an
    # "iri" format check that _config.yml never uses. Without it jsonschema skips that check.
    sys.modules.setdefault("rfc3987_syntax", None)
    from jupyter_book.sphinx import build_sphinx

    overrides = {
        "external_toc_path": (source / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "course_build_dir": str(build),
    }
    if args.target == "gettext":
        outdir, builder = build / "gettext", "gettext"
    else:
        outdir, builder = build / "html" / args.target, "html"
        overrides["language"] = args.target
    result = build_sphinx(
        source,
        outdir,
        noconfig=True,
        path_config=str(source / "_config.yml"),
        confoverrides=overrides,
        doctreedir=build / f".doctrees-{args.target}",
        builder=builder,
        warningiserror=True,
        keep_going=True,
        freshenv=args.fresh,
    )
    if isinstance(result, BaseException) or result:
        print(f"error: the {args.target} build failed (see the warnings above)", file=sys.stderr)
        return 1
    print(f"{args.target}: {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
