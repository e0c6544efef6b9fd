"""The shared core every capability uses: one helper for one job.

Pure modules (no CKAN import): ``clock``, ``ids``, ``text``, ``paging``, ``progress``.
CKAN-facing: ``context`` (actor, contexts, ``commit_unless_deferred``), ``errors``
(``Conflict``), ``roles`` (``is_walidata``), ``schema`` (paging validators), ``dictize``,
``download`` (private downloads) and ``runs`` (the background-run framework shared by catalog
sync and SPLP publication).
"""
