/*
 * test_schema.c: CUnit tests of daemon/schema/schema.c: every keyword with its error
 * paths and messages, compile errors, the JSON-Schema-Test-Suite cases the
 * subset covers, the built-in schemas and the corpus of tests/fixtures.
 * Run from the top of the tree (or set AUDITORD_CORPUS and
 * JSON_SCHEMA_TEST_SUITE).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <jansson.h>

#include "schema/schema.h"

#define SUITE_DIR	"/usr/share/json-schema-test-suite/tests/draft7"
#define CORPUS_DIR	"tests/fixtures/corpus"

/* Record a check with a message of our own (CUnit copies the text). */
static void check(int ok, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
check(int ok, int line, const char *fmt, ...)
{
	char	msg[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg,
	    __FILE__, "", CU_FALSE);
}

/* JSON written with ' for " so that the tables below stay readable. */
static json_t *
parse(const char *text)
{
	json_error_t	 jerr;
	json_t		*v;
	char		*s, *p;

	if ((s = strdup(text)) == NULL)
		return NULL;
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	v = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (v == NULL)
		fprintf(stderr, "bad test JSON %s: %s\n", text, jerr.text);
	free(s);
	return v;
}

static struct schema *
compile_text(const char *text, char *err, size_t errlen)
{
	struct schema	*s;
	json_t		*doc;

	if ((doc = parse(text)) == NULL) {
		snprintf(err, errlen, "test schema is not JSON");
		return NULL;
	}
	s = schema_compile(doc, err, errlen);
	json_decref(doc);
	return s;
}

/*
 * A validation case: the number of errors, and the path and message of the
 * first (NULL: not checked). Messages use ' for " like the JSON does.
 */
struct vcase {
	const char	*kw;
	const char	*schema;
	const char	*instance;
	int		 nerr;
	const char	*path;
	const char	*message;
};

static const struct vcase vcases[] = {
	{ "type", "{'type':'string'}", "'x'", 0, NULL, NULL },
	{ "type", "{'type':'string'}", "1", 1, "", "must be a string" },
	{ "type", "{'type':'integer'}", "1", 0, NULL, NULL },
	{ "type", "{'type':'integer'}", "1.0", 0, NULL, NULL },
	{ "type", "{'type':'integer'}", "-0.0", 0, NULL, NULL },
	{ "type", "{'type':'integer'}", "1e3", 0, NULL, NULL },
	{ "type", "{'type':'integer'}", "1.5", 1, "", "must be an integer" },
	{ "type", "{'type':'integer'}", "'1'", 1, "", "must be an integer" },
	{ "type", "{'type':'number'}", "1.5", 0, NULL, NULL },
	{ "type", "{'type':'number'}", "7", 0, NULL, NULL },
	{ "type", "{'type':'number'}", "null", 1, "", "must be a number" },
	{ "type", "{'type':'boolean'}", "false", 0, NULL, NULL },
	{ "type", "{'type':'boolean'}", "0", 1, "", "must be a boolean" },
	{ "type", "{'type':'null'}", "null", 0, NULL, NULL },
	{ "type", "{'type':'null'}", "''", 1, "", "must be null" },
	{ "type", "{'type':'object'}", "[]", 1, "", "must be an object" },
	{ "type", "{'type':'array'}", "{}", 1, "", "must be an array" },
	{ "type", "{'type':['string','null']}", "null", 0, NULL, NULL },
	{ "type", "{'type':['null','string']}", "1", 1, "",
	    "must be a string or null" },
	{ "type", "{'type':['null','number','string']}", "true", 1, "",
	    "must be a string, a number or null" },
	{ "type", "{'type':'string','minLength':3}", "5", 1, "",
	    "must be a string" },
	{ "required", "{'required':['name','email']}", "{'email':'x'}", 1,
	    "/name", "is required" },
	{ "required", "{'required':['name','email']}", "{}", 2, "/name",
	    "is required" },
	{ "required", "{'required':['a/b','c~d']}", "{'c~d':1}", 1, "/a~1b",
	    "is required" },
	{ "required", "{'required':['a']}", "[1]", 0, NULL, NULL },
	{ "properties", "{'properties':{'a':{'properties':{'b':"
	    "{'type':'integer'}}}}}", "{'a':{'b':'x'}}", 1, "/a/b",
	    "must be an integer" },
	{ "properties", "{'properties':{'~/':{'type':'integer'}}}",
	    "{'~/':null}", 1, "/~0~1", "must be an integer" },
	{ "properties", "{'properties':{'a':false}}", "{'a':1}", 1, "/a",
	    "is not allowed" },
	{ "properties", "{'properties':{'a':true}}", "{'a':1}", 0, NULL, NULL },
	{ "additionalProperties", "{'properties':{'a':{}},"
	    "'additionalProperties':false}", "{'a':1,'b/x':2}", 1, "/b~1x",
	    "unknown field" },
	{ "additionalProperties", "{'properties':{'a':{}},"
	    "'additionalProperties':false}", "{'a':1}", 0, NULL, NULL },
	{ "additionalProperties", "{'additionalProperties':"
	    "{'type':'integer'}}", "{'x':'s'}", 1, "/x",
	    "must be an integer" },
	{ "enum", "{'enum':['a','b']}", "'b'", 0, NULL, NULL },
	{ "enum", "{'enum':['a','b']}", "'c'", 1, "", "must be one of: a, b" },
	{ "enum", "{'enum':[1,null,{'k':[1]}]}", "'1'", 1, "",
	    "must be one of: 1, null, {'k':[1]}" },
	{ "enum", "{'enum':[1,null,{'k':[1]}]}", "1.0", 0, NULL, NULL },
	{ "enum", "{'enum':[1,null,{'k':[1]}]}", "{'k':[1.0]}", 0, NULL,
	    NULL },
	{ "enum", "{'enum':[{'a':1,'b':2}]}", "{'b':2,'a':1}", 0, NULL, NULL },
	{ "enum", "{'enum':[{'a':1,'b':2}]}", "{'a':1}", 1, "", NULL },
	{ "const", "{'const':'x'}", "'y'", 1, "", "must be exactly: x" },
	{ "const", "{'const':{'a':[1,2]}}", "{'a':[1.0,2]}", 0, NULL, NULL },
	{ "const", "{'const':{'a':[1,2]}}", "{'a':[2,1]}", 1, "",
	    "must be exactly: {'a':[1,2]}" },
	{ "const", "{'const':false}", "0", 1, "", "must be exactly: false" },
	{ "minLength", "{'minLength':1}", "''", 1, "",
	    "must be at least 1 character" },
	{ "minLength", "{'minLength':2}", "'\\u00e9'", 1, "",
	    "must be at least 2 characters" },
	{ "minLength", "{'minLength':2}", "'\\ud83d\\ude00\\u00e9'", 0, NULL,
	    NULL },
	{ "minLength", "{'minLength':2}", "5", 0, NULL, NULL },
	{ "maxLength", "{'maxLength':2}", "'\\u00e9\\u00e9'", 0, NULL, NULL },
	{ "maxLength", "{'maxLength':2}", "'\\u00e9\\u00e9\\u00e9'", 1, "",
	    "must be at most 2 characters" },
	{ "maxLength", "{'maxLength':1}", "'\\ud83d\\ude00'", 0, NULL, NULL },
	{ "maxLength", "{'maxLength':1}", "'ab'", 1, "",
	    "must be at most 1 character" },
	{ "maxLength", "{'maxLength':2.0}", "'abc'", 1, "", NULL },
	{ "minimum", "{'minimum':1}", "1", 0, NULL, NULL },
	{ "minimum", "{'minimum':1}", "0.5", 1, "", "must be at least 1" },
	{ "minimum", "{'minimum':0.1}", "0", 1, "", "must be at least 0.1" },
	{ "minimum", "{'minimum':1}", "'0'", 0, NULL, NULL },
	{ "maximum", "{'maximum':1.5}", "2", 1, "", "must be at most 1.5" },
	{ "maximum", "{'maximum':9007199254740991}", "9007199254740992", 1,
	    "", "must be at most 9007199254740991" },
	{ "maximum", "{'maximum':3}", "3.0", 0, NULL, NULL },
	{ "exclusiveMinimum", "{'exclusiveMinimum':0}", "0", 1, "",
	    "must be greater than 0" },
	{ "exclusiveMinimum", "{'exclusiveMinimum':0}", "0.001", 0, NULL,
	    NULL },
	{ "exclusiveMaximum", "{'exclusiveMaximum':10}", "10.0", 1, "",
	    "must be less than 10" },
	{ "exclusiveMaximum", "{'exclusiveMaximum':10}", "9", 0, NULL, NULL },
	{ "multipleOf", "{'multipleOf':2}", "3", 1, "",
	    "must be a multiple of 2" },
	{ "multipleOf", "{'multipleOf':2}", "4.0", 0, NULL, NULL },
	{ "multipleOf", "{'multipleOf':0.5}", "1.5", 0, NULL, NULL },
	{ "multipleOf", "{'multipleOf':0.5}", "1.25", 1, "",
	    "must be a multiple of 0.5" },
	{ "items", "{'items':{'type':'integer'}}", "[1,'x',2.5]", 2, "/1",
	    "must be an integer" },
	{ "items", "{'items':false}", "[]", 0, NULL, NULL },
	{ "items", "{'items':false}", "[1]", 1, "/0", "is not allowed" },
	{ "items", "{'items':{'required':['a']}}", "[{'a':1},{}]", 1, "/1/a",
	    "is required" },
	{ "minItems", "{'minItems':1}", "[]", 1, "",
	    "must have at least 1 item" },
	{ "minItems", "{'minItems':1}", "{}", 0, NULL, NULL },
	{ "maxItems", "{'maxItems':2}", "[1,2,3]", 1, "",
	    "must have at most 2 items" },
	{ "maxItems", "{'maxItems':2}", "[1,2]", 0, NULL, NULL },
	{ "uniqueItems", "{'uniqueItems':true}", "['a','b']", 0, NULL, NULL },
	{ "uniqueItems", "{'uniqueItems':true}", "[1,2,1.0]", 1, "",
	    "must not contain duplicates (items 0 and 2 are equal)" },
	{ "uniqueItems", "{'uniqueItems':true}", "[0,-0.0]", 1, "", NULL },
	{ "uniqueItems", "{'uniqueItems':true}", "[0,false,1,true,null,'']", 0,
	    NULL, NULL },
	{ "uniqueItems", "{'uniqueItems':true}",
	    "[{'a':1,'b':[2]},{'b':[2],'a':1}]", 1, "", NULL },
	{ "uniqueItems", "{'uniqueItems':false}", "[1,1]", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^[a-z]+$'}", "'abc'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^[a-z]+$'}", "'ab1'", 1, "",
	    "must match the pattern ^[a-z]+$" },
	{ "pattern", "{'pattern':'b'}", "'abc'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^[a-z]+$'}", "5", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^.$'}", "'\\u00e9'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^.$'}", "'\\ud83d\\ude00'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^.$'}", "'\\n'", 1, "", NULL },
	{ "pattern", "{'pattern':'^.$'}", "'\\u2028'", 1, "", NULL },
	{ "pattern", "{'pattern':'^a.b$'}", "'a\\u0000b'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^[a-z]+$'}", "'ab\\u0000c'", 1, "", NULL },
	{ "pattern", "{'pattern':'^[^@]{1,3}$'}", "'\\u00e9\\u00e9\\u00e9'", 0,
	    NULL, NULL },
	{ "pattern", "{'pattern':'^a\\\\.b\\\\/c$'}", "'a.b/c'", 0, NULL, NULL },
	{ "pattern", "{'pattern':'^[\\u00e4\\u00f6]{2}$'}", "'\\u00f6\\u00e4'", 0,
	    NULL, NULL },
	{ "pattern", "{'pattern':'^[\\u00e4\\u00f6]+$'}", "'a'", 1, "", NULL },
	{ "pattern", "{'pattern':'^a\\\\.b$'}", "'axb'", 1, "", NULL },
	{ "pattern", "{'pattern':'^[^@ \\t]+$'}", "'a\\tb'", 1, "",
	    "must match the pattern ^[^@ \\t]+$" },
	{ "pattern", "{'pattern':'^[^@ \\t]+$'}", "'tnr'", 0, NULL, NULL },
	{ "format", "{'format':'date'}", "'2024-02-29'", 0, NULL, NULL },
	{ "format", "{'format':'date'}", "'2023-02-29'", 1, "",
	    "is not a valid date (YYYY-MM-DD)" },
	{ "format", "{'format':'date'}", "'2024-02-29\\u0000'", 1, "", NULL },
	{ "format", "{'format':'date'}", "20240229", 0, NULL, NULL },
	{ "format", "{'format':'date-time'}", "'2026-01-31T09:30:00Z'", 0, NULL,
	    NULL },
	{ "format", "{'format':'date-time'}", "'2026-02-30T00:00:00Z'", 1, "",
	    "is not a valid date-time (RFC 3339, e.g. 2026-01-31T09:30:00Z)" },
	{ "format", "{'format':'date-time'}", "'2016-12-31T23:59:60Z'", 0,
	    NULL, NULL },
	{ "format", "{'format':'date-time'}", "'2017-01-01T05:29:60+05:30'", 0,
	    NULL, NULL },
	{ "format", "{'format':'date-time'}", "'2016-12-31T23:58:60Z'", 1, "",
	    NULL },
	{ "format", "{'format':'date-time'}", "'2016-12-31T23:59:60+01:00'", 1,
	    "", NULL },
	{ "format", "{'format':'date-time'}", "'2026-01-31T09:30:00+0100'", 1,
	    "", NULL },
	{ "$ref", "{'$defs':{'pos':{'type':'integer','minimum':1}},"
	    "'properties':{'n':{'$ref':'#/$defs/pos'}}}", "{'n':0}", 1, "/n",
	    "must be at least 1" },
	{ "$ref", "{'$defs':{'s':{'type':'string'}},'$ref':'#/$defs/s',"
	    "'maxLength':2}", "'abc'", 1, "", "must be at most 2 characters" },
	{ "$ref", "{'$defs':{'s':{'type':'string'}},'$ref':'#/$defs/s',"
	    "'maxLength':2}", "1", 1, "", "must be a string" },
	{ "$ref", "{'$defs':{'a/b~':{'type':'null'}},'$ref':'#/$defs/a~1b~0'}",
	    "1", 1, "", "must be null" },
	{ "$ref", "{'$defs':{'a':{'$ref':'#/$defs/b'},'b':{'type':'null'}},"
	    "'items':{'$ref':'#/$defs/a'}}", "[null,0]", 1, "/1",
	    "must be null" },
	{ "$ref", "{'required':['name'],'properties':{'child':{'$ref':'#'}}}",
	    "{'name':1,'child':{'name':1,'child':{}}}", 1, "/child/child/name",
	    "is required" },
	{ "boolean", "true", "{'anything':[1]}", 0, NULL, NULL },
	{ "boolean", "false", "null", 1, "", "is not allowed" },
	{ "annotations", "{'$schema':'https://json-schema.org/draft/2020-12/"
	    "schema','$id':'urn:x','title':'t','description':'d',"
	    "'$comment':'c'}", "1", 0, NULL, NULL },
	/* readOnly, x-filters and x-defaults never change a verdict. */
	{ "annotations", "{'readOnly':true,'x-filters':['a'],'x-defaults':"
	    "['a'],'required':['a'],'properties':{'a':{'type':'string',"
	    "'readOnly':false}}}", "{'a':'x'}", 0, NULL, NULL },
	{ "annotations", "{'x-defaults':['a'],'required':['a'],'properties':"
	    "{'a':{'readOnly':true}}}", "{}", 1, "/a", "is required" },
};

static void
run_cases(const char *kw)
{
	const struct vcase	*c;
	struct schema		*s;
	json_t			*inst, *errors, *first;
	char			 err[512], want[256];
	const char		*path, *msg;
	size_t			 i, ran = 0;
	int			 n;

	for (i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		c = &vcases[i];
		if (strcmp(c->kw, kw) != 0)
			continue;
		ran++;
		s = compile_text(c->schema, err, sizeof err);
		inst = parse(c->instance);
		check(s != NULL && inst != NULL, __LINE__, "%s: compile %s: %s",
		    kw, c->schema, err);
		if (s == NULL || inst == NULL) {
			schema_free(s);
			json_decref(inst);
			continue;
		}
		errors = json_array();
		n = schema_validate(s, inst, errors, 0);
		first = json_array_get(errors, 0);
		path = json_string_value(json_object_get(first, "path"));
		msg = json_string_value(json_object_get(first, "message"));
		check(n == c->nerr && (size_t)n == json_array_size(errors),
		    __LINE__, "%s: %s against %s: %d errors, want %d (first: "
		    "%s %s)", kw, c->instance, c->schema, n, c->nerr,
		    path ? path : "-", msg ? msg : "-");
		if (c->path != NULL)
			check(path != NULL && strcmp(path, c->path) == 0,
			    __LINE__, "%s: %s against %s: path %s, want %s", kw,
			    c->instance, c->schema, path ? path : "-", c->path);
		if (c->message != NULL) {
			char *p;
			snprintf(want, sizeof want, "%s", c->message);
			for (p = want; *p != '\0'; p++)
				if (*p == '\'')
					*p = '"';
			check(msg != NULL && strcmp(msg, want) == 0, __LINE__,
			    "%s: %s against %s: message \"%s\", want \"%s\"",
			    kw, c->instance, c->schema, msg ? msg : "-", want);
		}
		json_decref(errors);
		json_decref(inst);
		schema_free(s);
	}
	check(ran > 0, __LINE__, "no cases for %s", kw);
}

#define KW_TEST(fn, kw)	static void fn(void) { run_cases(kw); }
KW_TEST(test_type, "type")
KW_TEST(test_required, "required")
KW_TEST(test_properties, "properties")
KW_TEST(test_additional, "additionalProperties")
KW_TEST(test_enum, "enum")
KW_TEST(test_const, "const")
KW_TEST(test_min_length, "minLength")
KW_TEST(test_max_length, "maxLength")
KW_TEST(test_minimum, "minimum")
KW_TEST(test_maximum, "maximum")
KW_TEST(test_xminimum, "exclusiveMinimum")
KW_TEST(test_xmaximum, "exclusiveMaximum")
KW_TEST(test_multiple_of, "multipleOf")
KW_TEST(test_items, "items")
KW_TEST(test_min_items, "minItems")
KW_TEST(test_max_items, "maxItems")
KW_TEST(test_unique_items, "uniqueItems")
KW_TEST(test_pattern, "pattern")
KW_TEST(test_format, "format")
KW_TEST(test_ref, "$ref")
KW_TEST(test_boolean, "boolean")
KW_TEST(test_annotations, "annotations")

static void
test_error_limits(void)
{
	struct schema	*s;
	json_t		*inst, *errors;
	char		 err[256];

	s = compile_text("{'required':['a','b','c']}", err, sizeof err);
	inst = parse("{}");
	CU_ASSERT_FATAL(s != NULL && inst != NULL);
	errors = parse("[{'path':'/x','message':'earlier'}]");
	CU_ASSERT_EQUAL(schema_validate(s, inst, errors, 1), 3);
	CU_ASSERT_EQUAL(json_array_size(errors), 2);	/* one appended */
	CU_ASSERT_EQUAL(schema_validate(s, inst, NULL, 0), 3);
	CU_ASSERT_EQUAL(schema_validate(s, inst, errors, 0), 3);
	CU_ASSERT_EQUAL(json_array_size(errors), 5);
	/* A non-array for errors is ignored, not written into. */
	json_decref(errors);
	errors = json_object();
	CU_ASSERT_EQUAL(schema_validate(s, inst, errors, 0), 3);
	CU_ASSERT_EQUAL(json_object_size(errors), 0);
	CU_ASSERT(schema_validate(NULL, inst, NULL, 0) > 0);
	CU_ASSERT(schema_validate(s, NULL, NULL, 0) > 0);
	json_decref(errors);
	json_decref(inst);
	schema_free(s);
	schema_free(NULL);
}

/* A recursive schema against a very deep instance ends with an error. */
static void
test_depth(void)
{
	struct schema	*s;
	json_t		*inst, *cur, *next, *errors;
	char		 err[256];
	int		 i;

	s = compile_text("{'type':'object','properties':{'c':{'$ref':'#'}}}",
	    err, sizeof err);
	CU_ASSERT_FATAL(s != NULL);
	inst = cur = json_object();
	for (i = 0; i < 2000; i++) {
		next = json_object();
		json_object_set_new(cur, "c", next);
		cur = next;
	}
	errors = json_array();
	CU_ASSERT_EQUAL(schema_validate(s, inst, errors, 0), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	    json_array_get(errors, 0), "message")), "is nested too deeply");
	json_decref(errors);
	json_decref(inst);
	schema_free(s);
}

/* Long arrays take the hashing path of uniqueItems. */
static void
test_unique_long(void)
{
	struct schema	*s;
	json_t		*arr, *errors;
	char		 err[256];
	int		 i;

	s = compile_text("{'uniqueItems':true}", err, sizeof err);
	CU_ASSERT_FATAL(s != NULL);
	arr = json_array();
	for (i = 0; i < 1000; i++)
		json_array_append_new(arr, i % 3 ? json_integer(i) :
		    json_pack("{s:i, s:[i]}", "a", i, "b", i));
	CU_ASSERT_EQUAL(schema_validate(s, arr, NULL, 0), 0);
	json_array_set_new(arr, 900, json_real(37.0));
	json_array_set_new(arr, 950, json_pack("{s:[i], s:i}", "b", 3,
	    "a", 3));
	errors = json_array();
	CU_ASSERT_EQUAL(schema_validate(s, arr, errors, 0), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	    json_array_get(errors, 0), "message")),
	    "must not contain duplicates (items 37 and 900 are equal)");
	json_decref(errors);
	json_decref(arr);
	schema_free(s);
}

/* The schema keeps its own copy: the caller may change or free doc. */
static void
test_doc_copied(void)
{
	struct schema	*s;
	json_t		*doc, *inst;
	char		 err[256];

	doc = parse("{'enum':['a','b'],'properties':{'x':{'type':'string'}}}");
	s = schema_compile(doc, err, sizeof err);
	CU_ASSERT_FATAL(s != NULL);
	json_object_clear(doc);
	json_decref(doc);
	inst = parse("'c'");
	CU_ASSERT_EQUAL(schema_validate(s, inst, NULL, 0), 1);
	json_decref(inst);
	schema_free(s);
	CU_ASSERT_PTR_NULL(schema_compile(NULL, err, sizeof err));
	CU_ASSERT_PTR_NULL(schema_compile(NULL, NULL, 0));
}

/* Schemas that must not compile, and a piece of the error each gives. */
static const struct ccase {
	const char	*schema;
	const char	*want;
} ccases[] = {
	{ "{'minlenght':1}", "at /minlenght: unsupported keyword" },
	{ "{'properties':{'a/b':{'patternProperties':{}}}}",
	    "at /properties/a~1b/patternProperties: unsupported keyword" },
	{ "{'items':{'items':{'contains':{}}}}", "at /items/items/contains" },
	{ "{'$defs':{'x':{'oneOf':[]}}}", "at /$defs/x/oneOf" },
	{ "{'definitions':{}}", "unsupported keyword \"definitions\"" },
	{ "5", "at the root: a schema must be an object" },
	{ "{'properties':{'a':1}}", "at /properties/a: a schema must be" },
	{ "{'type':'str'}", "at /type: type must name types" },
	{ "{'type':[]}", "must not be an empty array" },
	{ "{'type':['string','string']}", "names string twice" },
	{ "{'required':'a'}", "at /required: required must be an array" },
	{ "{'required':['a','a']}", "lists \"a\" twice" },
	{ "{'required':[1]}", "required must be an array of strings" },
	{ "{'properties':[]}", "properties must be an object" },
	{ "{'minLength':-1}", "at /minLength: minLength must be a non-neg" },
	{ "{'maxItems':'1'}", "maxItems must be a non-negative integer" },
	{ "{'minItems':1.5}", "minItems must be a non-negative integer" },
	{ "{'minimum':'0'}", "at /minimum: minimum must be a number" },
	{ "{'multipleOf':0}", "multipleOf must be greater than 0" },
	{ "{'multipleOf':-2}", "multipleOf must be greater than 0" },
	{ "{'uniqueItems':1}", "uniqueItems must be true or false" },
	{ "{'enum':[]}", "enum must be a non-empty array" },
	{ "{'enum':'a'}", "enum must be a non-empty array" },
	{ "{'format':'email'}", "format must be \"date\" or \"date-time\"" },
	{ "{'items':[{}]}", "at /items: items as an array" },
	{ "{'additionalProperties':'no'}", "a schema must be an object" },
	{ "{'additionalProperties':[]}", "at /additionalProperties: a schema" },
	{ "{'title':5}", "at /title: title must be a string" },
	{ "{'$schema':null}", "$schema must be a string" },
	{ "{'pattern':5}", "pattern must be a string" },
	{ "{'pattern':'\\\\d+'}", "write [0-9] for \\d" },
	{ "{'pattern':'\\\\s'}", "only \\ before one of" },
	{ "{'pattern':'(a)\\\\1'}", "only \\ before one of" },
	{ "{'pattern':'a\\\\'}", "only \\ before one of" },
	{ "{'pattern':'[\\\\d]'}", "a backslash inside []" },
	{ "{'pattern':'[[:alpha:]]'}", "[:class:]" },
	{ "{'pattern':'(?=a)b'}", "look-arounds" },
	{ "{'pattern':'(?:a)'}", "(? groups" },
	{ "{'pattern':'[]a]'}", "\"]\" first inside []" },
	{ "{'pattern':'[^]a]'}", "\"]\" first inside []" },
	{ "{'pattern':'[abc'}", "unterminated [" },
	{ "{'pattern':'a{2'}", "at /pattern: pattern \"a{2\"" },
	{ "{'pattern':'(a'}", "at /pattern: pattern \"(a\"" },
	{ "{'$ref':5}", "$ref must be \"#\" or \"#/$defs/NAME\"" },
	{ "{'$ref':'#/definitions/a'}", "$ref must be \"#\" or" },
	{ "{'$ref':'#/properties/a'}", "$ref must be \"#\" or" },
	{ "{'$ref':'http://x/y#'}", "$ref must be \"#\" or" },
	{ "{'$ref':'#/$defs/'}", "$ref must be \"#\" or" },
	{ "{'$ref':'#/$defs/a/b'}", "$ref must be \"#\" or" },
	{ "{'$ref':'#/$defs/a%20b'}", "$ref must be \"#\" or" },
	{ "{'properties':{'x':{'$ref':'#/$defs/nope'}}}",
	    "at /properties/x/$ref: \"#/$defs/nope\" names no entry" },
	{ "{'$defs':{'a':{'$ref':'#/$defs/b'},'b':{'$ref':'#/$defs/a'}}}",
	    "refers back to itself" },
	{ "{'$ref':'#'}", "at /$ref: \"#\" refers back to itself" },
	{ "{'$defs':{'a':{'$ref':'#/$defs/a','type':'string'}}}",
	    "at /$defs/a/$ref: \"#/$defs/a\" refers back" },
	{ "{'properties':{'x':{'$defs':{}}}}",
	    "at /properties/x/$defs: $defs is only supported at the root" },
	{ "{'$defs':[]}", "$defs must be an object" },
	{ "{'readOnly':1}", "at /readOnly: readOnly must be true or false" },
	{ "{'x-other':[]}", "at /x-other: unsupported keyword" },
	{ "{'x-filters':'a'}", "at /x-filters: x-filters must be an array of "
	    "strings" },
	{ "{'x-filters':[1]}", "x-filters must be an array of strings" },
	{ "{'x-filters':['a','a'],'properties':{'a':{'type':'string'}}}",
	    "at /x-filters: x-filters lists \"a\" twice" },
	{ "{'x-filters':['a']}", "at /x-filters/0: \"a\" is not a string "
	    "property" },
	{ "{'properties':{'a':{'type':'string'},'n':{'type':'integer'}},"
	    "'x-filters':['a','n']}", "at /x-filters/1: \"n\" is not a string "
	    "property" },
	{ "{'x-filters':['A'],'properties':{'a':{'type':'string'}}}",
	    "\"A\" is not a string property" },
	{ "{'properties':{'x':{'x-filters':[]}}}",
	    "at /properties/x/x-filters: x-filters is only supported at the root" },
	{ "{'x-defaults':{}}", "at /x-defaults: x-defaults must be an array" },
	{ "{'x-defaults':['a'],'properties':{'a':{}}}",
	    "at /x-defaults/0: \"a\" is not a required property" },
	{ "{'x-defaults':['a'],'required':['a']}",
	    "at /x-defaults/0: \"a\" is not a required property" },
	{ "{'$defs':{'d':{'x-defaults':[]}}}",
	    "at /$defs/d/x-defaults: x-defaults is only supported at the root" },
};

static void
test_compile_errors(void)
{
	struct schema	*s;
	char		 err[512];
	size_t		 i;

	for (i = 0; i < sizeof ccases / sizeof ccases[0]; i++) {
		snprintf(err, sizeof err, "(none)");
		s = compile_text(ccases[i].schema, err, sizeof err);
		check(s == NULL && strstr(err, ccases[i].want) != NULL,
		    __LINE__, "compiling %s: \"%s\", want \"%s\"",
		    ccases[i].schema, s ? "compiled" : err, ccases[i].want);
		schema_free(s);
	}
	/* Recursion through properties is not a loop; errlen 0 is safe. */
	s = compile_text("{'properties':{'a':{'$ref':'#'}}}", err, 0);
	CU_ASSERT_PTR_NOT_NULL(s);
	schema_free(s);
}

/*
 * JSON-Schema-Test-Suite (draft 7). A group is run when its schema keeps to
 * the subset (its schema must then compile); otherwise it is skipped, and
 * its schema must fail to compile, since nothing may be half-checked.
 */
static const char *const suite_files[] = {
	"type", "required", "properties", "additionalProperties", "enum",
	"const", "minLength", "maxLength", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "items",
	"minItems", "maxItems", "uniqueItems", "pattern", "ref",
	"optional/format/date", "optional/format/date-time",
};

static int
in_subset(json_t *s)
{
	static const char *const plain[] = { "type", "required", "enum",
	    "const", "minLength", "maxLength", "minimum", "maximum",
	    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
	    "maxItems", "uniqueItems", "pattern", "$schema", "$id", "title",
	    "description", "$comment" };
	const char	*key, *r;
	json_t		*v, *sub;
	size_t		 i;

	if (json_is_boolean(s))
		return 1;
	if (!json_is_object(s))
		return 0;
	json_object_foreach(s, key, v) {
		for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
			if (strcmp(key, plain[i]) == 0)
				break;
		if (i < sizeof plain / sizeof plain[0])
			continue;
		if (strcmp(key, "properties") == 0 ||
		    strcmp(key, "$defs") == 0) {
			const char *name;
			json_object_foreach(v, name, sub)
				if (!in_subset(sub))
					return 0;
		} else if (strcmp(key, "items") == 0 ||
		    strcmp(key, "additionalProperties") == 0) {
			if (!in_subset(v))
				return 0;
		} else if (strcmp(key, "format") == 0) {
			r = json_string_value(v);
			if (r == NULL || (strcmp(r, "date") != 0 &&
			    strcmp(r, "date-time") != 0))
				return 0;
		} else if (strcmp(key, "$ref") == 0) {
			r = json_string_value(v);
			if (r == NULL || (strcmp(r, "#") != 0 &&
			    strncmp(r, "#/$defs/", 8) != 0))
				return 0;
		} else
			return 0;
	}
	return 1;
}

static void
test_suite(void)
{
	const char	*dir = getenv("JSON_SCHEMA_TEST_SUITE");
	json_error_t	 jerr;
	json_t		*file, *group, *t;
	struct schema	*s;
	char		 path[1024], err[512];
	size_t		 f, g, k;
	int		 ran = 0, groups = 0, skipped = 0, n, want;

	if (dir == NULL)
		dir = SUITE_DIR;
	for (f = 0; f < sizeof suite_files / sizeof suite_files[0]; f++) {
		snprintf(path, sizeof path, "%s/%s.json", dir, suite_files[f]);
		file = json_load_file(path, 0, &jerr);
		check(file != NULL, __LINE__, "%s: %s", path, jerr.text);
		json_array_foreach(file, g, group) {
			const char *desc = json_string_value(json_object_get(
			    group, "description"));
			json_t *schema = json_object_get(group, "schema");
			s = schema_compile(schema, err, sizeof err);
			if (!in_subset(schema)) {
				skipped++;
				check(s == NULL, __LINE__, "%s: \"%s\" uses more "
				    "than the subset but compiled",
				    suite_files[f], desc);
				schema_free(s);
				continue;
			}
			groups++;
			check(s != NULL, __LINE__, "%s: \"%s\": %s",
			    suite_files[f], desc, err);
			if (s == NULL)
				continue;
			json_array_foreach(json_object_get(group, "tests"), k,
			    t) {
				n = schema_validate(s, json_object_get(t, "data"),
				    NULL, 0);
				want = json_is_true(json_object_get(t, "valid"));
				check((n == 0) == want, __LINE__, "%s: \"%s\": "
				    "\"%s\": %s, want %s", suite_files[f], desc,
				    json_string_value(json_object_get(t,
				    "description")), n ? "invalid" : "valid",
				    want ? "valid" : "invalid");
				ran++;
			}
			schema_free(s);
		}
		json_decref(file);
	}
	printf("\n  json-schema-test-suite: %d cases run in %d groups, "
	    "%d groups skipped (outside the subset) ", ran, groups, skipped);
	check(ran >= 150, __LINE__, "only %d suite cases ran", ran);
}

/* Every built-in schema parses and compiles; unknown types are NULL. */
static void
test_builtin(void)
{
	static const char *const types[] = { "area", "auditor", "principal",
	    "event", "problem" };
	json_t		*doc;
	struct schema	*s;
	char		 err[512];
	size_t		 i;

	CU_ASSERT_EQUAL_FATAL(schema_builtin_init(err, sizeof err), 0);
	CU_ASSERT_EQUAL(schema_builtin_init(NULL, 0), 0);
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		check(schema_builtin(types[i]) != NULL, __LINE__,
		    "no built-in schema %s", types[i]);
	CU_ASSERT_PTR_NULL(schema_builtin("nope"));
	CU_ASSERT_PTR_NULL(schema_builtin(NULL));
	for (i = 0; schema_texts[i].type != NULL; i++) {
		CU_ASSERT_PTR_NOT_NULL(schema_builtin(schema_texts[i].type));
		doc = json_loadb(schema_texts[i].text, schema_texts[i].len,
		    JSON_REJECT_DUPLICATES, NULL);
		check(doc != NULL && strcmp(json_string_value(json_object_get(
		    doc, "$schema")) ? json_string_value(json_object_get(doc,
		    "$schema")) : "", "https://json-schema.org/draft/2020-12/"
		    "schema") == 0, __LINE__, "%s: not a 2020-12 schema",
		    schema_texts[i].type);
		s = schema_compile(doc, err, sizeof err);
		check(s != NULL, __LINE__, "%s: %s", schema_texts[i].type, err);
		schema_free(s);
		json_decref(doc);
	}
	CU_ASSERT(i >= 5);
}

/* The property walk: kinds, choices, descriptions through $ref, flags. */
static void
test_props(void)
{
	static const char	 text[] = "{'required':['id','rev','name',"
	    "'state'],'x-filters':['state','name'],'x-defaults':['id','state'],"
	    "'properties':{"
	    "'id':{'$ref':'#/$defs/id'},"
	    "'rev':{'readOnly':true,'$ref':'#/$defs/rev','description':'own'},"
	    "'name':{'type':'string','description':'Name.'},"
	    "'state':{'enum':['on','off']},"
	    "'tags':{'type':'array','items':{'enum':['a','b']}},"
	    "'langs':{'type':'array','items':{'$ref':'#/$defs/id'}},"
	    "'nums':{'type':'array','items':{'type':'integer'}},"
	    "'link':{'type':['string','null']},"
	    "'n':{'type':'integer'},'x':{'type':'number'},"
	    "'b':{'type':'boolean'},'o':{'type':'object'},"
	    "'mixed':{'type':['string','integer']},'any':{},'no':false,"
	    "'odd':{'enum':[1,'a']},'opt':{'enum':['y',null]}},"
	    "'$defs':{'id':{'type':'string','description':'An id.'},"
	    "'rev':{'type':'integer','readOnly':false,'description':'Rev.'}}}";
	static const struct {
		const char		*name;
		enum schema_kind	 kind;
		const char		*choices;	/* joined by | */
		const char		*desc;
		int			 req, server, dflt, nullable;
	} want[] = {
		{ "id", SCHEMA_STRING, NULL, "An id.", 1, 0, 1, 0 },
		{ "rev", SCHEMA_INTEGER, NULL, "own", 1, 1, 0, 0 },
		{ "name", SCHEMA_STRING, NULL, "Name.", 1, 0, 0, 0 },
		{ "state", SCHEMA_STRING, "on|off", NULL, 1, 0, 1, 0 },
		{ "tags", SCHEMA_STRINGS, "a|b", NULL, 0, 0, 0, 0 },
		{ "langs", SCHEMA_STRINGS, NULL, NULL, 0, 0, 0, 0 },
		{ "nums", SCHEMA_OTHER, NULL, NULL, 0, 0, 0, 0 },
		{ "link", SCHEMA_STRING, NULL, NULL, 0, 0, 0, 1 },
		{ "n", SCHEMA_INTEGER, NULL, NULL, 0, 0, 0, 0 },
		{ "x", SCHEMA_NUMBER, NULL, NULL, 0, 0, 0, 0 },
		{ "b", SCHEMA_BOOLEAN, NULL, NULL, 0, 0, 0, 0 },
		{ "o", SCHEMA_OBJECT, NULL, NULL, 0, 0, 0, 0 },
		{ "mixed", SCHEMA_OTHER, NULL, NULL, 0, 0, 0, 0 },
		{ "any", SCHEMA_OTHER, NULL, NULL, 0, 0, 0, 1 },
		{ "no", SCHEMA_OTHER, NULL, NULL, 0, 0, 0, 0 },
		{ "odd", SCHEMA_OTHER, NULL, NULL, 0, 0, 0, 0 },
		{ "opt", SCHEMA_STRING, "y", NULL, 0, 0, 0, 1 },
	};
	const struct schema_prop	*p;
	const char *const		*names, *const *c;
	struct schema			*s;
	char				 err[512], joined[64];
	size_t				 i, n;

	s = compile_text(text, err, sizeof err);
	check(s != NULL, __LINE__, "compile: %s", err);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(schema_nprops(s), sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		p = schema_prop(s, i);
		CU_ASSERT_PTR_EQUAL(schema_prop_find(s, want[i].name), p);
		if (p == NULL)
			continue;
		joined[0] = '\0';
		for (c = p->choices; c != NULL && *c != NULL; c++)
			snprintf(joined + strlen(joined), sizeof joined -
			    strlen(joined), "%s%s", c == p->choices ? "" : "|",
			    *c);
		check(strcmp(p->name, want[i].name) == 0 &&
		    p->kind == want[i].kind && p->required == want[i].req &&
		    p->server == want[i].server && p->dflt == want[i].dflt &&
		    p->nullable == want[i].nullable &&
		    (want[i].choices ? strcmp(joined, want[i].choices) == 0 :
		    p->choices == NULL) &&
		    (want[i].desc ? p->description != NULL &&
		    strcmp(p->description, want[i].desc) == 0 :
		    p->description == NULL), __LINE__, "property %zu: %s kind "
		    "%d choices %s desc %s req %d server %d dflt %d null %d",
		    i, p->name, (int)p->kind, p->choices ? joined : "(none)",
		    p->description ? p->description : "(none)", p->required,
		    p->server, p->dflt, p->nullable);
	}
	CU_ASSERT_PTR_NULL(schema_prop(s, schema_nprops(s)));
	CU_ASSERT_PTR_NULL(schema_prop_find(s, "nope"));
	CU_ASSERT_PTR_NULL(schema_prop_find(s, NULL));
	n = schema_filters(s, &names);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(n == 2 && strcmp(names[0], "state") == 0 &&
	    strcmp(names[1], "name") == 0 && names[2] == NULL);
	schema_free(s);

	/* No properties, no filters. */
	s = compile_text("{'type':'string'}", err, sizeof err);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(schema_nprops(s), 0);
	CU_ASSERT_PTR_NULL(schema_prop(s, 0));
	CU_ASSERT_EQUAL(schema_filters(s, &names), 0);
	CU_ASSERT_PTR_NULL(names);
	schema_free(s);
	CU_ASSERT_EQUAL(schema_nprops(NULL), 0);
	CU_ASSERT_EQUAL(schema_filters(NULL, &names), 0);
}

static int
in_list(const json_t *arr, const char *name)
{
	const json_t	*v;
	size_t		 i;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return 1;
	return 0;
}

/*
 * The built-in schemas as the walk shows them agree with their documents:
 * every property, its enum, required, readOnly, x-filters and x-defaults.
 */
static void
test_builtin_props(void)
{
	const struct schema		*s;
	const struct schema_prop	*p;
	const char *const		*names;
	json_t				*doc, *props, *def, *en;
	const char			*key;
	size_t				 i, k, n;
	int				 filters = 0;

	for (i = 0; schema_texts[i].type != NULL; i++) {
		s = schema_builtin(schema_texts[i].type);
		doc = json_loadb(schema_texts[i].text, schema_texts[i].len, 0,
		    NULL);
		CU_ASSERT_FATAL(s != NULL && doc != NULL);
		props = json_object_get(doc, "properties");
		CU_ASSERT_EQUAL(schema_nprops(s), json_object_size(props));
		json_object_foreach(props, key, def) {
			p = schema_prop_find(s, key);
			check(p != NULL, __LINE__, "%s: no property %s",
			    schema_texts[i].type, key);
			if (p == NULL)
				continue;
			/* An array of an enum offers the items' choices. */
			if ((en = json_object_get(def, "enum")) == NULL)
				en = json_object_get(json_object_get(def,
				    "items"), "enum");
			for (k = 0; en != NULL && k < json_array_size(en); k++)
				check(p->choices != NULL && p->choices[k] !=
				    NULL && strcmp(p->choices[k],
				    json_string_value(json_array_get(en, k))) ==
				    0, __LINE__, "%s.%s: choice %zu",
				    schema_texts[i].type, key, k);
			check(en == NULL ? p->choices == NULL :
			    p->choices[json_array_size(en)] == NULL, __LINE__,
			    "%s.%s: choices", schema_texts[i].type, key);
			check(p->required == in_list(json_object_get(doc,
			    "required"), key) && p->dflt == in_list(
			    json_object_get(doc, "x-defaults"), key), __LINE__,
			    "%s.%s: required %d, default %d",
			    schema_texts[i].type, key, p->required, p->dflt);
			check(p->server == json_is_true(json_object_get(def,
			    "readOnly")), __LINE__, "%s.%s: readOnly",
			    schema_texts[i].type, key);
		}
		n = schema_filters(s, &names);
		filters += (int)n;
		CU_ASSERT_EQUAL(n, json_array_size(json_object_get(doc,
		    "x-filters")));
		for (k = 0; k < n; k++)
			CU_ASSERT_STRING_EQUAL(names[k], json_string_value(
			    json_array_get(json_object_get(doc, "x-filters"),
			    k)));
		json_decref(doc);
	}
	/* auditor, area and principal each have some. */
	CU_ASSERT(filters >= 3);
}

/* The corpus: each file judged as its directory says. */
struct doc {
	char		 path[1024];
	const char	*type;
	json_t		*json;
	int		 valid;
};
static struct doc	*docs;
static size_t		 ndocs;

static void
load_corpus(void)
{
	const char	*dir = getenv("AUDITORD_CORPUS");
	DIR		*td, *fd;
	struct dirent	*te, *fe;
	char		 sub[512];
	int		 v;

	if (dir == NULL)
		dir = CORPUS_DIR;
	if ((td = opendir(dir)) == NULL)
		return;
	while ((te = readdir(td)) != NULL) {
		if (te->d_name[0] == '.')
			continue;
		for (v = 0; v < 2; v++) {
			snprintf(sub, sizeof sub, "%s/%s/%s", dir, te->d_name,
			    v ? "valid" : "invalid");
			if ((fd = opendir(sub)) == NULL)
				continue;
			while ((fe = readdir(fd)) != NULL) {
				struct doc *d, *nd;
				if (strstr(fe->d_name, ".json") == NULL)
					continue;
				nd = realloc(docs, (ndocs + 1) * sizeof *docs);
				if (nd == NULL)
					break;
				docs = nd;
				d = &docs[ndocs++];
				snprintf(d->path, sizeof d->path, "%s/%s", sub,
				    fe->d_name);
				d->type = strdup(te->d_name);
				d->json = json_load_file(d->path,
				    JSON_REJECT_DUPLICATES, NULL);
				d->valid = v;
			}
			closedir(fd);
		}
	}
	closedir(td);
}

static void
test_corpus(void)
{
	static const char *const types[] = { "area", "auditor", "principal",
	    "event", "problem" };
	const struct schema	*s;
	size_t			 i, t, counts[2];
	int			 n;

	load_corpus();
	for (t = 0; t < sizeof types / sizeof types[0]; t++) {
		counts[0] = counts[1] = 0;
		for (i = 0; i < ndocs; i++)
			if (strcmp(docs[i].type, types[t]) == 0)
				counts[docs[i].valid]++;
		check(counts[1] >= 8 && counts[0] >= 12, __LINE__, "corpus %s: "
		    "%zu valid, %zu invalid documents", types[t], counts[1],
		    counts[0]);
	}
	for (i = 0; i < ndocs; i++) {
		s = schema_builtin(docs[i].type);
		check(s != NULL && docs[i].json != NULL, __LINE__,
		    "%s: no schema or not JSON", docs[i].path);
		if (s == NULL || docs[i].json == NULL)
			continue;
		n = schema_validate(s, docs[i].json, NULL, 0);
		check((n == 0) == docs[i].valid, __LINE__, "%s judged %s",
		    docs[i].path, n ? "invalid" : "valid");
	}
	printf("\n  corpus: %zu documents ", ndocs);
}

/* Compiled schemas are shared by the daemon's workers. */
static void *
judge_all(void *arg)
{
	size_t	i, round, *wrong = arg;

	for (round = 0; round < 20; round++)
		for (i = 0; i < ndocs; i++) {
			json_t *errors = json_array();
			int n = schema_validate(schema_builtin(docs[i].type),
			    docs[i].json, errors, 0);
			if ((n == 0) != docs[i].valid)
				(*wrong)++;
			json_decref(errors);
		}
	return NULL;
}

static void
test_threads(void)
{
	pthread_t	th[4];
	size_t		wrong[4] = { 0 }, i;

	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, judge_all,
		    &wrong[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(wrong[i], 0);
	}
}

/*
 * Bounded work: a body of one value repeated costs steps linear in its
 * length, for uniqueItems too (a run of equal hashes is not compared in
 * pairs); an array past its maxItems is not looked into at all. Held by
 * the validator's step count, never by a clock.
 */
static void
test_bounded_work(void)
{
	struct schema		*s;
	const struct schema	*aud;
	json_t			*arr, *doc, *errs;
	char			 err[256];
	size_t			 i, steps, n = 100000;

	s = compile_text("{\"type\":\"array\",\"uniqueItems\":true,"
	    "\"items\":{\"type\":\"string\",\"maxLength\":6}}", err,
	    sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string("en"));
	errs = json_array();
	CU_ASSERT_EQUAL(schema_validate_steps(s, arr, errs, 10, &steps), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	    json_array_get(errs, 0), "message")), "must not contain duplicates "
	    "(items 0 and 1 are equal)");
	/* n hashes, n nodes for the items, a few compares: not n^2 / 2. */
	CU_ASSERT(steps <= 3 * n);
	json_decref(errs);
	/* Distinct values: the same order of work. */
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_sprintf("%zx", i));
	CU_ASSERT_EQUAL(schema_validate_steps(s, arr, NULL, 0, &steps), 0);
	CU_ASSERT(steps <= 3 * n);
	schema_free(s);

	/*
	 * 40,000 copies of "en" as an auditor's languages (maxItems 20): the
	 * one error is the bound, found without walking the 40,000.
	 */
	CU_ASSERT_EQUAL_FATAL(schema_builtin_init(err, sizeof err), 0);
	aud = schema_builtin("auditor");
	CU_ASSERT_PTR_NOT_NULL_FATAL(aud);
	json_array_clear(arr);
	for (i = 0; i < 40000; i++)
		json_array_append_new(arr, json_string("en"));
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o}", "id", "x",
	    "rev", 1, "created", "2026-01-01T00:00:00Z", "updated",
	    "2026-01-01T00:00:00Z", "name", "X", "email", "x@example.org",
	    "status", "active", "languages", json_incref(arr));
	errs = json_array();
	CU_ASSERT_EQUAL(schema_validate_steps(aud, doc, errs, 10, &steps), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	    json_array_get(errs, 0), "path")), "/languages");
	CU_ASSERT(steps < 100);
	json_decref(errs);
	json_decref(doc);
	json_decref(arr);
}

/*
 * The worst 1 MiB bodies found for an auditor, each as the writer would
 * see it. Built as JSON text and parsed as the server parses a body, so
 * that AUDITORD_SHAPE_TIMES=1 can print what parse and validation cost
 * (docs/security.md); the test itself holds steps and errors only.
 */
#define SHAPE_BYTES	(1u << 20)

struct shape {
	const char	*name;
	const char	*path;		/* the first error's */
	int		 errors;	/* how many the validator counts */
	size_t		 max_steps;
};

static const char	 shape_head[] = "{\"id\":\"x\",\"rev\":1,"
    "\"created\":\"2026-01-01T00:00:00Z\",\"updated\":\"2026-01-01T00:00:00Z\","
    "\"name\":\"X\",\"unit\":\"U\",\"employment\":\"internal\","
    "\"status\":\"active\"";

/* Append printf output to a growing buffer. */
static void
sb_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < *cap - *len)
			break;
		*cap *= 2;
		*buf = realloc(*buf, *cap);
	}
	*len += (size_t)n;
}

/* The JSON text of shape i (about SHAPE_BYTES); NULL past the last. */
static char *
shape_text(int i, struct shape *sh)
{
	size_t	 len = 0, cap = SHAPE_BYTES + 4096, k;
	char	*b = malloc(cap);

	b[0] = '\0';
	sb_add(&b, &len, &cap, "%s", shape_head);
	switch (i) {
	case 0:	/* the probe's body, grown to 1 MiB */
		*sh = (struct shape){ "one language repeated", "/languages",
		    2, 100 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"languages\":[");
		for (k = 0; len < SHAPE_BYTES; k++)
			sb_add(&b, &len, &cap, "%s\"en\"", k ? "," : "");
		sb_add(&b, &len, &cap, "]");
		sh->errors = 1;
		break;
	case 1:
		*sh = (struct shape){ "distinct languages", "/languages", 1,
		    100 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"languages\":[");
		for (k = 0; len < SHAPE_BYTES; k++)
			sb_add(&b, &len, &cap, "%s\"%zx\"", k ? "," : "", k);
		sb_add(&b, &len, &cap, "]");
		break;
	case 2:	/* within maxItems, each item long, pattern not tried */
		/* uniqueItems pairwise: 190 compares */
		*sh = (struct shape){ "20 long languages", "/languages/0", 20,
		    300 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"languages\":[");
		for (k = 0; k < 20; k++) {
			sb_add(&b, &len, &cap, "%s\"", k ? "," : "");
			while (len % (SHAPE_BYTES / 20) != 0)
				sb_add(&b, &len, &cap, "e");
			sb_add(&b, &len, &cap, "%zu\"", k);
		}
		sb_add(&b, &len, &cap, "]");
		break;
	case 3:	/* a pattern's string, far past its maxLength */
		*sh = (struct shape){ "1 MiB e-mail address", "/email", 1,
		    100 };
		sb_add(&b, &len, &cap, ",\"email\":\"");
		while (len < SHAPE_BYTES / 2)
			sb_add(&b, &len, &cap, "a");
		sb_add(&b, &len, &cap, "@");
		while (len < SHAPE_BYTES)
			sb_add(&b, &len, &cap, "b");
		sb_add(&b, &len, &cap, " \"");
		break;
	case 4:
		*sh = (struct shape){ "1 MiB of notes", "/notes", 1, 100 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"notes\":\"");
		while (len < SHAPE_BYTES)
			sb_add(&b, &len, &cap, "%s", "\\u00e9\\n");
		sb_add(&b, &len, &cap, "\"");
		break;
	case 5:	/* jansson's parser stops at 2048 levels */
		*sh = (struct shape){ "notes nested 2,000 deep", "/notes", 1,
		    100 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"notes\":");
		for (k = 0; k < 2000; k++)
			sb_add(&b, &len, &cap, "[");
		for (k = 0; k < 2000; k++)
			sb_add(&b, &len, &cap, "]");
		break;
	case 6:
		*sh = (struct shape){ "an unknown field nested 2,000 deep",
		    "/deep", 1, 100 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\","
		    "\"deep\":");
		for (k = 0; k < 2000; k++)
			sb_add(&b, &len, &cap, "{\"a\":");
		sb_add(&b, &len, &cap, "1");
		for (k = 0; k < 2000; k++)
			sb_add(&b, &len, &cap, "}");
		break;
	case 7:	/* one error each, 50 listed, all counted */
		*sh = (struct shape){ "many unknown keys", "/k0", 0, 0 };
		sb_add(&b, &len, &cap, ",\"email\":\"x@example.org\"");
		for (k = 0; len < SHAPE_BYTES; k++)
			sb_add(&b, &len, &cap, ",\"k%zx\":0", k);
		sh->errors = (int)k;
		sh->max_steps = 2 * k + 100;
		break;
	default:
		free(b);
		return NULL;
	}
	sb_add(&b, &len, &cap, "}");
	return b;
}

static double
secs_since(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_bounded_shapes(void)
{
	const struct schema	*aud;
	struct shape		 sh;
	struct timespec		 t0;
	json_t			*doc, *errs;
	char			 err[256], *text;
	double			 tparse, tval;
	size_t			 steps;
	int			 i, n, times = getenv("AUDITORD_SHAPE_TIMES") !=
				    NULL;

	CU_ASSERT_EQUAL_FATAL(schema_builtin_init(err, sizeof err), 0);
	aud = schema_builtin("auditor");
	CU_ASSERT_PTR_NOT_NULL_FATAL(aud);
	for (i = 0; (text = shape_text(i, &sh)) != NULL; i++) {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		doc = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES,
		    NULL);
		tparse = secs_since(&t0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		errs = json_array();
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		n = schema_validate_steps(aud, doc, errs, 50, &steps);
		tval = secs_since(&t0);
		if (n != sh.errors || steps > sh.max_steps ||
		    strcmp(json_string_value(json_object_get(json_array_get(
		    errs, 0), "path")), sh.path) != 0)
			fprintf(stderr, "\n%s: %d errors, %zu steps, first "
			    "at %s\n", sh.name, n, steps, json_string_value(
			    json_object_get(json_array_get(errs, 0), "path")));
		CU_ASSERT_EQUAL(n, sh.errors);
		CU_ASSERT(steps <= sh.max_steps);
		CU_ASSERT(json_array_size(errs) <= 50);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		    json_array_get(errs, 0), "path")), sh.path);
		if (times)
			printf("\n  %-36s %7zu bytes  parse %6.2f ms  validate "
			    "%6.3f ms  %zu steps", sh.name, strlen(text),
			    tparse * 1e3, tval * 1e3, steps);
		json_decref(errs);
		json_decref(doc);
		free(text);
	}
}

int
main(void)
{
	static const struct {
		const char	*suite;
		const char	*name;
		CU_TestFunc	 fn;
	} tests[] = {
		{ "keywords", "type", test_type },
		{ "keywords", "required", test_required },
		{ "keywords", "properties", test_properties },
		{ "keywords", "additionalProperties", test_additional },
		{ "keywords", "enum", test_enum },
		{ "keywords", "const", test_const },
		{ "keywords", "minLength", test_min_length },
		{ "keywords", "maxLength", test_max_length },
		{ "keywords", "minimum", test_minimum },
		{ "keywords", "maximum", test_maximum },
		{ "keywords", "exclusiveMinimum", test_xminimum },
		{ "keywords", "exclusiveMaximum", test_xmaximum },
		{ "keywords", "multipleOf", test_multiple_of },
		{ "keywords", "items", test_items },
		{ "keywords", "minItems", test_min_items },
		{ "keywords", "maxItems", test_max_items },
		{ "keywords", "uniqueItems", test_unique_items },
		{ "keywords", "uniqueItems (long arrays)", test_unique_long },
		{ "validate", "bounded work: steps, not time", test_bounded_work },
		{ "validate", "1 MiB bodies of the worst shapes: bounded steps",
		    test_bounded_shapes },
		{ "keywords", "pattern", test_pattern },
		{ "keywords", "format", test_format },
		{ "keywords", "$ref", test_ref },
		{ "keywords", "boolean schemas", test_boolean },
		{ "keywords", "annotations", test_annotations },
		{ "validate", "error limits", test_error_limits },
		{ "validate", "nesting depth", test_depth },
		{ "validate", "document copied", test_doc_copied },
		{ "compile", "errors", test_compile_errors },
		{ "suite", "json-schema-test-suite", test_suite },
		{ "props", "property walk", test_props },
		{ "builtin", "built-in schemas", test_builtin },
		{ "builtin", "property walk", test_builtin_props },
		{ "builtin", "corpus", test_corpus },
		{ "builtin", "threads", test_threads },
	};
	CU_pSuite	suite = NULL;
	const char	*cur = "";
	size_t		i;
	unsigned	failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		if (strcmp(cur, tests[i].suite) != 0) {
			cur = tests[i].suite;
			if ((suite = CU_add_suite(cur, NULL, NULL)) == NULL)
				goto fail;
		}
		if (CU_add_test(suite, tests[i].name, tests[i].fn) == NULL)
			goto fail;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto fail;
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	for (i = 0; i < ndocs; i++) {
		json_decref(docs[i].json);
		free((char *)docs[i].type);
	}
	free(docs);
	schema_builtin_free();
	return failures == 0 ? 0 : 1;
fail:
	fprintf(stderr, "test_schema: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 1;
}
