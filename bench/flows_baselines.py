"""The baselines the flows bench measures GreenShelf against: raw in-memory SpiffWorkflow on
the same definition (the ceiling), and a naive store that rewrites the whole serialized
workflow, spec included, at every step with bare SQL."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text


def parse_spec(spec_json: str):
    from flow_engine.runtime import SERIALIZER

    return SERIALIZER.from_dict(json.loads(spec_json))


def run_in_memory(spec, facts, count: int) -> None:
    """Run ``count`` workflows of a parsed spec start to end without saving anything,
    approving every user task."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.specs.defaults import UserTask
    from SpiffWorkflow.util.task import TaskState

    for _ in range(count):
        workflow = BpmnWorkflow(spec, script_engine=facts.engine())
        workflow.do_engine_steps()
        while not workflow.completed:
            [task] = [
                t
                for t in workflow.get_tasks(state=TaskState.READY)
                if isinstance(t.task_spec, UserTask)
            ]
            task.run()
            workflow.do_engine_steps()


class NaiveStore:
    """The baseline: the whole serialized workflow, spec included, in one row per instance,
    read, rebuilt and rewritten at every step with a version check (bare SQL)."""

    def __init__(self, url: str, spec_json: str) -> None:
        self.engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with self.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS naive_flow_state"))
            conn.execute(
                text(
                    "CREATE TABLE naive_flow_state "
                    "(id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL)"
                )
            )
        self.spec_json = spec_json
        self.next_id = 0

    def _save(self, conn, instance_id: int, workflow, version: int | None) -> None:
        from flow_engine.runtime import SERIALIZER

        state = json.dumps(SERIALIZER.to_dict(workflow))
        if version is None:
            conn.execute(
                text("INSERT INTO naive_flow_state (id, state, version) VALUES (:i, :s, 1)"),
                {"i": instance_id, "s": state},
            )
            return
        done = conn.execute(
            text(
                "UPDATE naive_flow_state SET state = :s, version = version + 1 "
                "WHERE id = :i AND version = :v"
            ),
            {"s": state, "i": instance_id, "v": version},
        )
        assert done.rowcount == 1

    def start(self, facts) -> int:
        from SpiffWorkflow.bpmn import BpmnWorkflow

        from flow_engine.runtime import SERIALIZER

        self.next_id += 1
        spec = SERIALIZER.from_dict(json.loads(self.spec_json))
        workflow = BpmnWorkflow(spec, script_engine=facts.engine())
        workflow.do_engine_steps()
        with self.engine.begin() as conn:
            self._save(conn, self.next_id, workflow, None)
        return self.next_id

    def approve(self, instance_id: int, facts) -> bool:
        """Complete the waiting user task; True when the workflow has finished."""
        from SpiffWorkflow.bpmn.specs.defaults import UserTask
        from SpiffWorkflow.util.task import TaskState

        from flow_engine.runtime import SERIALIZER

        with self.engine.begin() as conn:
            state, version = conn.execute(
                text("SELECT state, version FROM naive_flow_state WHERE id = :i"),
                {"i": instance_id},
            ).one()
            workflow = SERIALIZER.from_dict(json.loads(state))
            workflow.script_engine = facts.engine()
            [task] = [
                t
                for t in workflow.get_tasks(state=TaskState.READY)
                if isinstance(t.task_spec, UserTask)
            ]
            task.run()
            workflow.do_engine_steps()
            self._save(conn, instance_id, workflow, version)
        return workflow.completed
