/*
 * test_cli_nouns.c: the competence nouns' command lines (cli/cmd-
 * qualification.c, cmd-training.c, cmd-evaluation.c, cmd-declaration.c)
 * and what they share with the generic machinery: --no-NAME for a boolean
 * the server makes true, --assessed AREA:LEVEL with the schema's levels,
 * the lists' --from/--to, '' removing a date on edit. Parsing only: every
 * case here is decided before a request is made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cu.h"
#include "cu-io.h"

#include "cmd.h"
#include "request.h"
#include "schema/schema.h"

static int
argc_of(char **argv)
{
	int	n = 0;

	while (argv[n] != NULL)
		n++;
	return n;
}

/* Parse argv (argv[0] the verb) for noun e; stderr into *err if not NULL. */
static int
parse(const struct cmd_entry *e, char **argv, struct cmd_args *a, char **err)
{
	enum cmd_format	fmt = CMD_FORMAT_TABLE;
	int		help, rc;

	cu_capture();
	rc = cmd_args_parse(e, cmd_find_verb(e, argv[0]), argc_of(argv), argv,
	    0, a, &help, &fmt);
	if (err != NULL)
		*err = cu_captured();
	else
		free(cu_captured());
	return rc;
}

/* 1 if argv parses and makes the document want (a JSON text). */
static int
makes(const struct cmd_entry *e, char **argv, const char *want)
{
	struct cmd_args	 a;
	json_t		*w = json_loads(want, 0, NULL);
	char		*err, *got;
	int		 ok;

	if (parse(e, argv, &a, &err) != 0) {
		printf("\n  ** refused: %s", err);
		free(err);
		json_decref(w);
		return 0;
	}
	free(err);
	ok = w != NULL && json_equal(a.doc, w);
	if (!ok) {
		got = json_dumps(a.doc, JSON_COMPACT | JSON_SORT_KEYS);
		printf("\n  ** made %s, want %s\n", got, want);
		free(got);
	}
	json_decref(w);
	cmd_args_free(&a);
	return ok;
}

/* 1 if argv is a usage error whose message holds text. */
static int
refuses(const struct cmd_entry *e, char **argv, const char *text)
{
	struct cmd_args	 a;
	char		*err;
	int		 rc, ok;

	rc = parse(e, argv, &a, &err);
	ok = rc == CMD_USAGE && strstr(err, text) != NULL;
	if (!ok)
		printf("\n  ** exit %d, want 2 with \"%s\" in: %s", rc, text,
		    err);
	if (rc == 0)
		cmd_args_free(&a);
	free(err);
	return ok;
}

/*
 * cpd defaults to true on the server: --cpd, --no-cpd or neither (left to
 * the server); both is an error. Edit takes true|false as every boolean.
 */
static void
test_training(void)
{
	const struct cmd_entry	*t = &cmd_training_entry;
	char	*cpd[] = { "add", "--auditor", "alice", "--title", "Annex A",
		    "--hours", "7.5", "--date", "2026-10-01", "--cpd",
		    "--category", "information_security", NULL };
	char	*nocpd[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "8", "--date", "2026-10-01", "--no-cpd",
		    "--area", "isms-standards", "--area", "risk-management",
		    NULL };
	char	*plain[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "0.25", "--date", "2026-10-01", NULL };
	char	*both[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "1", "--date", "2026-10-01", "--no-cpd",
		    "--cpd", NULL };
	char	*letters[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "7h", "--date", "2026-10-01", NULL };
	char	*noauditor[] = { "add", "--title", "T", "--hours", "1",
		    "--date", "2026-10-01", NULL };
	char	*badcat[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "1", "--date", "2026-10-01", "--category",
		    "security", NULL };
	char	*server[] = { "add", "--auditor", "alice", "--title", "T",
		    "--hours", "1", "--date", "2026-10-01", "--verified-by",
		    "hr", NULL };
	char	*edit[] = { "edit", "t1", "--cpd", "false", "--verified",
		    "true", NULL };
	char	*editneg[] = { "edit", "t1", "--no-cpd", NULL };

	CU_ASSERT(makes(t, cpd, "{\"auditor\":\"alice\",\"title\":\"Annex A\","
	    "\"hours\":7.5,\"date\":\"2026-10-01\",\"cpd\":true,"
	    "\"category\":\"information_security\"}"));
	CU_ASSERT(makes(t, nocpd, "{\"auditor\":\"alice\",\"title\":\"T\","
	    "\"hours\":8.0,\"date\":\"2026-10-01\",\"cpd\":false,"
	    "\"areas\":[\"isms-standards\",\"risk-management\"]}"));
	CU_ASSERT(makes(t, plain, "{\"auditor\":\"alice\",\"title\":\"T\","
	    "\"hours\":0.25,\"date\":\"2026-10-01\"}"));
	CU_ASSERT(refuses(t, both, "--cpd and --no-cpd exclude each other"));
	CU_ASSERT(refuses(t, letters, "--hours: '7h' is not a number"));
	CU_ASSERT(refuses(t, noauditor, "missing required option --auditor"));
	CU_ASSERT(refuses(t, badcat, "--category: 'security' is not one of: "
	    "audit_methodology, information_security, sector, legal, "
	    "personal"));
	/* Fields the server sets are never options. */
	CU_ASSERT(refuses(t, server, "unknown option '--verified-by'"));
	CU_ASSERT(makes(t, edit, "{\"cpd\":false,\"verified\":true}"));
	CU_ASSERT(refuses(t, editneg, "unknown option '--no-cpd'"));
}

/* The levels of the evaluation schema, joined as messages list them. */
static void
schema_levels(char *buf, size_t len)
{
	const struct schema_text	*t;
	json_t				*doc, *en, *l;
	size_t				 i, n = 0;

	buf[0] = '\0';
	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, "evaluation") == 0)
			break;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->type);
	doc = json_loadb(t->text, t->len, 0, NULL);
	en = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(doc, "properties"), "assessed"),
	    "items"), "properties"), "level"), "enum");
	CU_ASSERT(json_array_size(en) >= 2);
	json_array_foreach(en, i, l)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
		    json_string_value(l));
	json_decref(doc);
}

/* --assessed AREA:LEVEL makes the list of {area, level} objects. */
static void
test_evaluation(void)
{
	const struct cmd_entry	*e = &cmd_evaluation_entry;
	char	 want[300], levels[200];
	char	*add[] = { "add", "--auditor", "alice", "--date", "2026-06-01",
		    "--method", "observation", "--result", "meets", "--assessed",
		    "isms-standards:expert", "--assessed", "legislation:competent",
		    "--next-due", "2027-06-01", NULL };
	char	*badlevel[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "observation", "--result", "meets",
		    "--assessed", "legislation:guru", NULL };
	char	*nolevel[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "observation", "--result", "meets",
		    "--assessed", "legislation", NULL };
	char	*badarea[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "observation", "--result", "meets",
		    "--assessed", "a/b:expert", NULL };
	char	*twice[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "observation", "--result", "meets",
		    "--assessed", "x:expert", "--assessed", "x:awareness", NULL };
	char	*addempty[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "observation", "--result", "meets",
		    "--assessed", "", NULL };
	char	*badmethod[] = { "add", "--auditor", "alice", "--date",
		    "2026-06-01", "--method", "gut_feeling", "--result", "meets",
		    NULL };
	char	*edit[] = { "edit", "e1", "--assessed", "", "--next-due", "",
		    NULL };
	char	*edit2[] = { "edit", "e1", "--assessed", "risk-management:"
		    "awareness", NULL };

	CU_ASSERT(makes(e, add, "{\"auditor\":\"alice\",\"date\":\"2026-06-01\","
	    "\"method\":\"observation\",\"result\":\"meets\",\"assessed\":["
	    "{\"area\":\"isms-standards\",\"level\":\"expert\"},"
	    "{\"area\":\"legislation\",\"level\":\"competent\"}],"
	    "\"next_due\":\"2027-06-01\"}"));
	schema_levels(levels, sizeof levels);
	snprintf(want, sizeof want, "--assessed: level 'guru' is not one of: "
	    "%s\n", levels);
	CU_ASSERT(refuses(e, badlevel, want));
	CU_ASSERT(refuses(e, nolevel, "--assessed: 'legislation' is not "
	    "AREA:LEVEL"));
	CU_ASSERT(refuses(e, badarea, "--assessed: 'a/b' is not an area id"));
	CU_ASSERT(refuses(e, twice, "--assessed: area 'x' is given twice"));
	CU_ASSERT(refuses(e, addempty, "--assessed: '' is not AREA:LEVEL"));
	CU_ASSERT(refuses(e, badmethod, "--method: 'gut_feeling' is not one "
	    "of: records_review,"));
	CU_ASSERT(makes(e, edit, "{\"assessed\":null,\"next_due\":null}"));
	CU_ASSERT(makes(e, edit2, "{\"assessed\":[{\"area\":"
	    "\"risk-management\",\"level\":\"awareness\"}]}"));
}

/* The example spellings; --until '' on edit says the interest goes on. */
static void
test_qualification_declaration(void)
{
	const struct cmd_entry	*q = &cmd_qualification_entry;
	const struct cmd_entry	*d = &cmd_declaration_entry;
	const struct cmd_verb	*v;
	char	*qadd[] = { "add", "--auditor", "alice", "--kind",
		    "lead_auditor_certificate", "--standard", "ISO/IEC 27001",
		    "--title", "ISO/IEC 27001 Lead Auditor", "--issuer", "PECB",
		    "--issued", "2025-03-01", "--expires", "2028-03-01", "--area",
		    "isms-standards", "--area", "risk-management", NULL };
	char	*qbad[] = { "add", "--auditor", "alice", "--kind",
		    "certificate", "--title", "T", "--issued", "2025-03-01",
		    NULL };
	char	*qdate[] = { "add", "--auditor", "alice", "--kind", "other",
		    "--title", "T", "--issued", "2025-02-30", NULL };
	char	*qedit[] = { "edit", "q1", "--expires", "", NULL };
	char	*dadd[] = { "add", "--auditor", "alice", "--party", "Finance",
		    "--kind", "consultancy", "--from", "2024-01-01", "--until",
		    "2025-06-30", NULL };
	char	*dedit[] = { "edit", "d1", "--until", "", NULL };
	char	*dnofrom[] = { "add", "--auditor", "alice", "--party", "F",
		    "--kind", "family", NULL };

	CU_ASSERT(makes(q, qadd, "{\"auditor\":\"alice\",\"kind\":"
	    "\"lead_auditor_certificate\",\"standard\":\"ISO/IEC 27001\","
	    "\"title\":\"ISO/IEC 27001 Lead Auditor\",\"issuer\":\"PECB\","
	    "\"issued\":\"2025-03-01\",\"expires\":\"2028-03-01\",\"areas\":"
	    "[\"isms-standards\",\"risk-management\"]}"));
	CU_ASSERT(refuses(q, qbad, "--kind: 'certificate' is not one of: "));
	CU_ASSERT(refuses(q, qdate, "--issued: "));
	CU_ASSERT(makes(q, qedit, "{\"expires\":null}"));
	CU_ASSERT(makes(d, dadd, "{\"auditor\":\"alice\",\"party\":\"Finance\","
	    "\"kind\":\"consultancy\",\"from\":\"2024-01-01\",\"until\":"
	    "\"2025-06-30\"}"));
	CU_ASSERT(makes(d, dedit, "{\"until\":null}"));
	CU_ASSERT(refuses(d, dnofrom, "missing required option --from"));

	/* verify: HR's action on one record, only where the API has it. */
	v = cmd_find_verb(q, "verify");
	CU_ASSERT(v != NULL && v->nargs == 1 && v->gen == CMD_GEN_NONE);
	v = cmd_find_verb(&cmd_training_entry, "verify");
	CU_ASSERT(v != NULL && v->nargs == 1 && v->gen == CMD_GEN_NONE);
	CU_ASSERT_PTR_NULL(cmd_find_verb(&cmd_evaluation_entry, "verify"));
	CU_ASSERT_PTR_NULL(cmd_find_verb(d, "verify"));
}

/*
 * The lists' --from and --to go into the query beside the schema's
 * filters, as given; a bad date, or --from after --to, is a usage error
 * before any request (the context has no server: a request would crash).
 */
static void
test_dated_lists(void)
{
	const struct cmd_entry	*nouns[] = { &cmd_qualification_entry,
				    &cmd_training_entry, &cmd_evaluation_entry,
				    &cmd_declaration_entry };
	struct cmd_args		 a;
	struct cmd_ctx		 ctx;
	char			*err;
	size_t			 i;
	char	*list[] = { "list", "--auditor", "alice", "--from",
		    "2025-01-01", "--to", "2025-12-31", NULL };
	char	*bad[] = { "list", "--from", "2025-1-1", NULL };
	char	*feb[] = { "list", "--to", "2025-02-29", NULL };
	char	*rev[] = { "list", "--from", "2025-12-31", "--to",
		    "2025-01-01", NULL };

	for (i = 0; i < sizeof nouns / sizeof *nouns; i++) {
		CU_ASSERT(makes(nouns[i], list, "{\"auditor\":\"alice\","
		    "\"from\":\"2025-01-01\",\"to\":\"2025-12-31\"}"));
		CU_ASSERT(refuses(nouns[i], bad, "--from: '2025-1-1' is not a "
		    "date (YYYY-MM-DD)"));
		CU_ASSERT(refuses(nouns[i], feb, "--to: '2025-02-29' is not a "
		    "date"));
		CU_ASSERT_EQUAL_FATAL(parse(nouns[i], rev, &a, NULL), 0);
		memset(&ctx, 0, sizeof ctx);
		cu_capture();
		CU_ASSERT_EQUAL(a.verb->exec(&ctx, &a), CMD_USAGE);
		err = cu_captured();
		CU_ASSERT(strstr(err, "--from 2025-12-31 is after --to "
		    "2025-01-01") != NULL);
		CU_ASSERT_PTR_NULL(ctx.client);
		free(err);
		cmd_args_free(&a);
	}
}

static const struct cu_test tests[] = {
	{ "training: --cpd/--no-cpd, --hours, server fields", test_training },
	{ "evaluation: --assessed AREA:LEVEL", test_evaluation },
	{ "qualification and declaration documents, verify",
	    test_qualification_declaration },
	{ "lists: --from/--to beside the filters", test_dated_lists },
	{ NULL, NULL }
};

int
main(void)
{
	int	rc = cu_run("cli-nouns", tests);

	schema_builtin_free();
	return rc;
}
