#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-post.d hooks run after each vif command with the vif's facts in their
# environment (executed, never through a shell built from xenstore data); a
# failing hook is logged, not fatal. Each run appends one line to the
# hotplug log, which is created if missing.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
guest domU 1 0 ""
# a tab between the entries, as the old scripts took any whitespace: hooks
# see the value with a space
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=$'192.168.0.6\t2001:db8::6'
export XNET_HOTPLUG_LOG=$T/log/xen/xen-hotplug.log
XENV+=(XNET_HOTPLUG_LOG="$XNET_HOTPLUG_LOG")

mkdir -p "$XNET_HOOK_DIR"
cat > "$XNET_HOOK_DIR/10-record.hook" <<HOOK
#!/bin/sh
{ echo "hook=10"; env | sort; } >> "$T/hook.out"
HOOK
cat > "$XNET_HOOK_DIR/20-fail.hook" <<HOOK
#!/bin/sh
echo "hook=20" >> "$T/hook.out"
exit 3
HOOK
cat > "$XNET_HOOK_DIR/05-notexec.hook" <<HOOK
#!/bin/sh
echo "hook=05" >> "$T/hook.out"
HOOK
cp "$XNET_HOOK_DIR/05-notexec.hook" "$XNET_HOOK_DIR/30-misnamed.sh"
chmod +x "$XNET_HOOK_DIR/10-record.hook" "$XNET_HOOK_DIR/20-fail.hook" "$XNET_HOOK_DIR/30-misnamed.sh"

libxl vif-bridge online 1 0 || fail "online failed (a failing hook must not be fatal)"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "connected despite a failing hook"
expect_eq "$(grep '^hook=' "$T/hook.out" | tr '\n' ' ')" "hook=10 hook=20 " \
	"executable .hook files ran, in order, and only those"
for kv in command=online dev=vif1.0 vif=vif1.0 "ip=192.168.0.6 2001:db8::6" bridge=xenbr0 \
	XENBUS_PATH=backend/vif/1/0 type_if=vif; do
	grep -qxF "$kv" "$T/hook.out" || fail "hook environment lacks '$kv'"
done
ok "the hook saw command, dev, vif, ip, bridge, XENBUS_PATH, type_if"
grep -q '^XENSTORED_PATH=' "$T/hook.out" && fail "the hook inherited the caller's environment"
ok "the hook's environment is only the vif's facts"

rm -f "$T/hook.out"
libxl vif-bridge offline 1 0 || fail "offline"
grep -qx command=offline "$T/hook.out" || fail "no hook after offline"
ok "hooks run after offline too"

# a failed run runs no hook
rm -f "$T/hook.out"
xs_write backend/vif/1/0/bridge nosuchbr0
libxl vif-bridge online 1 0 && fail "online with an unknown bridge succeeded"
[ -e "$T/hook.out" ] && fail "a hook ran after a failure"
ok "no hook after a failed run"

# a slow hook: killed with what it started once it overruns its budget
# (XNET_HOOK_TIMEOUT=2 s), while the run's own watchdog (XNET_TIMEOUT=1 s)
# is over by then: the run still succeeds and logs its line
xenstore-rm backend/vif/1/0/bridge
cat > "$XNET_HOOK_DIR/40-slow.hook" <<HOOK
#!/bin/sh
sleep 61.$$ &
echo "hook=40" >> "$T/hook.out"
sleep 62.$$
echo "hook=40 ran out" >> "$T/hook.out"
HOOK
chmod +x "$XNET_HOOK_DIR/40-slow.hook"
rm -f "$T/hook.out"
libxl vif-bridge online 1 0 XNET_TIMEOUT=1 XNET_HOOK_TIMEOUT=2 >"$T/out" 2>&1 ||
	{ cat "$T/out"; fail "a slow hook failed the run"; }
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "connected despite a slow hook"
grep -q 'hook=40$' "$T/hook.out" || fail "the slow hook did not run"
grep -q 'ran out' "$T/hook.out" && fail "the slow hook was not killed"
pgrep -f "sleep 6[12]\\.$$\$" >/dev/null && fail "the slow hook's processes outlived it"
ok "the slow hook and what it started were killed; the run succeeded"
rm "$XNET_HOOK_DIR/40-slow.hook"
xs_write backend/vif/1/0/bridge nosuchbr0

# 40 hooks: the first 32 by name run, whatever order the directory lists them in
many=$T/many
mkdir -p "$many"
for i in $(seq 0 39); do
	printf '#!/bin/sh\necho %02d >> %s/many.out\n' "$i" "$T" > "$many/$(printf %02d "$i").hook"
	chmod +x "$many/$(printf %02d "$i").hook"
done
xs_write backend/vif/1/0/bridge xenbr0
libxl vif-bridge online 1 0 XNET_HOOK_DIR="$many" || fail "online with 40 hooks"
expect_eq "$(tr '\n' ' ' < "$T/many.out")" "$(seq -f %02g -s ' ' 0 31) " "hooks 00 to 31 ran, in order"
xs_write backend/vif/1/0/bridge nosuchbr0

# a run waiting for a lock says so when its watchdog fires (not "xenstored")
xs_write backend/vif/1/0/ip 10.0.0.1
mkdir -p "$XNET_STATE_DIR"
exec 9>"$XNET_STATE_DIR/vif-route.lock"
flock 9
out=$(libxl vif-route online 1 0 XNET_TIMEOUT=1 2>&1)
exec 9>&-
case $out in *"waiting for the lock"*vif-route.lock*) ok "watchdog: $out" ;;
*) fail "watchdog message: '$out'" ;; esac

# the hotplug log: created with its directory, one line per run
[ -f "$XNET_HOTPLUG_LOG" ] || fail "no $XNET_HOTPLUG_LOG"
expect_eq "$(wc -l < "$XNET_HOTPLUG_LOG")" 5 "one log line per run (none for the run the watchdog ended)"
grep -q 'vif-bridge\[[0-9]*\]: online vif1.0: ok$' "$XNET_HOTPLUG_LOG" || fail "no ok line"
grep -q 'vif-bridge\[[0-9]*\]: online vif1.0: error: bridge nosuchbr0 does not exist$' \
	"$XNET_HOTPLUG_LOG" || fail "no error line"
ok "the log has the ok and the error lines"
pass
