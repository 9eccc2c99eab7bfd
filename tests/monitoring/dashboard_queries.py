"""The queries of a Grafana dashboard: every panel target's and every query
variable's, with where each stands."""


def dashboard_queries(path, dashboard):
    """(where, query) of every panel target (rows' panels too) and every query
    variable."""
    queries = []

    def walk(panels):
        for panel in panels or []:
            queries.extend((f"{path}: panel '{panel.get('title')}' {target.get('refId')}",
                            target["expr"])
                           for target in panel.get("targets") or [] if "expr" in target)
            walk(panel.get("panels"))

    walk(dashboard.get("panels"))
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        if variable.get("type") == "query":
            query = variable.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query
            queries.append((f"{path}: variable ${variable.get('name')}", query))
    return queries
