/* The main() every unit test shares (check_main.h). Built with AGORA_UNIT_NO_CORE where
 * agora_core is not linked (the standalone build of plugins/, whose tests use no JSON). */
#include "check_main.h"

#include <stdlib.h>

#ifndef AGORA_UNIT_NO_CORE
#include "util.h"
#endif

int main(void)
{
	SRunner *sr;
	int failed;

#ifndef AGORA_UNIT_NO_CORE
	util_json_init();
#endif
	if (unit_tests.setup && unit_tests.setup() != 0)
		return EXIT_FAILURE;
	sr = srunner_create(unit_tests.suites[0]());
	for (int i = 1; i < UNIT_SUITES_MAX && unit_tests.suites[i]; i++)
		srunner_add_suite(sr, unit_tests.suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
