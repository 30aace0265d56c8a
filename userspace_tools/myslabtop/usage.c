// SPDX-License-Identifier: GPL-2.0
/*
 * --help: slabtop's usage text, in slabtop's words where the options are
 * slabtop's, with the sort keys from the table that sorting uses.
 */
#include "options.h"
#include "sort.h"
#include "usage.h"

void usage_print(FILE *out)
{
	const struct sort_key *keys;
	size_t nr_keys, i;

	fputs("Usage:\n"
	      " myslabtop [options]\n"
	      "\n"
	      "Show myslab's slab caches (/proc/myslabinfo) as slabtop shows the kernel's.\n"
	      "\n"
	      "Options:\n"
	      " -d, --delay <secs>     refresh the live view every <secs> seconds (default 3)\n"
	      " -o, --once             print the summary and every cache once, as plain text\n"
	      " -s, --sort <char>      sort by <char> (see below)\n"
	      "     --json             print one JSON object: summary, every cache with every\n"
	      "                        field, and the buddy free lists with fragmentation indices\n"
	      "     --file <path>      read <path> instead of " DEFAULT_SLABINFO_PATH "\n"
	      "                        (--json then reads no buddy file unless given one)\n"
	      "     --buddyinfo <path> read <path> instead of " DEFAULT_BUDDYINFO_PATH "\n"
	      " -h, --help             display this help and exit\n"
	      " -V, --version          output version information and exit\n"
	      "\n"
	      "The following are valid sort criteria (also keys in the live view; q quits):\n",
	      out);
	keys = sort_keys(&nr_keys);
	for (i = 0; i < nr_keys; i++)
		fprintf(out, " %c: sort by %s\n", keys[i].letter, keys[i].description);
	fputs("\n"
	      "Exit status:\n"
	      " 0  success\n"
	      " 1  bad usage, or the live view without a terminal\n"
	      " 2  a file is missing (myslab not loaded?)\n"
	      " 3  a file is not readable (need root: /proc/myslabinfo is 0600)\n"
	      " 4  a file is malformed\n"
	      " 5  any other error (I/O, memory, terminal)\n",
	      out);
}
