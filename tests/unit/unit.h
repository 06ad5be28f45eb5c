/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit.h: each Check test program defines its suite; runner.c runs it. */
#ifndef XNET_UNIT_H
#define XNET_UNIT_H

#include <check.h>

Suite *unit_suite(void);

#endif
