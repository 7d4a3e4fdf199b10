/*
 * cu-io.h: what the CLI's unit tests share to read what code wrote: the
 * whole of a temporary file, and stderr between cu_capture() and
 * cu_captured(). Header-only (static inline), as each test is one program.
 */
#ifndef CU_IO_H
#define CU_IO_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The bytes written to f (a temporary file, closed here). Malloc'd. */
static inline char *
cu_written(FILE *f)
{
	long	n;
	char	*s;

	fflush(f);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (s != NULL && n > 0 && fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

static FILE	*cu_cap_file;
static int	 cu_cap_saved = -1;

/* From now on stderr goes to a temporary file. */
static inline void
cu_capture(void)
{
	fflush(stderr);
	cu_cap_file = tmpfile();
	cu_cap_saved = dup(2);
	dup2(fileno(cu_cap_file), 2);
}

/* stderr back; what was written since cu_capture(). Malloc'd. */
static inline char *
cu_captured(void)
{
	fflush(stderr);
	dup2(cu_cap_saved, 2);
	close(cu_cap_saved);
	return cu_written(cu_cap_file);
}

#endif
