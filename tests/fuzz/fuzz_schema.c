/*
 * fuzz_schema.c: libFuzzer harness for record validation: any bytes that
 * parse as JSON are judged by every built-in schema without crashing, and
 * a verdict of "valid" never comes with errors.
 */
#include <stdint.h>
#include <stdlib.h>

#include "schema/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const types[] = { "area", "auditor", "principal",
    "event", "problem" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	json_t		*doc, *errors;
	char		 err[256];
	size_t		 i;
	int		 n;

	if (!ready) {
		if (schema_builtin_init(err, sizeof err) != 0)
			abort();
		ready = 1;
	}
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, NULL);
	if (doc == NULL)
		return 0;
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		errors = json_array();
		n = schema_validate(schema_builtin(types[i]), doc, errors, 50);
		if ((n == 0) != (json_array_size(errors) == 0))
			abort();
		json_decref(errors);
	}
	json_decref(doc);
	return 0;
}
