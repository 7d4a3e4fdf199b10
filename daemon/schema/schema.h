/*
 * schema.h: JSON Schema (2020-12) validation for the subset the record
 * schemas use: type, required, properties, additionalProperties (false or a
 * schema), enum, const, minLength/maxLength (in code points),
 * minimum/maximum, exclusiveMinimum/exclusiveMaximum, multipleOf, items,
 * minItems/maxItems, uniqueItems, pattern (POSIX ERE; schemas keep to the
 * common subset of ECMA-262 and ERE), format "date" and "date-time", local
 * "$ref" ("#" or "#/$defs/NAME", $defs at the root only), boolean schemas,
 * and $schema/$id/title/description/$comment/readOnly as annotations. A
 * keyword outside the subset makes schema_compile fail, so a schema can never
 * be silently half-checked.
 *
 * Two annotations of auditord's own, at the root only, describe a record
 * type to its clients; validation ignores them:
 *   "x-filters": the query keys a list of the type accepts (each a string
 *       property of the schema, matched exactly), e.g. ["status", "unit"].
 *   "x-defaults": the required properties the server fills when a new
 *       record leaves them out (auditor status: active; id: made up).
 * Each must be an array of unique strings naming such properties, or
 * schema_compile fails. A property the server always sets itself (rev,
 * created, updated) says "readOnly": true.
 *
 * Semantics follow JSON Schema, not jansson: 1.0 is an integer, enum, const
 * and uniqueItems compare numbers by value (1 equals 1.0) and objects
 * regardless of key order. Patterns run as POSIX EREs in the C.UTF-8 locale
 * (so they match code points, as ECMA-262's "u" mode does); schema_compile
 * refuses what the two dialects read differently: backslash escapes other
 * than of a syntax character (\d, \s, \1 ...), a backslash or a [:class:]
 * inside brackets, "(?", and "]" first in brackets. "." is run as ECMA-262
 * means it (any code point but \n, \r, U+2028, U+2029). A "date-time" must
 * also put a leap second (:60) at 23:59 UTC.
 *
 * A compiled schema is read-only after compile and may be used by any number
 * of threads at once.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <jansson.h>

struct schema;

/*
 * Compile a schema document. doc stays the caller's: the schema keeps its own
 * deep copy, so doc may be changed or freed afterwards. Returns NULL and a
 * message in err (naming the JSON Pointer of the bad keyword) when the schema
 * uses anything outside the subset or is malformed, or memory ran out. Free
 * the result with schema_free (NULL is a no-op).
 */
struct schema	*schema_compile(json_t *doc, char *err, size_t errlen);
void		 schema_free(struct schema *);

/*
 * Validate instance. Returns 0 when valid. Otherwise returns the number of
 * errors found and, when errors is not NULL (a JSON array), appends to it one
 * new object per error: {"path": JSON Pointer into the instance (RFC 6901),
 * "message": text}. At most max_errors are appended (0: no limit); counting
 * goes on past that. A missing required property's path is that property's
 * pointer, as is an unknown one's. Running out of memory counts as an error
 * ("out of memory"), never as valid. Neither argument is changed or kept.
 */
int		 schema_validate(const struct schema *, const json_t *instance,
		    json_t *errors, size_t max_errors);

/*
 * schema_validate, and into *steps (when not NULL) the work it did: the
 * schema nodes it visited and the values it hashed or compared. The work
 * is linear in the document (n log n for uniqueItems), and an array past
 * its maxItems is not looked into: tests hold the validator to that by
 * its steps, not its time.
 */
int		 schema_validate_steps(const struct schema *,
		    const json_t *instance, json_t *errors, size_t max_errors,
		    size_t *steps);

/*
 * A property of the schema's root object as clients see it, "$ref"s
 * followed (a property's own description wins over its target's).
 */
enum schema_kind {
	SCHEMA_OTHER = 0,	/* several types, arrays of non-strings, ... */
	SCHEMA_STRING,		/* a string, or an enum of strings */
	SCHEMA_INTEGER,
	SCHEMA_NUMBER,
	SCHEMA_BOOLEAN,
	SCHEMA_STRINGS,		/* an array of strings */
	SCHEMA_OBJECT
};

struct schema_prop {
	const char		*name;
	enum schema_kind	 kind;
	int			 nullable;	/* null is allowed too */
	/* The enum's values (for SCHEMA_STRINGS: the items'), NULL-ended, in
	 * the schema's order; NULL when there is no enum of strings. */
	const char *const	*choices;
	const char		*description;	/* NULL if none */
	int			 required;	/* named in "required" */
	int			 server;	/* readOnly: the server sets it */
	int			 dflt;		/* in "x-defaults" */
};

/*
 * The root's properties in the schema's order: schema_nprops counts them,
 * schema_prop returns the i-th (NULL when i is out of range) and
 * schema_prop_find the one called name (NULL if none). schema_filters
 * stores the "x-filters" names in *names and returns their count (0 and
 * NULL when there are none). Everything returned, strings included,
 * belongs to the schema and lives as long as it does.
 */
size_t			 schema_nprops(const struct schema *);
const struct schema_prop	*schema_prop(const struct schema *, size_t i);
const struct schema_prop	*schema_prop_find(const struct schema *,
			    const char *name);
size_t			 schema_filters(const struct schema *,
			    const char *const **names);

/*
 * The schemas built into both programs from schemas/<type>.schema.json
 * (generated file schemas-builtin.c). NULL if type is unknown. Compiled on
 * first use and kept for the life of the process; call schema_builtin_init()
 * once before threads start so later calls only read. schema_builtin_init
 * returns 0, or -1 with a message in err naming the schema that failed (then
 * schema_builtin answers NULL for every type). The returned schema belongs to
 * this module: never free it.
 */
int			 schema_builtin_init(char *err, size_t errlen);
const struct schema	*schema_builtin(const char *type);

/*
 * Free the built-in schemas, for a clean exit under valgrind. Only once no
 * thread uses them any more; schema_builtin answers NULL afterwards.
 */
void			 schema_builtin_free(void);

/*
 * One embedded schema file. The generated schemas-builtin.c (made by
 * schemas/embed.sh) defines schema_texts[], ended by an entry whose type is
 * NULL: type is the file name before ".schema.json", text its bytes.
 */
struct schema_text {
	const char	*type;
	const char	*text;
	size_t		 len;
};
extern const struct schema_text	schema_texts[];

#endif
