"""Refuse SVG pictures that could run code or load anything from outside the picture.

Fixture pictures are copied into media and served from the site's own origin, where a
<script> or an onload= in an SVG opened on its own would run with the site's cookies.
"""

import re
import xml.etree.ElementTree as ET

# url(...) that points anywhere but an element of the same picture, e.g. url(#arrow-head).
EXTERNAL_URL = re.compile(r"""url\(\s*(?!['"]?#)""", re.IGNORECASE)
IMPORT = re.compile(r"@import", re.IGNORECASE)


def svg_problem(data):
    """Say what makes this SVG unsafe ("carries a script (<script>)"), or return None."""
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return "declares a DOCTYPE or entities (not allowed in pictures)"
    if re.search(rb"<\?xml-stylesheet", data, re.IGNORECASE):
        return "links an outside style sheet (<?xml-stylesheet?>)"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return f"is not a well-formed SVG ({error})"
    if _local(root.tag) != "svg":
        return "is not an SVG picture (its first element is not <svg>)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem
    return None


def _element_problem(element):
    tag = _local(element.tag)
    if tag.lower() == "script":
        return "carries a script (<script>)"
    if tag.lower() == "foreignobject":
        return "carries HTML inside the picture (<foreignObject>)"
    if tag.lower() == "style" and _external_css(element.text or ""):
        return "loads a style from outside the picture (url() or @import in <style>)"
    for key, value in element.attrib.items():
        name = _local(key).lower()
        if name.startswith("on"):
            return f"has an event handler ({_local(key)}=…), which runs a script"
        if name == "href" and not value.strip().startswith("#"):
            return f"refers to something outside the picture ({_local(key)}=“{value[:60]}”)"
        if _external_css(value):
            return f"loads something from outside the picture ({_local(key)}=“{value[:60]}”)"
    # <set attributeName="href" to="javascript:…"> rewrites a link or handler when it plays.
    animated = element.attrib.get("attributeName", "").lower().split(":")[-1]
    if tag in ("set", "animate") and (animated == "href" or animated.startswith("on")):
        return f"animates a link or event handler (<{tag} attributeName=…>)"
    return None


def _external_css(text):
    return bool(EXTERNAL_URL.search(text) or IMPORT.search(text))


def _local(name):
    return name.rsplit("}", 1)[-1]
