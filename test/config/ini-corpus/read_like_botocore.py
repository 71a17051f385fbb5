"""Reads INI texts as botocore.configloader.raw_config_parse does: JSON list of texts on stdin,
JSON list of results on stdout. Each text goes through a text-mode stream (universal newlines,
UTF-8) into configparser.RawConfigParser() with its defaults, exactly botocore's reader."""
import configparser
import io
import json
import sys


def first_error_line(error):
    if getattr(error, "lineno", None) is not None:
        return error.lineno
    errors = getattr(error, "errors", None)
    return errors[0][0] if errors else None


def read(text):
    parser = configparser.RawConfigParser()
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogatepass")), encoding="utf-8")
    try:
        parser.read_file(stream, "<text>")
    except configparser.Error as error:
        return {"error": type(error).__name__, "line": first_error_line(error)}
    return {
        # What botocore returns (with parse_subsections=False): DEFAULT's keys in every section.
        "sections": {
            name: {option: parser.get(name, option) for option in parser.options(name)}
            for name in parser.sections()
        },
        "own": {name: dict(parser._sections[name]) for name in parser.sections()},
        "defaults": dict(parser.defaults()),
    }


json.dump([read(text) for text in json.load(sys.stdin)], sys.stdout)
