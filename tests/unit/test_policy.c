/*
 * test_policy.c: the competence policy's three spellings agree: the
 * defaults (check/policy.c), policy.schema.json and the copy of it that
 * programme.schema.json carries as $defs/policy (the schema module
 * resolves no $ref across files).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cu.h"
#include "jw.h"

#include "check/policy.h"
#include "schema/schema.h"

/* The embedded text of type's schema, parsed (a new reference). */
static json_t *
policy_text(const char *type)
{
	size_t	i;

	for (i = 0; schema_texts[i].type != NULL; i++)
		if (strcmp(schema_texts[i].type, type) == 0)
			return json_loadb(schema_texts[i].text,
			    schema_texts[i].len, 0, NULL);
	return NULL;
}

static void
test_copy_equal(void)
{
	json_t	*pol, *prog, *def;

	pol = policy_text("policy");
	prog = policy_text("programme");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
	CU_ASSERT_PTR_NOT_NULL_FATAL(prog);
	def = json_object_get(json_object_get(prog, "$defs"), "policy");
	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	/* The copy is the schema but for what names a file. */
	json_object_del(pol, "$schema");
	json_object_del(pol, "$id");
	CU_ASSERT_TRUE(json_equal(pol, def));
	json_decref(pol);
	json_decref(prog);
}

/* The policy as policy_write writes it, parsed. */
static json_t *
policy_doc(const struct policy *p)
{
	struct jw	 w;
	json_t		*j;
	char		*s;
	size_t		 len;

	jw_init(&w);
	policy_write(&w, p);
	if ((s = jw_take(&w, &len)) == NULL)
		return NULL;
	j = json_loadb(s, len, 0, NULL);
	free(s);
	return j;
}

/*
 * A policy with every field set to another value comes back from
 * policy_write as policy_apply reads it: the writer names every field at
 * the place the schema and policy_apply have it.
 */
static void
test_write_apply(void)
{
	struct policy	 a, b;
	json_t		*doc;
	int		 k;

	policy_default(&a);
	a.cpd_window_months = 7;
	a.cpd_min_hours_x100 = 1825;
	a.evaluation_max_age_months = 9;
	a.lead_min_audits = 5;
	a.rotation_max_consecutive = 4;
	for (k = 0; k <= ROWS_OTHER_INTEREST; k++)
		a.cooling_off_months[k] = 30 + k;
	a.warn_expiry_days = 45;
	a.systemic_minor_count = 6;
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc = policy_doc(&a));
	policy_default(&b);
	policy_apply(&b, doc);
	CU_ASSERT(memcmp(&a, &b, sizeof a) == 0);
	json_decref(doc);
}

static void
test_defaults_valid(void)
{
	struct policy		 p;
	const struct schema	*s;
	json_t			*doc, *errs;
	const char		*keys[] = { "cpd", "evaluation", "lead",
	    "rotation", "cooling_off_months", "warn", "systemic" };
	size_t			 i;
	char			 err[256];

	CU_ASSERT_EQUAL_FATAL(schema_builtin_init(err, sizeof err), 0);
	s = schema_builtin("policy");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	policy_default(&p);
	doc = policy_doc(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	errs = json_array();
	CU_ASSERT_EQUAL(schema_validate(s, doc, errs, 0), 0);
	CU_ASSERT_EQUAL(json_array_size(errs), 0);
	/* Every section of the defaults is one the schema names, and back. */
	CU_ASSERT_EQUAL(json_object_size(doc), sizeof keys / sizeof keys[0]);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CU_ASSERT_PTR_NOT_NULL(json_object_get(doc, keys[i]));
	json_decref(errs);
	json_decref(doc);
	schema_builtin_free();
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "programme's copy of the policy schema", test_copy_equal },
		{ "the defaults fit the policy schema", test_defaults_valid },
		{ "policy_write writes what policy_apply reads", test_write_apply },
		{ NULL, NULL }
	};

	return cu_run("policy", tests);
}
