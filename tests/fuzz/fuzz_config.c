/*
 * fuzz_config.c: libFuzzer harness for auditord.conf: any file is loaded or
 * refused with a message, never a crash or a leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 path[64];
	struct config	*c;
	FILE		*f;
	char		 err[512];

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/auditord-fuzz-%d.conf",
		    (int)getpid());
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	err[0] = '\0';
	c = config_load(path, err, sizeof err);
	if (c == NULL && err[0] == '\0')
		abort();
	config_free(c);
	return 0;
}
