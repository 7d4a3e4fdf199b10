/*
 * judge.c: prints "<path> valid|invalid" for each JSON file named, judged by
 * the daemon's built-in schema for its type; ajv-check.sh diffs this against
 * ajv-check.js. The type is --type's, or the corpus directory the file is in
 * (.../<type>/valid/x.json or .../<type>/invalid/x.json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "schema/schema.h"

static void
usage(void)
{
	fprintf(stderr, "usage: schema_judge [-v] [--type TYPE] FILE...\n");
	exit(2);
}

/* The <type> of .../<type>/(in)valid/file, into out; -1 if not so laid. */
static int
corpus_type(const char *path, char *out, size_t len)
{
	const char	*end, *dir, *start;

	if ((end = strrchr(path, '/')) == NULL)
		return -1;
	for (dir = end; dir > path && dir[-1] != '/'; dir--)
		;
	if (!((end - dir == 5 && strncmp(dir, "valid", 5) == 0) ||
	    (end - dir == 7 && strncmp(dir, "invalid", 7) == 0)) ||
	    dir == path)
		return -1;
	end = dir - 1;
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	if (end == start || (size_t)(end - start) >= len)
		return -1;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return 0;
}

static void
print_errors(const char *path, json_t *errors)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(errors, i, e)
		fprintf(stderr, "%s: %s: %s\n", path,
		    json_string_value(json_object_get(e, "path")),
		    json_string_value(json_object_get(e, "message")));
}

int
main(int argc, char **argv)
{
	const struct schema	*s;
	const char		*type = NULL;
	json_error_t		 jerr;
	json_t			*doc, *errors;
	char			 err[512], dirtype[128];
	int			 i, verbose = 0, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc)
			type = argv[++i];
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			usage();
	}
	if (i == argc)
		usage();
	if (schema_builtin_init(err, sizeof err) == -1) {
		fprintf(stderr, "schema_judge: %s\n", err);
		return 1;
	}
	for (; i < argc; i++) {
		const char *t = type;
		if (t == NULL && corpus_type(argv[i], dirtype,
		    sizeof dirtype) == 0)
			t = dirtype;
		if (t == NULL || (s = schema_builtin(t)) == NULL) {
			fprintf(stderr, "schema_judge: %s: no schema for type "
			    "%s\n", argv[i], t ? t : "(none: use --type)");
			printf("%s error\n", argv[i]);
			status = 1;
			continue;
		}
		/* As the daemon decodes a body: duplicate keys are an error. */
		doc = json_load_file(argv[i], JSON_REJECT_DUPLICATES, &jerr);
		if (doc == NULL) {
			if (verbose)
				fprintf(stderr, "%s: not JSON: line %d: %s\n",
				    argv[i], jerr.line, jerr.text);
			printf("%s invalid\n", argv[i]);
			continue;
		}
		errors = json_array();
		printf("%s %s\n", argv[i], schema_validate(s, doc, errors, 0) ?
		    "invalid" : "valid");
		if (verbose)
			print_errors(argv[i], errors);
		json_decref(errors);
		json_decref(doc);
	}
	schema_builtin_free();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("schema_judge: stdout");
		return 1;
	}
	return status;
}
