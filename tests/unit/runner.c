/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runner.c: main() of every unit test program. */
#include "unit.h"

int main(void)
{
	SRunner *sr = srunner_create(unit_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
