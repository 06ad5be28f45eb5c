#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A dump of a large set that its callback stops at the first part, and a
# request whose reply its callback refuses before the ack: the rest of
# each answer must not be read as the answer of the next request on the
# same handle (which would fail with EPROTO).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init
fw_shm_state

ns_add dom0
fwtool dom0 bench bridge 2000 >/dev/null || fail "2000 vifs in bridge xen"
expect_eq "$(elements dom0 bridge | awk '$1 == "guarded"' | wc -l)" 2000 "2000 guarded vifs"
fwtool dom0 stop bridge guarded >"$T/out" 2>&1
rc=$?
sed 's/^/# /' "$T/out"
[ $rc = 0 ] || fail "fw-tool stop exited $rc"
grep -q "^dump guarded: stopped after 1 answer" "$T/out" || fail "the dump was not stopped at once"
ok "a stopped dump and a refused reply: the next requests got their own answers"
fwtool dom0 bench-del bridge 2000 >/dev/null || fail "bench-del"
pass
