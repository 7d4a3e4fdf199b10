/*
 * cu.h: the one CUnit main the small unit-test programs share: register a
 * suite from a table and run it verbosely; the exit status says whether
 * anything failed.
 */
#ifndef CU_H
#define CU_H

#include <CUnit/Basic.h>

struct cu_test {
	const char	*name;
	CU_TestFunc	 fn;
};

static inline int
cu_run(const char *suite, const struct cu_test *tests)
{
	CU_pSuite	s;
	unsigned	failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if ((s = CU_add_suite(suite, NULL, NULL)) == NULL)
		return 1;
	for (; tests->name != NULL; tests++)
		if (CU_add_test(s, tests->name, tests->fn) == NULL)
			return 1;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
	    CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed != 0;
}

#endif
