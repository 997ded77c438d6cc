"""`samverkan import` of CSV as agencies publish it: the dialect flags
(--delim, --quote, --encoding, --decimal-separator, --dateformat, --null)
and --add-sector, and the errors of a file that does not match them."""
import json

# ';'-separated, cp1252, decimal commas, dates with a time of day, a sector
# of the agency's own (research_institute).
NODES = (":ID;:LABEL;name;sector;budget:double\n"
         "no:sintef;actor;Sintef;research_institute;1,5\n"
         "no:norce;actor;Norce Tromsø;research_institute;NA\n"
         "no:uib;actor;Universitetet i Bergen;academia;2,25\n")
EDGES = (":START_ID;:END_ID;:TYPE;valid_from;valid_to;weight\n"
         "no:sintef;no:uib;collaborates_with;01.01.2019 00:00;31.12.2020 23:59;2,5\n")
DIALECT = ["--delim", ";", "--encoding", "cp1252", "--decimal-separator", ",",
           "--dateformat", "%d.%m.%Y %H:%M", "--null", "NA"]


def write(tmp_path):
    (tmp_path / "nodes.csv").write_bytes(NODES.encode("cp1252"))
    (tmp_path / "edges.csv").write_bytes(EDGES.encode("cp1252"))


def exported(run, tmp_path):
    assert run("export", "g.kg", "g.jsonl").returncode == 0
    return [json.loads(line) for line in (tmp_path / "g.jsonl").read_text().splitlines()]


def test_an_agency_file_imports_with_flags_alone(run, tmp_path):
    write(tmp_path)
    r = run("import", "g.kg", "nodes.csv", "edges.csv", *DIALECT,
            "--add-sector", "research_institute", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["graph_nodes"] == 3
    records = {rec.get("key") or rec["type"]: rec for rec in exported(run, tmp_path)}
    assert records["no:norce"]["name"] == "Norce Tromsø"
    assert records["no:norce"]["sector"] == "research_institute"
    assert "props" not in records["no:norce"]  # NA is no value
    assert records["no:sintef"]["props"] == {"budget": 1.5}
    edge = records["collaborates_with"]
    assert (edge["weight"], edge["valid_from"], edge["valid_to"]) == \
        (2.5, "2019-01-01", "2020-12-31")


def test_the_unknown_sector_once_with_its_count_and_the_flag(run, tmp_path):
    write(tmp_path)
    r = run("import", "g.kg", "nodes.csv", "edges.csv", *DIALECT)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == "samverkan: 2 problems; nothing was imported"
    assert lines[1].startswith("nodes.csv:2:24: unknown sector 'research_institute' for node "
                               "'no:sintef' and 1 more record; ")
    assert lines[1].endswith("to add it: --add-sector research_institute (kg_import: the "
                             "add_sectors option; SQL: kg_add_sector)")
    assert lines[2] == "edges.csv:2:1: edge no:sintef -collaborates_with-> no:uib: unknown " \
                       "node 'no:sintef'"
    assert not (tmp_path / "g.kg").exists() or exported(run, tmp_path) == []


def test_a_file_that_does_not_match_the_flags_changes_nothing(run, tmp_path):
    write(tmp_path)
    assert run("import", "g.kg", "nodes.csv", *DIALECT, "--add-sector",
               "research_institute").returncode == 0
    before = exported(run, tmp_path)
    # Read as UTF-8, cp1252's ø is no character; read with ',' the header has one column.
    r = run("import", "g.kg", "nodes.csv", "--delim", ";")
    assert r.returncode == 1
    assert r.stderr.splitlines()[1].startswith("nodes.csv:3:27: invalid UTF-8 (")
    assert "--encoding" in r.stderr
    r = run("import", "g.kg", "nodes.csv", "--encoding", "cp1252")
    assert r.returncode == 1
    assert "nodes.csv:1:1: expected a :ID (a nodes file) or :START_ID (an edges file) column " \
        "in the header (the header is one column: is the file separated by ';'? say so " \
        "with --delim" in r.stderr, r.stderr
    # A decimal point where a comma is due, a date not in the format.
    (tmp_path / "bad.csv").write_text(":START_ID;:END_ID;:TYPE;valid_from;weight\n"
                                      "no:uib;no:norce;knows;2019-01-01;2.5\n")
    r = run("import", "g.kg", "bad.csv", *DIALECT)
    assert r.returncode == 1
    assert r.stderr.splitlines()[1:] == [
        "bad.csv:2:23: valid_from: expected a date as '%d.%m.%Y %H:%M', found '2019-01-01'",
        "bad.csv:2:34: weight: expected a number with a decimal comma, found '2.5'"]
    assert exported(run, tmp_path) == before


def test_bad_dialect_flags_are_usage_errors(run, tmp_path):
    write(tmp_path)
    for flags, message in [
            (["--delim", ";;"], "--delim: expected one character, found ';;'"),
            (["--encoding", "utf-16"], "--encoding: unknown encoding 'utf-16'"),
            (["--dateformat", "%d.%m.%y"], "--dateformat: '%d.%m.%y': %y is not one of"),
            (["--decimal-separator", ";"], "--decimal-separator: expected '.' or ','"),
            # Both options named as flags (the reader's Problem names the
            # second one too; rewriting the message's first word did not).
            (["--delim", '"'], "--delim cannot be the same character as --quote"),
            (["--delim", ";", "--quote", ";"],
             "--delim cannot be the same character as --quote")]:
        r = run("import", "g.kg", "nodes.csv", *flags)
        assert r.returncode == 2, (flags, r.stderr)
        assert message in r.stderr, r.stderr
    assert not (tmp_path / "g.kg").exists()


def test_every_character_of_cp1252_and_latin_1_arrives_as_python_decodes_it(run, tmp_path):
    for encoding, codec in [("cp1252", "cp1252"), ("latin-1", "latin-1")]:
        high = bytes(b for b in range(0x80, 0x100)
                     if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) or codec == "latin-1")
        (tmp_path / "n.csv").write_bytes(b":ID,name\nk," + high + b"\n")
        r = run("import", f"{encoding}.kg", "n.csv", "--encoding", encoding)
        assert r.returncode == 0, r.stderr
        r = run("export", f"{encoding}.kg", "-", "-f", "jsonl")
        assert json.loads(r.stdout.split("\n")[0])["name"] == high.decode(codec)
