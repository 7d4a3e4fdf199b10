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

/* The policy as policy_write writes it, parsed (a new reference). */
static json_t *
policy_doc(const struct policy *p)
{
	struct jw	 w;
	json_t		*doc;
	char		*text;
	size_t		 len;

	jw_init(&w);
	policy_write(&w, p);
	if ((text = jw_take(&w, &len)) == NULL)
		return NULL;
	doc = json_loadb(text, len, 0, NULL);
	free(text);
	return doc;
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
		{ NULL, NULL }
	};

	return cu_run("policy", tests);
}
