#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every writable file of myslab, good and bad input: /proc/myslabinfo tunables
# and /sys/kernel/debug/myslab/ctl. Each bad write gets its errno and changes
# nothing; the good ones move the numbers as they should.
. /modules/lib.sh
P=/proc/myslabinfo
D=/sys/kernel/debug/myslab

plan 37
check load_myslab insmod /modules/myslab.ko
ls -l $P $D
cat $P
echo "--- task_struct row"
grep '^task_struct ' $P

expect_ok ctl_alloc_task $D/ctl 'alloc task_struct 10\n'
expect_ok ctl_kmalloc_100 $D/ctl 'kmalloc 100 1000\n'
expect_ok ctl_kmalloc_5000 $D/ctl 'kmalloc 5000 3'
cat $D/held
grep -E '^(task_struct|kmalloc-128) ' $P
grep -q '^task_struct  *10 ' $P && pass active_task_10 || fail active_task_10 "$(grep ^task_struct $P)"
grep -q '^kmalloc-128  *1000 ' $P && pass active_k128_1000 || fail active_k128_1000 "$(grep ^kmalloc-128 $P)"

expect_ok tune_ok $P 'kmalloc-64 16 8 2\n'
grep -q '^kmalloc-64 .*: tunables   16    8    2 ' $P && pass tune_shown || fail tune_shown "$(grep ^kmalloc-64 $P)"
before=$(grep ^kmalloc-64 $P)
expect_err tune_unknown 'No such file' $P 'nosuch 1 1 0\n'
expect_err tune_limit0 'Invalid argument' $P 'kmalloc-64 0 1 0\n'
expect_err tune_batch_gt 'Invalid argument' $P 'kmalloc-64 4 5 0\n'
expect_err tune_limit_big 'Invalid argument' $P 'kmalloc-64 257 1 0\n'
expect_err tune_shared 'Invalid argument' $P 'kmalloc-64 8 4 17\n'
expect_err tune_negative 'Invalid argument' $P 'kmalloc-64 -1 1 0\n'
expect_err tune_fields 'Invalid argument' $P 'kmalloc-64 8 4\n'
out=$( (echo -ne 'kmalloc-64\0 8 4 0' > $P) 2>&1 ); echo "$out" | grep -q 'Invalid argument' && pass tune_binary || fail tune_binary "$out"
expect_err tune_long 'Argument list too long' $P '%0129d' 0
expect_err tune_huge 'Argument list too long' $P '%05000d' 0
[ "$before" = "$(grep ^kmalloc-64 $P)" ] && pass tune_unchanged || fail tune_unchanged "$(grep ^kmalloc-64 $P)"

expect_err ctl_unknown_cache 'No such file' $D/ctl 'alloc nosuch 1\n'
expect_err ctl_zero 'Invalid argument' $D/ctl 'alloc task_struct 0\n'
expect_err ctl_too_many 'Invalid argument' $D/ctl 'alloc task_struct 1048577\n'
expect_err ctl_total 'No space' $D/ctl 'kmalloc 8 1048576\n'
expect_err ctl_free_more 'Numerical result out of range' $D/ctl 'kfree 100 1001\n'
expect_err ctl_verb 'Invalid argument' $D/ctl 'bogus 1 1\n'
expect_err ctl_size0 'Invalid argument' $D/ctl 'kmalloc 0 1\n'
expect_err ctl_binary 'Invalid argument' $D/ctl 'alloc\001 task_struct 1\n'
expect_err ctl_long 'Argument list too long' $D/ctl '%0200d' 0
expect_err ctl_nomem 'Cannot allocate memory' $D/ctl 'kmalloc 4194305 1\n'
# The 100 order-10 blocks do not fit: the failed one is reported, once.
planted 1 '^myslab: region myslab: order-10 allocation failed: \d+ of \d+ pages free' -- \
	expect_err ctl_nomem_all_or_nothing 'Cannot allocate memory' $D/ctl 'kmalloc 4194304 100\n'
cat $D/held
expect_ok ctl_free_task $D/ctl 'free task_struct 4\n'
expect_ok ctl_kfree_100 $D/ctl 'kfree 100 1000\n'
cat $D/held
grep -E '^(task_struct|kmalloc-128) ' $P
expect_ok ctl_reset $D/ctl 'reset\n'
cat $D/held
grep -q '^total 0$' $D/held && pass held_empty || fail held_empty "$(cat $D/held)"
cat $P
awk '!/^#/ && NR>1 && NF!=16 {bad=1} END {exit bad}' $P && pass rows_16_fields || fail rows_16_fields bad
check unload_myslab rmmod myslab
check_unloaded
finish
