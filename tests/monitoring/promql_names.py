"""The metric names a PromQL query (or a Grafana query with $variables, or a
Prometheus alert template) reads, found by stripping what is not a name."""
import re

# Words that are PromQL syntax, not series: aggregations may stand before
# `by (...)` rather than `(`, so they are named here with the keywords.
KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and",
    "or", "unless", "atan2", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev",
    "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
}
_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+|\[\[\w+\]\]")
_LABEL_VALUES = re.compile(r"\blabel_values\s*\(\s*(?:([^,()]*?)\s*,\s*)?[A-Za-z_]\w*\s*\)")
_NUMBER = re.compile(r"(?<![\w:])(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)(?![\w:])")
_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
# A Prometheus template that runs a query: printf "..." | query, or query "...".
_TEMPLATE_QUERY = re.compile(
    r'printf\s+"((?:\\.|[^"\\])*)"[^}]*?\|\s*query\b|\bquery\s+"((?:\\.|[^"\\])*)"')


def metric_names(query):
    """The set of metric names `query` selects. A selector by __name__ is an
    error: write the name itself, so it can be checked."""
    if "__name__" in query:
        raise ValueError(f"selects by __name__, write the metric name instead: {query}")
    text = _STRING.sub('""', query)
    text = _GRAFANA_VARIABLE.sub("", text)
    text = re.sub(r"\{[^}]*\}", "{}", text)  # label matchers
    text = _LABEL_VALUES.sub(lambda m: m.group(1) or "", text)
    text = re.sub(r"\[[^\]]*\]", "[]", text)  # ranges, subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", text)
    text = re.sub(r"\boffset\s+-?\w+", "", text)
    text = re.sub(r"@\s*(start|end)\s*\(\s*\)", "", text)
    text = _NUMBER.sub("", text)
    names = set()
    for match in _NAME.finditer(text):
        word = match.group(0)
        followed_by_call = text[match.end():].lstrip().startswith("(")
        if word.lower() not in KEYWORDS and not followed_by_call:
            names.add(word)
    return names


def template_queries(template):
    """The queries a Prometheus alert template runs with `query`, its printf
    verbs filled with a placeholder string."""
    queries = []
    for match in _TEMPLATE_QUERY.finditer(template):
        quoted = match.group(1) if match.group(1) is not None else match.group(2)
        query = quoted.encode().decode("unicode_escape")
        queries.append(re.sub(r"%[-+# 0]*\d*(?:\.\d+)?[qsvd]", '"x"', query))
    return queries
