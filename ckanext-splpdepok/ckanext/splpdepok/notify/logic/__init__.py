"""CKAN-facing notify code: the notice actions, their auth and schemas, and the mailer."""
