"""Write vocabulary-subset.json from a schema.org release file (schemaorg-current-https.jsonld).

    python make_subset.py schemaorg-current-https.jsonld > vocabulary-subset.json

Kept: the TYPES below with all their supertypes; every property whose domain includes one of
those types (with its domains and ranges); the data types; the members of the enumerations kept.
Labels and comments are dropped. schema.org is CC BY-SA 3.0 (https://schema.org/docs/terms.html).
"""
import json
import sys

TYPES = ["MedicalTrial", "Drug", "DrugClass", "MedicalEntity", "MedicalCondition", "CreativeWork", "Dataset",
         "DataDownload", "ScholarlyArticle", "Person", "Organization", "PropertyValue", "MedicalStudyStatus"]


def ids(value):
    value = value if isinstance(value, list) else [value] if value else []
    return [v["@id"].removeprefix("schema:") for v in value if v["@id"].startswith("schema:")]


def main(path):
    graph = json.load(open(path, encoding="utf-8"))["@graph"]
    nodes = {n["@id"].removeprefix("schema:"): n for n in graph if n["@id"].startswith("schema:")}

    def types_of(n):
        t = n.get("@type", [])
        return [x.removeprefix("schema:") for x in (t if isinstance(t, list) else [t])]

    classes = {k: ids(n.get("rdfs:subClassOf")) for k, n in nodes.items() if "rdfs:Class" in types_of(n)}
    datatypes = sorted(k for k, n in nodes.items() if "DataType" in types_of(n))
    keep, todo = set(), list(TYPES)
    while todo:
        t = todo.pop()
        if t not in keep:
            keep.add(t)
            todo += classes.get(t, [])
    props = {}
    for k, n in nodes.items():
        if "rdf:Property" in types_of(n):
            domains = ids(n.get("schema:domainIncludes"))
            if keep & set(domains):
                props[k] = {"domains": sorted(domains), "ranges": sorted(ids(n.get("schema:rangeIncludes")))}
    members = {t: sorted(k for k, n in nodes.items() if t in types_of(n)) for t in sorted(keep)}
    out = {
        "source": "schema.org release 30.0, schemaorg-current-https.jsonld",
        "types": {t: sorted(classes.get(t, [])) for t in sorted(keep)},
        "datatypes": {t: sorted(classes.get(t, [])) for t in datatypes + ["URL", "Text"] if t in nodes},
        "properties": dict(sorted(props.items())),
        "members": {t: m for t, m in members.items() if m},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
