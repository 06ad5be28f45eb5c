/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xnethelper.h: includes every subsystem's header, for the tests that use
 * many; library code and programs include the headers they use. */
#ifndef XNETHELPER_H
#define XNETHELPER_H

#include "text/text.h"
#include "sys/sys.h"
#include "store/store.h"
#include "net/net.h"
#include "run/run.h"
#include "state/state.h"
#include "dhcp/dhcp.h"
#include "nat/nat.h"
#include "netbr/netbr.h"
#include "fw/fw.h"
#include "foreign/foreign.h"

#endif
