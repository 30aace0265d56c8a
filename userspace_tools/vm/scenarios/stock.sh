#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stock Debian kernel (production config): load and unload myslab twice and
# check what it shows in /proc.
. /modules/lib.sh

plan 8
for round in 1 2; do
	check load_myslab_$round insmod /modules/myslab.ko
	check_slabinfo_header "$round"
	cat /proc/myslabinfo
	check unload_myslab_$round rmmod myslab
	check_unloaded "$round"
done
finish
