/*
 * fuzz_router.c: libFuzzer harness for route matching: any method byte and
 * path must match or not without reading out of bounds, and a match must
 * give parameters that are record ids.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/router.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum evhttp_cmd_type methods[] = { EVHTTP_REQ_GET,
	    EVHTTP_REQ_POST, EVHTTP_REQ_PUT, EVHTTP_REQ_PATCH,
	    EVHTTP_REQ_DELETE, EVHTTP_REQ_HEAD };
	const struct router_entry	*rt = NULL;
	char			 params[REQ_MAXPARAMS][ID_MAX + 1], allowbuf[128];
	char			*path;
	unsigned		 allow;
	int			 rc, i;

	static int	ready;
	char		err[256];

	if (!ready) {
		if (router_init(err, sizeof err) != 0)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	if ((path = malloc(size)) == NULL)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	memset(params, 0, sizeof params);
	rc = router_match(methods[data[0] % 6], path, &rt, params, &allow);
	if (rc == ROUTER_OK) {
		if (rt == NULL)
			abort();
		for (i = 0; i < REQ_MAXPARAMS; i++)
			if (params[i][0] != '\0' && !util_id_valid(params[i]))
				abort();
	} else if (rc == ROUTER_BADMETHOD) {
		if (allow == 0)
			abort();
		router_allow_string(allow, allowbuf, sizeof allowbuf);
	}
	free(path);
	return 0;
}
