"""Use cases on flow definitions: create one for a form, deploy BPMN or a simple-designer tree
as a new immutable version, list and read versions.

Deploying validates against the form's current published version and the tenant's roles
and users; a version, once written, is never changed (running instances stay on theirs).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.auth.scope import Scope
from app.errors import Conflict, NotFound, ValidationError
from app.flows.people import ScopeDirectory
from app.flows.service_runs import action_catalogue
from app.forms.forms import compiled
from app.keys import free_key
from app.models import FlowDefinition, FlowVersion, Form
from flow_engine import assignment
from flow_engine.definitions import Catalogue, Definition, FormFacts, validate
from flow_engine.simple_designer import compile_tree


def list_flows(scope: Scope, form_id: int | None = None) -> list[FlowDefinition]:
    stmt = scope.select(FlowDefinition).order_by(FlowDefinition.id)
    if form_id is not None:
        stmt = stmt.where(FlowDefinition.form_id == form_id)
    return list(scope.session.scalars(stmt))


def create_flow(scope: Scope, data: dict, language: str = "zh") -> FlowDefinition:
    scope.get(Form, data["form_id"], "form")
    key = data.get("key") or free_key(scope, FlowDefinition, data["name"], language, "flow")
    taken = scope.session.scalar(scope.select(FlowDefinition).where(FlowDefinition.key == key))
    if taken is not None:
        raise Conflict("This flow key is taken.", {"key": ["Already in use."]})
    flow = scope.add(FlowDefinition(key=key, name=data["name"], form_id=data["form_id"]))
    scope.session.commit()
    return flow


def update_flow(scope: Scope, flow_id: int, data: dict) -> FlowDefinition:
    flow = scope.get(FlowDefinition, flow_id, "flow")
    if "name" in data:
        flow.name = data["name"]
    scope.session.commit()
    return flow


def _facts(scope: Scope, flow: FlowDefinition) -> tuple[FormFacts, int]:
    form, form_c = compiled(scope, flow.form_id)
    user_fields = frozenset(k for k, f in form_c.fields.items() if f["type"] == "user")
    return FormFacts(form.key, dict(form_c.expression_types), user_fields), form_c.version


def _check_users(directory: ScopeDirectory, definition: Definition) -> None:
    problems: dict[str, list[str]] = {}
    for node_id, node in definition.nodes.items():
        if not node.get("assignee"):
            continue
        refs = {r.value for r in assignment.parse(node["assignee"]) if r.kind == "user"}
        missing = refs - set(directory.user_ids(refs))
        if missing:
            problems[node_id] = [f"No active user '{ref}'." for ref in sorted(missing)]
    if problems:
        node_id, messages = next(iter(problems.items()))
        raise ValidationError(f"This flow cannot be deployed: {node_id}: {messages[0]}", problems)


def _tree_path(paths: dict[str, str], where: str) -> str:
    """A BPMN error key ("approve_1" or "action_2.inputs.form") as the tree's path."""
    node, dot, rest = where.partition(".")
    return paths[node] + dot + rest if node in paths else paths.get(where, where)


def _deploy(scope: Scope, flow: FlowDefinition, xml: str, tree: dict | None, paths=None):
    facts, form_version = _facts(scope, flow)
    directory = ScopeDirectory(scope)
    try:
        catalogue = Catalogue(roles=directory.role_codes(), **action_catalogue(scope))
        definition = validate(xml, facts, catalogue)
        _check_users(directory, definition)
    except ValidationError as exc:
        if paths:  # point the designer at its own nodes, not at generated BPMN ids
            exc.errors = {_tree_path(paths, k): v for k, v in exc.errors.items()}
        raise
    number = (flow.latest_version or 0) + 1
    version = scope.add(
        FlowVersion(
            definition_id=flow.id,
            version=number,
            process_id=definition.process_id,
            bpmn_xml=xml,
            tree=tree,
            spec=definition.spec,
            nodes=definition.nodes,
            form_version=form_version,
            deployed_by=scope.user.id if scope.user else None,
        )
    )
    flow.latest_version = number
    try:
        scope.session.commit()
    except IntegrityError:
        scope.session.rollback()
        raise Conflict("Another version was deployed at the same moment; deploy again.") from None
    return version


def deploy_bpmn(scope: Scope, flow_id: int, xml: str) -> FlowVersion:
    """Deploy BPMN XML (e.g. from the modeler) as the flow's next version."""
    flow = scope.get(FlowDefinition, flow_id, "flow")
    return _deploy(scope, flow, xml, None)


def compile_simple(scope: Scope, flow_id: int, tree: dict) -> str:
    """The BPMN a simple-designer tree compiles to, without deploying it."""
    flow = scope.get(FlowDefinition, flow_id, "flow")
    form, _ = compiled(scope, flow.form_id)
    return compile_tree(tree, form.key, f"flow_{flow.key}", flow.name).xml


def deploy_simple(scope: Scope, flow_id: int, tree: dict) -> FlowVersion:
    """Compile a simple-designer tree and deploy it; the tree is kept beside the BPMN."""
    flow = scope.get(FlowDefinition, flow_id, "flow")
    form, _ = compiled(scope, flow.form_id)
    result = compile_tree(tree, form.key, f"flow_{flow.key}", flow.name)
    return _deploy(scope, flow, result.xml, tree, result.paths)


def roll_back(scope: Scope, flow_id: int, number: int) -> FlowVersion:
    """Deploy an earlier version's BPMN (and simple-designer tree) again as the next version;
    it is validated against today's form and organisation like any deploy."""
    flow = scope.get(FlowDefinition, flow_id, "flow")
    earlier = get_version(scope, flow_id, number)
    if number == flow.latest_version:
        raise Conflict(f"Version {number} is already the latest.", code="already_latest")
    return _deploy(scope, flow, earlier.bpmn_xml, earlier.tree)


def list_versions(scope: Scope, flow_id: int) -> list[FlowVersion]:
    flow = scope.get(FlowDefinition, flow_id, "flow")
    stmt = scope.select(FlowVersion).where(FlowVersion.definition_id == flow.id)
    return list(scope.session.scalars(stmt.order_by(FlowVersion.version)))


def get_version(scope: Scope, flow_id: int, number: int) -> FlowVersion:
    flow = scope.get(FlowDefinition, flow_id, "flow")
    version = scope.session.scalar(
        scope.select(FlowVersion).where(
            FlowVersion.definition_id == flow.id, FlowVersion.version == number
        )
    )
    if version is None:
        raise NotFound(f"No version {number} of this flow.")
    return version
