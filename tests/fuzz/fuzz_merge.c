/*
 * fuzz_merge.c: libFuzzer harness for JSON merge patch (RFC 7386,
 * util_json_merge_patch): the input is a target and a patch separated by
 * a NUL byte; whatever they hold, the result is made without a crash, is
 * the patch itself when the patch is no object, holds no null member the
 * patch set, and applying the same patch again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 1 if no member of patch (recursively) that is null is left in doc. */
static int
nulls_gone(const json_t *doc, const json_t *patch)
{
	const char	*k;
	json_t		*v, *d;

	if (!json_is_object(patch) || !json_is_object(doc))
		return 1;
	json_object_foreach((json_t *)patch, k, v) {
		d = json_object_get(doc, k);
		if (json_is_null(v) && d != NULL)
			return 0;
		if (d != NULL && !nulls_gone(d, v))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*sep = memchr(data, '\0', size);
	json_t		*target, *patch, *once, *twice;
	size_t		 tl;

	if (sep == NULL)
		return 0;
	tl = (size_t)(sep - data);
	target = json_loadb((const char *)data, tl, JSON_DECODE_ANY, NULL);
	patch = json_loadb((const char *)sep + 1, size - tl - 1,
	    JSON_DECODE_ANY, NULL);
	if (target == NULL || patch == NULL)
		goto done;
	if ((once = util_json_merge_patch(target, patch)) == NULL)
		abort();
	if (!json_is_object(patch) && !json_equal(once, patch))
		abort();
	if (!nulls_gone(once, patch))
		abort();
	if ((twice = util_json_merge_patch(once, patch)) == NULL ||
	    !json_equal(once, twice))
		abort();
	json_decref(twice);
	json_decref(once);
done:
	json_decref(target);
	json_decref(patch);
	return 0;
}
