"""PostgreSQL search backend replacing Solr (the ``splpdepok_search`` plugin)."""
