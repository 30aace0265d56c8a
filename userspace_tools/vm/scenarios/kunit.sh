#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debug kernel: load myslab, run its KUnit suites (they run at insmod of
# myslab_kunit.ko and print KTAP to the console), unload everything.
. /modules/lib.sh

plan 6
check load_myslab insmod /modules/myslab.ko
check_slabinfo_header
check load_kunit insmod /modules/myslab_kunit.ko
check unload_kunit rmmod myslab_kunit
check unload_myslab rmmod myslab
check_unloaded
finish
