"""Files an approver attaches to a decision, whether or not the bound form has a file field.

Only the person a task waits on may upload for it, and only while it is open; the limits
are those of an attachment field set for documents and photos of goods.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.errors import Conflict, Forbidden
from app.flows.instances import may_see
from app.forms.attachments import in_visible_record, store
from app.models import Attachment, FlowInstance, FlowTask

#: what a decision may carry: photos, PDFs, office documents, text and archives
DECISION_FILES = {
    "key": "decision_files",
    "type": "attachment",
    "max_size_mb": 20,
    "accept": [
        "image/*",
        "application/pdf",
        "text/plain",
        "text/csv",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/msword",
    ],
}


def upload_for_task(
    scope: Scope, task_id: int, name: str, content_type: str, content: bytes, instance: str
) -> Attachment:
    task = scope.get(FlowTask, task_id, "flow task")
    if task.assignee_id != scope.user.id:
        raise Forbidden("This task is assigned to someone else.")
    if task.status != "open":
        raise Conflict("This task has been decided already.", code="task_closed")
    return store(scope, DECISION_FILES, name, content_type, content, instance, task_id=task.id)


def may_read(scope: Scope, attachment: Attachment) -> bool:
    """Whoever uploaded a file may read it; so may whoever can read a record holding it,
    and the people of the flow whose decision carries it."""
    if attachment.created_by == scope.user.id or in_visible_record(scope, attachment.id):
        return True
    task = scope.session.get(FlowTask, attachment.task_id) if attachment.task_id else None
    instance = scope.session.get(FlowInstance, task.instance_id) if task is not None else None
    if instance is None or instance.tenant_id != scope.tenant_id:
        return False
    try:
        may_see(scope, instance)
    except Forbidden:
        return False
    return True
