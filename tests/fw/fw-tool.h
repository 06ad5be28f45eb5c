/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-tool.h: what fw-tool's files share. */
#ifndef XNET_FW_TOOL_H
#define XNET_FW_TOOL_H

#include "xnethelper.h"

int bench(struct xnh_fw *fw, enum xnh_fw_table t, unsigned long count, unsigned long first);
int bench_del(struct xnh_fw *fw, enum xnh_fw_table t, unsigned long count, unsigned long first);
int stop(struct xnh_fw *fw, enum xnh_fw_table t, const char *set);

#endif
