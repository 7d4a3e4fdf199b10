/*
 * fuzz_schema.c: libFuzzer harness for record validation: any bytes that
 * parse as JSON are judged by every built-in record schema without
 * crashing, a verdict of "valid" never comes with errors, and the work is
 * bounded: steps stay linear in the document (run with -max_len of 64 KiB
 * or more, as `make fuzz` does, so that bodies like 40,000 copies of one
 * language are reachable).
 */
#include <stdint.h>
#include <stdlib.h>

#include "schema/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const types[] = { "action", "area", "assignment",
    "audit", "auditor", "declaration", "evaluation", "event", "finding",
    "principal", "problem", "programme", "qualification", "training" };

/*
 * Nodes visited and values compared per input byte, at most: every node is
 * at least one byte of JSON, and a node is visited once per schema node
 * that applies to it ($ref, items) plus its uniqueness compare.
 */
#define STEPS_PER_BYTE	8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	json_t		*doc, *errors;
	char		 err[256];
	size_t		 i, steps;
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
		if (schema_builtin(types[i]) == NULL)
			abort();
		n = schema_validate_steps(schema_builtin(types[i]), doc, errors,
		    50, &steps);
		if ((n == 0) != (json_array_size(errors) == 0))
			abort();
		if (steps > STEPS_PER_BYTE * size + 64)
			abort();
		json_decref(errors);
	}
	json_decref(doc);
	return 0;
}
