"""Reads INI texts as botocore reads ~/.aws files: JSON list of texts on stdin, JSON list of
results on stdout. Each text is written to a file that botocore.configloader.raw_config_parse
reads (configparser.RawConfigParser, universal newlines, then botocore's own parsing of indented
sub-settings); configparser's view of each section's own keys comes with it."""
import configparser
import io
import json
import os
import sys
import tempfile

import botocore.configloader
import botocore.exceptions


def first_error_line(error):
    if getattr(error, "lineno", None) is not None:
        return error.lineno
    errors = getattr(error, "errors", None)
    return errors[0][0] if errors else None


def read(text, folder):
    parser = configparser.RawConfigParser()
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogatepass")), encoding="utf-8")
    try:
        parser.read_file(stream, "<text>")
    except configparser.Error as error:
        return {"error": type(error).__name__, "line": first_error_line(error)}
    path = os.path.join(folder, "config")
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    try:
        profiles = botocore.configloader.build_profile_map(botocore.configloader.raw_config_parse(path))["profiles"]
    except botocore.exceptions.ConfigParseError:
        # botocore's sub-setting reader names no line.
        return {"error": "ConfigParseError", "line": None}
    return {
        "profiles": {
            name: {key: value if isinstance(value, str) else None for key, value in values.items()}
            for name, values in profiles.items()
        },
        # What botocore returns with parse_subsections=False: DEFAULT's keys in every section.
        "sections": {
            name: {option: parser.get(name, option) for option in parser.options(name)}
            for name in parser.sections()
        },
        "own": {name: dict(parser._sections[name]) for name in parser.sections()},
        "defaults": dict(parser.defaults()),
    }


with tempfile.TemporaryDirectory() as folder:
    json.dump([read(text, folder) for text in json.load(sys.stdin)], sys.stdout)
