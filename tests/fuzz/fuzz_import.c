/*
 * fuzz_import.c: libFuzzer harness for the NDJSON import body (POST
 * /v1/import, daemon/api/api-import.c): any bytes are split into lines and
 * each line is taken or refused as the worker would before the writer,
 * for every role, never a crash or a leak; a role that writes nothing
 * takes no line.
 */
#include <stdint.h>
#include <stdlib.h>

#include "api/import.h"
#include "api/router.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	ready;
	char		err[256];
	size_t		ok, refused;
	int		role;

	if (!ready) {
		if (router_init(err, sizeof err) != 0)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	/* The first byte picks the role; the rest is the body. */
	role = data[0] % ROLE_COUNT;
	ok = import_parse_body((const char *)data + 1, size - 1,
	    (enum role)role, &refused);
	if (role == ROLE_NONE && ok != 0)
		abort();
	if (ok + refused > size)	/* every line is at least one byte */
		abort();
	return 0;
}
