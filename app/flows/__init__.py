"""Use cases on flows: deploy versions, start instances, act on tasks, read inboxes."""
