/*
 * schema.h: JSON Schema (2020-12) validation for the subset the record
 * schemas use: type, required, properties, additionalProperties (false or a
 * schema), enum, const, minLength/maxLength (in code points),
 * minimum/maximum, exclusiveMinimum/exclusiveMaximum, multipleOf, items,
 * minItems/maxItems, uniqueItems, pattern (POSIX ERE; schemas keep to the
 * common subset of ECMA-262 and ERE), format "date" and "date-time", local
 * "$ref" ("#/$defs/NAME"), and $schema/$id/title/description/$comment as
 * annotations. A keyword outside the subset makes schema_compile fail, so a
 * schema can never be silently half-checked.
 *
 * A compiled schema is read-only after compile and may be used by any number
 * of threads at once.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <jansson.h>

struct schema;

/*
 * Compile a schema document. Takes its own reference to doc. Returns NULL
 * and a message in err (naming the JSON Pointer of the bad keyword) when
 * the schema uses anything outside the subset or is malformed.
 */
struct schema	*schema_compile(json_t *doc, char *err, size_t errlen);
void		 schema_free(struct schema *);

/*
 * Validate instance. Returns 0 when valid. Otherwise returns the number of
 * errors found and, when errors is not NULL, appends to it one object per
 * error: {"path": JSON Pointer into the instance, "message": text}. At most
 * max_errors are appended (0: no limit).
 */
int		 schema_validate(const struct schema *, const json_t *instance,
		    json_t *errors, size_t max_errors);

/*
 * The schemas built into the daemon from schemas/<type>.schema.json
 * (generated file schemas-builtin.c). NULL if type is unknown. Compiled on
 * first use and kept for the life of the process; call schema_builtin_init()
 * once before threads start so later calls only read.
 */
int			 schema_builtin_init(char *err, size_t errlen);
const struct schema	*schema_builtin(const char *type);

#endif
