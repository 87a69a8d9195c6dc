"""Reading a BPMN document: the namespaces, a parse that refuses DTDs, entities and oversized
input, the reader of our ``gs:`` attributes and the list of problems found in a flow, keyed
by the element each concerns.

It only reads; what a flow may hold is checked in ``flow_engine.definition_elements`` and
``flow_engine.definition_tasks``.
"""

from __future__ import annotations

from lxml import etree

from engine_errors import ValidationError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
GS_NS = "urn:greenshelf:bpmn:1"
MAX_XML_BYTES = 2_000_000


class Problems:
    """What is wrong with a flow, by element id; raised all at once when the checks are done."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            where, messages = next(iter(self.errors.items()))
            raise ValidationError(
                f"This flow cannot be deployed: {where}: {messages[0]}", self.errors
            )


def local_name(element) -> str:
    """The element's tag without its namespace."""
    return etree.QName(element).localname


def gs_attribute(element, name: str) -> str | None:
    """The element's ``gs:<name>`` setting, stripped, or None when it is absent."""
    value = element.get(f"{{{GS_NS}}}{name}")
    return value.strip() if value is not None else None


def owner_id(element) -> str | None:
    """The id of the element or of the nearest enclosing element that has one."""
    while element is not None and not element.get("id"):
        element = element.getparent()
    return element.get("id") if element is not None else None


def parse_xml(xml: str | bytes):
    """The XML as an element tree, refusing DTDs, entities and oversized documents."""
    data = xml.encode() if isinstance(xml, str) else xml
    if len(data) > MAX_XML_BYTES:
        raise ValidationError(f"The BPMN document is larger than {MAX_XML_BYTES} bytes.")
    if b"<!doctype" in data.lower():
        raise ValidationError("A BPMN document must not declare a DOCTYPE.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(f"This is not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise ValidationError("A BPMN document must not declare a DOCTYPE.")
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise ValidationError("This is not a BPMN 2.0 document (no bpmn:definitions root).")
    return root
